package dev.tandem.app;

import dev.tandem.core.CoreSettings;
import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.slack.SlackAppSettings;
import dev.tandem.core.slack.SlackAppSpec;
import dev.tandem.core.slack.SlackSettings;
import dev.tandem.leave.LeaveModule;
import dev.tandem.sync.SyncModule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every setting of the process: core's, Slack's, then each app's. Validated as a whole. */
record Settings(CoreSettings core, SlackSettings slack, Map<String, SlackAppSettings> slackApps, dev.tandem.sync.SyncSettings sync,
    dev.tandem.leave.LeaveSettings leave) {
  static final List<SlackAppSpec> SLACK_APPS = List.of(SyncModule.SLACK_APP, LeaveModule.SLACK_APP);

  /** Reads everything, then throws {@link dev.tandem.core.config.ConfigException} naming every problem. */
  static Settings read(ConfigReader config) {
    Settings settings = readLeniently(config);
    config.throwIfProblems();
    return settings;
  }

  /** Reads everything, leaving the problems in {@code config} (for {@code config check}). */
  static Settings readLeniently(ConfigReader config) {
    CoreSettings core = CoreSettings.read(config);
    SlackSettings slack = SlackSettings.read(config, core.web().port());
    Map<String, SlackAppSettings> apps = new LinkedHashMap<>();
    for (SlackAppSpec spec : SLACK_APPS) {
      apps.put(spec.name(), SlackAppSettings.read(config, spec.name(), spec.socketModeByDefault()));
    }
    return new Settings(core, slack, apps, dev.tandem.sync.SyncSettings.read(config), dev.tandem.leave.LeaveSettings.read(config));
  }
}
