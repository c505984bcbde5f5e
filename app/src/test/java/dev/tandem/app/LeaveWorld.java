package dev.tandem.app;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.testing.ShiftedClock;
import dev.tandem.core.testing.TestDatabases;
import dev.tandem.leave.LeaveModule;
import dev.tandem.sandbox.AppRegistration;
import dev.tandem.sandbox.AppSpec;
import dev.tandem.sandbox.FakeSlack;
import dev.tandem.sandbox.FakeSlackOptions;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Two workspaces in the sandbox, each with a #leave channel that is a leave channel, and Tandem
 * (all roles, real HTTP, the given database) with the Leave app installed in both through OAuth,
 * connected over Socket Mode (its default) unless {@code SLACK_LEAVE_SOCKET_MODE=false} is given.
 *
 * <ul>
 *   <li>Acme: alice (Europe/Berlin), carol, #leave C0ACMELVE</li>
 *   <li>Globex: bob, dave (dave@example.com, also in Acme as davea), #leave C0GLOBLVE</li>
 * </ul>
 */
final class LeaveWorld implements AutoCloseable {
  static final Map<String, String> LEAVE = Map.of("T0ACME", "C0ACMELVE", "T0GLOBEX", "C0GLOBLVE");
  private static final Duration WAIT = Duration.ofSeconds(30);

  final FakeSlack slack = FakeSlack.create(FakeSlackOptions.forTests().withEventAckTimeout(Duration.ofSeconds(3)));
  final ShiftedClock clock = new ShiftedClock();
  final Wiring wiring;
  final AppRegistration app;
  final Map<String, String> bots = new HashMap<>();
  /** The settings Tandem runs with (to start it again as a separate process) and its port. */
  final Map<String, String> env;
  final int port;
  private boolean tandemStopped;

  LeaveWorld(Path dir, Dialect dialect, Map<String, String> extraEnv) throws Exception {
    this(dir, dialect, extraEnv, s -> { });
  }

