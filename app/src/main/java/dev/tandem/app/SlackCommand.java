package dev.tandem.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tandem.core.slack.SlackAppSpec;
import dev.tandem.core.slack.SlackManifest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "slack", mixinStandardHelpOptions = true, description = "Set up the Slack apps.", subcommands = {SlackCommand.Manifest.class})
final class SlackCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "manifest", mixinStandardHelpOptions = true,
      description = "Print the app manifest (JSON) to paste into api.slack.com/apps > Create New App > From an app manifest.")
  static final class Manifest implements Callable<Integer> {
    private final Launch launch;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Parameters(paramLabel = "APP", description = "sync or leave")
    String app;

    @Option(names = "--url", description = "The public URL of this server (default: TANDEM_PUBLIC_URL).")
    String url;

    @Option(names = "--socket-mode", negatable = true, description = "Socket Mode instead of request URLs (default: SLACK_<APP>_SOCKET_MODE).")
    Boolean socketMode;

    Manifest(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() throws Exception {
      SlackAppSpec spec = Settings.SLACK_APPS.stream().filter(s -> s.name().equals(app)).findFirst()
          .orElseThrow(() -> new picocli.CommandLine.ParameterException(command.commandLine(),
              "unknown app '" + app + "' (expected sync or leave)"));
      Settings settings = Settings.readLeniently(launch.config());
      boolean socket = socketMode != null ? socketMode : settings.slackApps().get(app).socketMode();
      String publicUrl = url != null ? url : settings.slack().publicUrl();
      launch.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(SlackManifest.of(spec, publicUrl, socket)));
      return Main.OK;
    }
  }
}
