package dev.tandem.leave;

import dev.tandem.core.db.Database;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.module.Role;
import dev.tandem.core.module.TandemModule;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackAppSpec;
import dev.tandem.core.web.HealthCheck;
import dev.tandem.core.web.Readiness;
import dev.tandem.leave.admin.AdminAccounts;
import dev.tandem.leave.intake.LeaveButtons;
import dev.tandem.leave.intake.LeaveGate;
import dev.tandem.leave.intake.LeaveIntake;
import dev.tandem.leave.intake.LeaveReading;
import dev.tandem.leave.intake.LeaveRequests;
import dev.tandem.leave.parse.LeaveParser;
import dev.tandem.leave.people.LeavePeople;
import dev.tandem.leave.records.LeaveRecords;
import dev.tandem.leave.steps.LeaveSteps;
import dev.tandem.leave.web.AdminAuth;
import dev.tandem.leave.web.AdminParts;
import dev.tandem.leave.web.AdminStore;
import dev.tandem.leave.web.AdminWeb;
import dev.tandem.leave.web.AuditLog;
import dev.tandem.leave.web.ChannelNames;
import dev.tandem.leave.web.PeopleImport;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The Leave app: leave announcements in leave channels, confirmed by their posters, recorded per person and day. */
public final class LeaveModule implements TandemModule {
  /** Reads the leave channels, answers in threads with buttons, looks people up; Socket Mode by default. */
  public static final SlackAppSpec SLACK_APP = new SlackAppSpec("leave", "Tandem Leave",
      List.of("channels:history", "channels:read", "chat:write", "groups:history", "groups:read", "users:read", "users:read.email"),
      List.of("app_uninstalled", "message.channels", "message.groups", "tokens_revoked"),
      true);
  private static final Duration EXPIRY_SWEEP = Duration.ofSeconds(30);

  private final LeaveConfig config;
  private final LeaveGate gate;
  private final LeaveIntake intake;
  private final LeaveButtons buttons;
  private final LeaveSteps steps;
  private final AdminAccounts admins;
  private final AdminWeb web;
  private final AdminAuth auth;
  private final AuditLog audit;
  private final AdminStore store;
  private final PeopleImport peopleImport;
  private final Clock clock;
  private final boolean googleSignIn;
  private volatile SlackApp slackApp;
  private volatile Supplier<Readiness.Report> health = () -> new Readiness.Report(false, Map.of());

  /**
   * @param rules the rule parser: the gate's test, and the fallback of an LLM parser
   * @param understanding the configured parser (the rules themselves, or the LLM parser)
   */
  public LeaveModule(Database database, JobQueue queue, LeaveSettings settings, LeaveParser rules, LeaveIntake.Understanding understanding, Clock clock,
      MeterRegistry metrics, String publicUrl) {
    this.config = new LeaveConfig(database.jdbi(), settings, clock);
    LeavePeople people = new LeavePeople(database.jdbi(), clock);
    LeaveRequests requests = new LeaveRequests(database.jdbi(), database.dialect(), clock);
    LeaveRecords records = new LeaveRecords(database.jdbi(), clock);
    LeaveReading reading = new LeaveReading(() -> config.current().keywords(), rules, understanding);
    this.gate = new LeaveGate(config, reading, requests, clock, metrics);
    this.intake = new LeaveIntake(database.jdbi(), queue, config, people, requests, records, reading, clock, metrics);
    this.steps = new LeaveSteps(database.jdbi(), queue, settings.steps(), () -> config.current().recording(), people, clock, intake::render);
    this.admins = new AdminAccounts(database.jdbi(), clock);
    this.buttons = new LeaveButtons(database.jdbi(), requests, records, intake, steps, clock, metrics);
    this.audit = new AuditLog(database.jdbi(), clock);
    this.auth = new AdminAuth(database.jdbi(), clock, settings.admin());
    this.store = new AdminStore(database.jdbi(), clock, records, steps, audit);
    this.peopleImport = new PeopleImport(database.jdbi(), config, people, steps, () -> Optional.ofNullable(slackApp), audit);
    this.web = new AdminWeb(auth, admins, audit, settings.admin(), publicUrl, clock, metrics);
    this.clock = clock;
    this.googleSignIn = settings.admin().google().isPresent();
  }

  /** Where the web admin's dashboard reads the health of the parts (the server's readiness checks). */
  public void useHealth(Supplier<Readiness.Report> health) {
    this.health = health;
  }

  /** The web admin's API tokens and sessions. */
  public AdminAuth adminAuth() {
    return auth;
  }

  /** The settings in force (environment defaults, overridden by what admins stored). */
  public LeaveConfig config() {
    return config;
  }

  /** The web admin's local accounts ({@code tandem admin create}). */
  public AdminAccounts admins() {
    return admins;
  }

  /** Calendar and Harvest steps ({@code tandem leave retry}). */
  public LeaveSteps steps() {
    return steps;
  }

  @Override
  public String name() {
    return "leave";
  }

  @Override
  public Optional<SlackAppSpec> slackApp() {
    return Optional.of(SLACK_APP);
  }

  @Override
  public void onSlackApp(SlackApp app) {
    this.slackApp = app;
    app.absorb(gate::drop);
    intake.attach(app);
    buttons.attach(app);
  }

  /**
   * {@code leave.channels}: up with the number of leave channels; without any, "not configured"
   * (it does not fail readiness, but says why the bot reads nothing).
   */
  @Override
  public List<HealthCheck> healthChecks() {
    List<HealthCheck> checks = new java.util.ArrayList<>(List.of(HealthCheck.of("leave.channels", () -> {
      int n = config.current().channels().size();
      return n == 0 ? HealthCheck.Status.notConfigured("no leave channels: set TANDEM_LEAVE_CHANNELS (channel ids), or store them in the admin")
          : HealthCheck.Status.up(n + (n == 1 ? " leave channel" : " leave channels"));
    })));
    checks.addAll(steps.healthChecks());
    return checks;
  }

  /** The web admin and its API, for the web role; on first run, the first local admin account. */
  @Override
  public void registerRoutes(RoutesConfig routes, Set<Role> roles) {
    if (!roles.contains(Role.WEB)) {
      return;
    }
    web.firstRun();
    web.register(routes);
    AdminWeb.registerPages(routes, new AdminParts(store, peopleImport, config, audit, auth, admins,
        new ChannelNames(() -> Optional.ofNullable(slackApp), clock), googleSignIn, () -> health.get(), clock));
  }

  @Override
  public void registerJobs(JobRegistry jobs) {
    jobs.every(EXPIRY_SWEEP, LeaveButtons.EXPIRY_JOB, job -> buttons.expireDue());
    intake.registerJobs(jobs);
    steps.registerJobs(jobs);
  }
}
