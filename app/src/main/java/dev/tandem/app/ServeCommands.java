package dev.tandem.app;

import dev.tandem.core.module.Role;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** The commands that run the server in one or all of its roles. */
final class ServeCommands {
  private ServeCommands() {}

  /** Runs until SIGTERM / Ctrl-C, then shuts down gracefully. */
  static int runUntilStopped(Launch launch, Set<Role> roles) throws InterruptedException {
    Settings settings = Settings.read(launch.config());
    Wiring wiring = new Wiring(settings, launch.clock());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      wiring.close();
      stopped.countDown();
    }, "tandem-shutdown");
    try {
      wiring.start(roles);
    } catch (RuntimeException e) {
      wiring.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    return Main.OK;
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run everything: Slack apps (bot), web admin (web) and job workers (worker), with /healthz, /readyz and /metrics.")
  static final class Serve implements java.util.concurrent.Callable<Integer> {
    private final Launch launch;

    Serve(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() throws Exception {
      return runUntilStopped(launch, Wiring.allRoles());
    }
  }

  @Command(name = "bot", mixinStandardHelpOptions = true,
      description = "Run only the Slack-facing role (Events API, interactivity, OAuth, Socket Mode), plus health and metrics.")
  static final class Bot implements java.util.concurrent.Callable<Integer> {
    private final Launch launch;

    Bot(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() throws Exception {
      return runUntilStopped(launch, EnumSet.of(Role.BOT));
    }
  }

  @Command(name = "web", mixinStandardHelpOptions = true, description = "Run only the web admin and its JSON API, plus health and metrics.")
  static final class Web implements java.util.concurrent.Callable<Integer> {
    private final Launch launch;

    Web(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() throws Exception {
      return runUntilStopped(launch, EnumSet.of(Role.WEB));
    }
  }

  @Command(name = "worker", mixinStandardHelpOptions = true,
      description = "Run only durable jobs and recurring sweeps, plus health and metrics. Any number of workers may share PostgreSQL or MySQL.")
  static final class Worker implements java.util.concurrent.Callable<Integer> {
    private final Launch launch;

    Worker(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() throws Exception {
      return runUntilStopped(launch, EnumSet.of(Role.WORKER));
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Run the product on embedded defaults (SQLite in ./data/demo), with nothing to configure.")
  static final class Demo implements java.util.concurrent.Callable<Integer> {
    private final Launch launch;

    Demo(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() throws Exception {
      Map<String, String> env = new HashMap<>(launch.env());
      env.putIfAbsent("TANDEM_DATA_DIR", "./data/demo");
      Launch demo = new Launch(env, launch.workingDir(), launch.out(), launch.err(), launch.clock());
      launch.out().println("Tandem demo: data in " + env.get("TANDEM_DATA_DIR") + "; http://localhost:" + env.getOrDefault("PORT", "3000")
          + "/readyz shows what runs. Stop with Ctrl-C.");
      return runUntilStopped(demo, Wiring.allRoles());
    }
  }
}
