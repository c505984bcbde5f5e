package dev.tandem.app;

import dev.tandem.core.CoreModule;
import dev.tandem.core.CoreSettings;
import dev.tandem.core.db.Database;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.jobs.JobWorkerPool;
import dev.tandem.core.metrics.Metrics;
import dev.tandem.core.module.Role;
import dev.tandem.core.module.TandemModule;
import dev.tandem.core.slack.SlackModule;
import dev.tandem.core.vault.EncryptedColumn;
import dev.tandem.core.vault.KeyRing;
import dev.tandem.core.vault.KeyRotation;
import dev.tandem.core.vault.TokenVault;
import dev.tandem.core.web.Readiness;
import dev.tandem.core.web.WebServer;
import dev.tandem.leave.LeaveModule;
import dev.tandem.leave.intake.LeaveReading;
import dev.tandem.leave.parse.LlmParser;
import dev.tandem.leave.parse.RuleParser;
import dev.tandem.sync.SyncModule;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: every long-lived object of a process is created here, in dependency
 * order, and closed in reverse.
 */
final class Wiring implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Wiring.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  final Settings settings;
  final Clock clock;
  final Metrics metrics;
  final Database database;
  final TokenVault vault;
  final JobQueue queue;
  final SlackModule slack;
  final SyncModule sync;
  final LeaveModule leave;
  /** The LLM leave parser, when one is configured. */
  final Optional<LlmParser> llm;
  final List<TandemModule> modules;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Optional<WebServer> web = Optional.empty();
  private Optional<JobWorkerPool> pool = Optional.empty();

  /** Opens the database, applies migrations and loads the vault: what every command needs. */
  Wiring(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    CoreSettings core = settings.core();
    dev.tandem.core.faults.FaultPoints.arm(core.faultPoint());
    this.metrics = new Metrics();
    closeables.add(metrics);
    try {
      this.database = Database.open(core.database().requireUrl(), core.database().poolSize(), metrics.registry());
      closeables.add(database);
      SecureRandom random = new SecureRandom();
      this.vault = new TokenVault(KeyRing.load(core.vault(), random), random);
      this.queue = new JobQueue(database, core.jobs(), clock, metrics.registry());
      this.sync = new SyncModule(database, queue, settings.sync(), clock, metrics.registry());
      RuleParser rules = new RuleParser();
      this.llm = settings.leave().llm().map(s -> new LlmParser(s, metrics.registry(), rules));
      llm.ifPresent(closeables::add);
      this.leave = new LeaveModule(database, queue, settings.leave(), rules, llm.map(LeaveReading::byLlm).orElse(LeaveReading.byRules(rules)),
          clock, metrics.registry(), settings.slack().publicUrl());
      List<TandemModule> features = List.of(sync, leave);
      this.slack = new SlackModule(settings.slack(), Settings.SLACK_APPS, settings.slackApps(), database, vault, queue, clock, metrics.registry());
      closeables.add(slack);
      for (TandemModule feature : features) {
        feature.slackApp().flatMap(spec -> slack.app(spec.name())).ifPresent(feature::onSlackApp);
      }
      List<TandemModule> all = new ArrayList<>();
      all.add(new CoreModule(database.jdbi(), core.jobs(), clock));
      all.add(slack);
      all.addAll(features);
      this.modules = List.copyOf(all);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  List<Migrations.Applied> migrate() {
    List<MigrationSet> sets = modules.stream().map(TandemModule::migrations).flatMap(Optional::stream).toList();
    return new Migrations(database).migrate(sets);
  }

  KeyRotation keyRotation() {
    List<EncryptedColumn> columns = modules.stream().flatMap(m -> m.encryptedColumns().stream()).toList();
    return new KeyRotation(database.jdbi(), vault, columns);
  }

  /** Starts the roles: web server always (health, readiness, metrics), job workers for the worker role. */
  int start(Set<Role> roles) {
    return start(roles, routes -> {});
  }

  /** As {@link #start(Set)}, with more routes on the same server (the sandbox, in {@code demo}). */
  int start(Set<Role> roles, java.util.function.Consumer<io.javalin.config.RoutesConfig> extraRoutes) {
    migrate();
    keyRotation().checkAllKeysPresent();
    if (roles.contains(Role.WORKER)) {
      JobRegistry registry = new JobRegistry();
      modules.forEach(m -> m.registerJobs(registry));
      JobWorkerPool workers = new JobWorkerPool(queue, registry, settings.core().jobs(), clock, metrics.registry(), workerId());
      workers.start();
      pool = Optional.of(workers);
    }
    Readiness readiness = new Readiness(Duration.ofSeconds(3));
    readiness.register(database.healthCheck());
    modules.forEach(m -> m.healthChecks().forEach(readiness::register));
    leave.useHealth(readiness::check);
    WebServer server = new WebServer(settings.core().web(), metrics, readiness, routes -> {
      modules.forEach(m -> m.registerRoutes(routes, roles));
      extraRoutes.accept(routes);
    });
    int port = server.start();
    web = Optional.of(server);
    if (roles.contains(Role.BOT)) {
      llm.ifPresent(this::checkLlm);
      try {
        slack.startSocketMode();
      } catch (Exception e) {
        throw new IllegalStateException("Socket Mode did not connect: " + e.getMessage(), e);
      }
    }
    log.info("Tandem is up: http://{}:{} roles={} database={} key={}", settings.core().web().host(), port,
        roles.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).toList(), database.url(), vault.keys().current().id());
    return port;
  }

  /**
   * Asks the configured model one made-up message in the background (a slow model must not hold up
   * start-up): a model that rejects structured output or is unreachable gets a clear warning, and
   * the rule parser answers meanwhile. Counted in {@code tandem.leave.llm.startup_check}.
   */
  private void checkLlm(LlmParser parser) {
    Thread.ofVirtual().name("leave-llm-check").start(() -> {
      LlmParser.Check check = parser.check();
      if (check.ok()) {
        log.info("{}", check.message());
      } else {
        log.warn("{}", check.message());
      }
      io.micrometer.core.instrument.Counter.builder("tandem.leave.llm.startup_check")
          .description("The start-up check of the configured LLM leave parser, by outcome")
          .tag("outcome", check.ok() ? "passed" : "failed").register(metrics.registry()).increment();
    });
  }

  /** The routes of the running web server. */
  List<WebServer.Route> routes() {
    return web.orElseThrow(() -> new IllegalStateException("not started")).routes();
  }

  static Set<Role> allRoles() {
    return EnumSet.allOf(Role.class);
  }

  private static String workerId() {
    return ProcessHandle.current().pid() + "@" + hostName();
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown-host";
    }
  }

  @Override
  public void close() {
    boolean started = web.isPresent() || pool.isPresent();
    web.ifPresent(WebServer::close);
    pool.ifPresent(p -> p.stop(SHUTDOWN_GRACE));
    web = Optional.empty();
    pool = Optional.empty();
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn("closing {} failed", closeables.get(i).getClass().getSimpleName(), e);
      }
    }
    closeables.clear();
    if (started) {
      log.info("Tandem stopped");
    }
  }
}
