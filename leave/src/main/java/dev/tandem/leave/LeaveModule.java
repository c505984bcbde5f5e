package dev.tandem.leave;

import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.module.TandemModule;
import dev.tandem.core.slack.SlackAppSpec;
import java.util.List;
import java.util.Optional;

/** The Leave app (leave announcements to Calendar and Harvest). Its intake arrives with the leave intake issue. */
public final class LeaveModule implements TandemModule {
  /** Reads the leave channels, answers in threads with buttons, looks people up; Socket Mode by default. */
  public static final SlackAppSpec SLACK_APP = new SlackAppSpec("leave", "Tandem Leave",
      List.of("channels:history", "channels:read", "chat:write", "groups:history", "groups:read", "users:read", "users:read.email"),
      List.of("app_uninstalled", "message.channels", "message.groups", "tokens_revoked"),
      true);

  @Override
  public String name() {
    return "leave";
  }

  @Override
  public Optional<MigrationSet> migrations() {
    return Optional.empty(); // its tables arrive with leave intake
  }

  @Override
  public Optional<SlackAppSpec> slackApp() {
    return Optional.of(SLACK_APP);
  }
}