  /** The same, with {@code before} preparing the sandbox before Tandem starts (e.g. scripting the fake LLM's first answer). */
  LeaveWorld(Path dir, Dialect dialect, Map<String, String> extraEnv, java.util.function.Consumer<FakeSlack> before) throws Exception {
    slack.start(0);
    slack.addWorkspace("T0ACME", "Acme", "acme");
    slack.addUser("T0ACME", "U0ALICE", "alice", "Alice Archer", "alice@acme.example", true);
    slack.addUser("T0ACME", "U0CAROL", "carol", "Carol Chen", "carol@acme.example", false);
    slack.addUser("T0ACME", "U0DAVEA", "davea", "Dave Diaz", "dave@example.com", false);
    slack.addChannel("T0ACME", "C0ACMELVE", "leave", false, "U0ALICE", "U0CAROL", "U0DAVEA");
    slack.addWorkspace("T0GLOBEX", "Globex", "globex");
    slack.addUser("T0GLOBEX", "U0BOB", "bob", "Bob Brown", "bob@globex.example", true);
    slack.addUser("T0GLOBEX", "U0DAVEG", "dave", "Dave Diaz", "dave@example.com", false);
    slack.addChannel("T0GLOBEX", "C0GLOBLVE", "leave", false, "U0BOB", "U0DAVEG");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    boolean socketMode = !"false".equals(extraEnv.get("SLACK_LEAVE_SOCKET_MODE"));
    AppSpec.Builder spec = AppSpec.builder("Tandem Leave").botScopes(LeaveModule.SLACK_APP.botScopes().toArray(String[]::new))
        .botEvents(LeaveModule.SLACK_APP.botEvents().toArray(String[]::new));
    app = slack.registerApp(socketMode ? spec.socketMode(true).build() : spec.requestUrl(base + "/slack/leave/events").build());
    Map<String, String> env = new HashMap<>(Map.of("PORT", String.valueOf(port), "TANDEM_BIND_HOST", "127.0.0.1",
        "TANDEM_DATA_DIR", dir.toString(), "SLACK_API_URL", slack.webApiUrl(), "SLACK_AUTHORIZE_URL", slack.authorizeUrl(),
        "TANDEM_PUBLIC_URL", base, "DATABASE_URL", TestDatabases.freshUrl(dialect, dir)));
    env.putAll(Map.of("SLACK_LEAVE_SIGNING_SECRET", app.signingSecret(), "SLACK_LEAVE_CLIENT_ID", app.clientId(),
        "SLACK_LEAVE_CLIENT_SECRET", app.clientSecret(), "SLACK_LEAVE_SOCKET_MODE", String.valueOf(socketMode),
        "TANDEM_JOB_POLL_INTERVAL", "50ms", "TANDEM_JOB_BACKOFF_INITIAL", "20ms", "TANDEM_JOB_BACKOFF_MAX", "200ms",
        "TANDEM_LEAVE_CHANNELS", "C0ACMELVE,C0GLOBLVE"));
    if (socketMode) {
      env.put("SLACK_LEAVE_APP_TOKEN", app.appToken());
    }
    env.putAll(extraEnv);
    env.replaceAll((k, v) -> v.replace("{openai}", slack.openAiUrl()).replace("{google}", slack.googleRootUrl())
        .replace("{google_key}", slack.googleServiceAccountKeyJson()).replace("{harvest}", slack.harvestUrl())
        .replace("{harvest_account}", slack.harvestAccountId()).replace("{harvest_token}", slack.harvestToken())
        .replace("{google_issuer}", slack.googleIssuer()));
    before.accept(slack);
    this.env = Map.copyOf(env);
    wiring = new Wiring(Settings.read(new ConfigReader(env, Map.of())), clock);
    try {
      wiring.start(Wiring.allRoles());
      for (String team : LEAVE.keySet()) {
        String bot = DemoWorld.install(base, wiring.slack, "leave", team);
        bots.put(team, bot);
        slack.invite(team, LEAVE.get(team), bot);
      }
      if (socketMode) {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> slack.socketConnections(app.appId()) > 0);
      }
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Settings for the sandbox's Google Calendar (calendar {@link #CALENDAR}) and Harvest (project 500, tasks 601 vacation, 602 sick). */
  static final String CALENDAR = "leave@tandem.example";

  static Map<String, String> recording() {
    Map<String, String> env = new HashMap<>();
    env.put("TANDEM_LEAVE_GOOGLE_API_URL", "{google}");
    env.put("TANDEM_LEAVE_GOOGLE_KEY", "{google_key}");
    env.put("TANDEM_LEAVE_GOOGLE_CALENDAR_ID", CALENDAR);
    env.put("TANDEM_LEAVE_HARVEST_URL", "{harvest}");
    env.put("TANDEM_LEAVE_HARVEST_ACCOUNT_ID", "{harvest_account}");
    env.put("TANDEM_LEAVE_HARVEST_TOKEN", "{harvest_token}");
    env.put("TANDEM_LEAVE_HARVEST_PROJECT_ID", "500");
    env.put("TANDEM_LEAVE_HARVEST_VACATION_TASK_ID", "601");
    env.put("TANDEM_LEAVE_HARVEST_SICK_TASK_ID", "602");
    return env;
  }

  /** Seeds the sandbox's calendar and Harvest account for {@link #recording()}: alice and dave have Harvest users, carol none. */
  static void seedRecording(FakeSlack s) {
    s.calendar().addCalendar(CALENDAR, "Leave");
    s.harvest().addProject(500, "Leave");
    s.harvest().addTask(500, 601, "Vacation");
    s.harvest().addTask(500, 602, "Sick");
    s.harvest().addUser(7001, "Alice", "Archer", "alice@acme.example", true);
    s.harvest().addUser(7002, "Dave", "Diaz", "dave@example.com", true);
  }

  /** Posts in a team's #leave (a reply when {@code threadTs} is given); returns the message's ts. */
  String post(String team, String user, String text, String threadTs) {
    return slack.postAsUser(team, LEAVE.get(team), user, text, threadTs);
  }

  /** Posts in #leave, confirms as the poster, and waits until the request's steps have all ended; returns the confirmation's ts. */
  String announceAndConfirm(String team, String user, String text) {
    String post = post(team, user, text, null);
    Map<String, Object> confirmation = awaitReply(team, post, 1);
    press(team, user, confirmation, dev.tandem.leave.intake.RequestMessages.CONFIRM);
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM leave_request WHERE message_ts = ? AND status = 'completed'",
        post) == 1);
    return (String) confirmation.get("ts");
  }

  /** A Monday two to three weeks ahead in the sandbox users' zone: leave on it is always in the future and a weekday. */
  static java.time.LocalDate mondayAhead() {
    return java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).plusWeeks(2)
        .with(java.time.temporal.TemporalAdjusters.nextOrSame(java.time.DayOfWeek.MONDAY));
  }

  /** The web server's base URL. */
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The bot's messages in the thread of {@code threadTs}, oldest first. */
  List<Map<String, Object>> botReplies(String team, String threadTs) {
    String bot = bots.get(team);
    return slack.messages(team, LEAVE.get(team)).stream()
        .filter(m -> threadTs.equals(m.get("thread_ts")) && !threadTs.equals(m.get("ts")))
        .filter(m -> m.get("bot_id") != null || bot.equals(m.get("user"))).toList();
  }

  /** Waits for the bot's {@code n}-th message in the thread and returns it as it is now. */
  Map<String, Object> awaitReply(String team, String threadTs, int n) {
    try {
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> botReplies(team, threadTs).size() >= n);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no reply " + n + " in thread " + threadTs + "; gate: "
          + wiring.metrics.registry().find("tandem.leave.gate").counters().stream().map(c -> c.getId().getTags() + "=" + c.count()).toList()
          + "; messages: " + slack.messages(team, LEAVE.get(team)) + "; requests: "
          + wiring.database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM leave_request").mapToMap().list()), e);
    }
    return botReplies(team, threadTs).get(n - 1);
  }

  /** The bot's message with this ts, as it is now. */
  Map<String, Object> message(String team, String ts) {
    return slack.messages(team, LEAVE.get(team)).stream().filter(m -> Objects.equals(ts, m.get("ts"))).findFirst().orElseThrow();
  }

  /** Waits until the message with this ts says {@code expected} (the bot rewrites its messages in jobs) and returns it. */
  Map<String, Object> awaitMessage(String team, String ts, String expected) {
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> text(message(team, ts)).contains(expected));
    return message(team, ts);
  }

  /** Everything a message says: its text and every text inside its blocks. */
  static String text(Map<String, Object> message) {
    return message.get("text") + " " + message.get("blocks");
  }

  /** Presses the message's button {@code actionId} as {@code user}; its value is the request id the bot put there. */
  int press(String team, String user, Map<String, Object> message, String actionId) {
    return slack.pressButton(team, user, LEAVE.get(team), (String) message.get("ts"), actionId, buttonValue(message, actionId));
  }

  /** The value of the message's button {@code actionId}; fails when the message has no such button. */
  @SuppressWarnings("unchecked")
  static String buttonValue(Map<String, Object> message, String actionId) {
    for (Object block : (List<Object>) message.getOrDefault("blocks", List.of())) {
      for (Object element : (List<Object>) ((Map<String, Object>) block).getOrDefault("elements", List.of())) {
        Map<String, Object> e = (Map<String, Object>) element;
        if (actionId.equals(e.get("action_id"))) {
          return (String) e.get("value");
        }
      }
    }
    throw new AssertionError("no button " + actionId + " in " + message);
  }

  static boolean hasButtons(Map<String, Object> message) {
    return String.valueOf(message.get("blocks")).contains("leave_confirm");
  }

  /** Rows of a query with one long result. */
  long count(String sql, Object... args) {
    return wiring.database.jdbi().withHandle(h -> h.select(sql, args).mapTo(Long.class).one());
  }

  /** Waits until every job has run (the event jobs of what was posted, and what they started). */
  void awaitIdle() {
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> count(
        "SELECT COUNT(*) FROM core_job WHERE kind = 'slack.event' AND status NOT IN ('done', 'dead')") == 0);
  }

  /** Stops the in-process Tandem (its data stays), e.g. to run it as a separate process instead. */
  void stopTandem() {
    if (!tandemStopped && wiring != null) {
      tandemStopped = true;
      wiring.close();
    }
  }

  @Override
  public void close() {
    try {
      stopTandem();
    } finally {
      slack.close();
    }
  }
}
