package dev.tandem.app;

import dev.tandem.core.config.ConfigProblem;
import dev.tandem.core.config.ConfigReader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Inspect the configuration.",
    subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate every setting from the environment and .env; print each with its source (secrets masked). Exit 2 on any problem.")
  static final class Check implements Callable<Integer> {
    private final Launch launch;

    Check(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() {
      ConfigReader config = launch.config();
      Settings.readLeniently(config);
      for (ConfigReader.SettingInfo s : config.settings()) {
        launch.out().printf("%-28s %-8s %s%n", s.name(), s.source().name().toLowerCase(java.util.Locale.ROOT),
            s.shownValue().orElse("(unset)"));
      }
      if (config.problems().isEmpty()) {
        launch.out().println("configuration OK");
        return Main.OK;
      }
      launch.err().println(config.problems().size() + " configuration problem" + (config.problems().size() == 1 ? "" : "s") + ":");
      for (ConfigProblem p : config.problems()) {
        launch.err().println("  " + p);
      }
      return Main.USAGE;
    }
  }
}
