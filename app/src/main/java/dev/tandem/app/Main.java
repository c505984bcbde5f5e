package dev.tandem.app;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.log.LogSettings;
import dev.tandem.core.log.Redactor;
import dev.tandem.core.vault.VaultException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tandem} command line. Exit codes: 0 success, 2 usage or configuration error (the
 * message names what is wrong), 1 runtime failure.
 */
@Command(
    name = "tandem",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Self-hosted Slack apps for teams that span workspaces: Sync (cross-workspace channel sync) and Leave (leave announcements to Calendar and Harvest).",
    subcommands = {
      ServeCommands.Serve.class,
      ServeCommands.Bot.class,
      ServeCommands.Web.class,
      ServeCommands.Worker.class,
      ServeCommands.Demo.class,
      MigrateCommand.class,
      ConfigCommand.class,
      KeysCommand.class,
      JobsCommand.class,
      SlackCommand.class,
      SyncCommand.class,
      LeaveCommand.class,
      AdminCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, new Launch(System.getenv(), Path.of("").toAbsolutePath(), out, err, Clock.systemUTC())));
  }

  /** Runs one command line; returns its exit code. */
  static int run(String[] args, Launch launch) {
    // Log format and level must be in place before the first logger is created.
    LogSettings.applyEarly(launch.config());
    CommandLine cli = commandLine(launch);
    cli.setOut(launch.out());
    cli.setErr(launch.err());
    cli.setExitCodeExceptionMapper(Main::exitCode);
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      report(e, launch.err());
      return exitCode(e);
    });
    return cli.execute(args);
  }

  /** The command tree, its commands built with {@code launch}. */
  static CommandLine commandLine(Launch launch) {
    return new CommandLine(new Main(), new Factory(launch));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int exitCode(Throwable e) {
    return e instanceof ConfigException || e instanceof VaultException || e instanceof CommandLine.ParameterException ? USAGE : FAILURE;
  }

  private static void report(Exception e, PrintWriter err) {
    switch (e) {
      case ConfigException c -> err.println(c.getMessage());
      case VaultException v -> err.println("secret key problem: " + Redactor.redact(v.getMessage()));
      default -> {
        LoggerFactory.getLogger(Main.class).error("command failed", e);
        err.println("error: " + Redactor.redact(String.valueOf(e.getMessage())));
      }
    }
    err.flush();
  }

  /** Builds commands with the invocation's {@link Launch}. */
  private record Factory(Launch launch) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        var constructor = cls.getDeclaredConstructor(Launch.class);
        return constructor.newInstance(launch);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tandem " + (v == null ? "development build" : v), "Java " + Runtime.version()};
    }
  }

}
