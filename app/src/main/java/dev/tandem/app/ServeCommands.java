package dev.tandem.app;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.module.Role;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import io.javalin.config.RoutesConfig;
import picocli.CommandLine.Command;

/** The commands that run the server in one or all of its roles. */
final class ServeCommands {
  private ServeCommands() {}

  /** What to do once the server is up (the demo installs its apps), before waiting for a stop. */
  @FunctionalInterface
  interface Started {
    void accept(Wiring wiring) throws Exception;
  }

  /** Runs until SIGTERM / Ctrl-C, then shuts down gracefully. */
  static int runUntilStopped(Launch launch, Set<Role> roles) throws Exception {
    return runUntilStopped(launch, roles, routes -> {}, wiring -> {});
  }

  static int runUntilStopped(Launch launch, Set<Role> roles, Consumer<RoutesConfig> extraRoutes, Started started) throws Exception {
    Wiring wiring = new Wiring(Settings.read(launch.config()), launch.clock());
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      wiring.start(roles, extraRoutes);
      started.accept(wiring);
    } catch (Exception e) {
      wiring.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      wiring.close();
      stopped.countDown();
    }, "tandem-shutdown"));
    stopped.await();
    return Main.OK;
  }

  /** A command that runs some roles of the server. */
  abstract static class RoleCommand implements Callable<Integer> {
    private final Launch launch;
    private final Set<Role> roles;

    RoleCommand(Launch launch, Set<Role> roles) {
      this.launch = launch;
      this.roles = roles;
    }

    @Override
    public Integer call() throws Exception {
      return runUntilStopped(launch, roles);
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run everything: Slack apps (bot), web admin (web) and job workers (worker), with /healthz, /readyz and /metrics.")
  static final class Serve extends RoleCommand {
    Serve(Launch launch) {
      super(launch, Wiring.allRoles());
    }
  }

  @Command(name = "bot", mixinStandardHelpOptions = true,
      description = "Run only the Slack-facing role (Events API, interactivity, OAuth, Socket Mode), plus health and metrics.")
  static final class Bot extends RoleCommand {
    Bot(Launch launch) {
      super(launch, EnumSet.of(Role.BOT));
    }
  }

  @Command(name = "web", mixinStandardHelpOptions = true, description = "Run only the web admin and its JSON API, plus health and metrics.")
  static final class Web extends RoleCommand {
    Web(Launch launch) {
      super(launch, EnumSet.of(Role.WEB));
    }
  }

  @Command(name = "worker", mixinStandardHelpOptions = true,
      description = "Run only durable jobs and recurring sweeps, plus health and metrics. Any number of workers may share PostgreSQL or MySQL.")
  static final class Worker extends RoleCommand {
    Worker(Launch launch) {
      super(launch, EnumSet.of(Role.WORKER));
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Run Tandem with a built-in Slack sandbox (workspaces Acme and Globex, both apps installed) on SQLite in ./data/demo."
          + " Nothing to configure; open the printed URL.")
  static final class Demo implements java.util.concurrent.Callable<Integer> {
    private final Launch launch;

    Demo(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() throws Exception {
      ConfigReader config = launch.config();
      Map<String, String> env = new HashMap<>(launch.env());
      if (config.peek("TANDEM_DATA_DIR").isEmpty()) {
        env.put("TANDEM_DATA_DIR", "./data/demo");
      }
      int port = Integer.parseInt(config.peek("PORT").orElse("3000"));
      if (port == 0) {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
          port = free.getLocalPort();
        }
      }
      env.put("PORT", String.valueOf(port));
      try (DemoWorld world = new DemoWorld(port)) {
        env.putAll(world.settings());
        Launch demo = new Launch(env, launch.workingDir(), launch.out(), launch.err(), launch.clock());
        int shown = port;
        return runUntilStopped(demo, Wiring.allRoles(), world.sandbox()::routes, wiring -> {
          world.installEverywhere(wiring.slack);
          DemoWorld.syncGenerals(wiring.sync.topology());
          launch.out().println("""
              Tandem demo is running (data in %s).
                Sandbox Slack:  http://localhost:%d/sandbox   (workspaces Acme and Globex; post, react and press buttons there)
                Synced:         Acme #general <-> Globex #general (post in one, see it in the other)
                Readiness:      http://localhost:%d/readyz
                Control API:    http://localhost:%d/sandbox/api/workspaces
              Stop with Ctrl-C.""".formatted(env.get("TANDEM_DATA_DIR"), shown, shown, shown));
          launch.out().flush();
        });
      }
    }
  }
}
