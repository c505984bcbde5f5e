package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.testing.Payloads;
import dev.tandem.core.testing.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import dev.tandem.core.slack.Installation;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.sandbox.AppRegistration;
import dev.tandem.sandbox.AppSpec;
import dev.tandem.sandbox.FakeSlack;
import dev.tandem.sandbox.FakeSlackOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tandem's Slack platform against the sandbox, both over real HTTP: nothing of Slack is faked in Tandem. */
class SlackSandboxIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;
  private FakeSlack slack;
  private Wiring wiring;
  private int port;

  @BeforeEach
  void startSandbox() throws IOException {
    slack = FakeSlack.create(FakeSlackOptions.forTests());
    slack.start(0);
    slack.addWorkspace("T0ACME", "Acme", "acme");
    slack.addUser("T0ACME", "U0ALICE", "alice", "Alice Archer", "alice@acme.example", true);
    slack.addChannel("T0ACME", "C0GENERAL", "general", false, "U0ALICE");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    if (wiring != null) {
      wiring.close();
    }
    slack.close();
  }

  @Test
  void anEventReachesAListenerWhoseWebApiCallLandsInTheSandbox() throws Exception {
    AppRegistration app = slack.registerApp(AppSpec.builder("Tandem Sync").signingSecret("sync-signing-secret-1")
        .requestUrl("http://127.0.0.1:" + port + "/slack/sync/events").botEvents("message.channels").build());
    dev.tandem.sandbox.Installation installed = slack.install(app.appId(), "T0ACME");
    String botToken = installed.botToken();
    slack.invite("T0ACME", "C0GENERAL", installed.botUserId());
    startTandem(Map.of("SLACK_SYNC_SIGNING_SECRET", "sync-signing-secret-1", "SLACK_SYNC_BOT_TOKEN", botToken));
    SlackApp sync = wiring.slack.app("sync").orElseThrow();
    sync.on("message", event -> {
      if (event.event().has("bot_id")) {
        return; // our own reply comes back as an event too
      }
      var reply = event.client().chatPostMessage(r -> r.channel(event.event().path("channel").asText())
          .threadTs(event.event().path("ts").asText()).text("Got it: " + event.event().path("text").asText()));
      if (!reply.isOk()) {
        throw new IllegalStateException(reply.getError());
      }
    });

    String ts = slack.postAsUser("T0ACME", "C0GENERAL", "alice", "hello from Acme", null);

    await().atMost(WAIT).until(() -> slack.messages("T0ACME", "C0GENERAL").stream()
        .anyMatch(m -> ts.equals(m.get("thread_ts")) && "Got it: hello from Acme".equals(m.get("text"))));

    // interactivity over HTTP: a button press reaches a Bolt listener, signed like an event
    List<String> pressed = new CopyOnWriteArrayList<>();
    sync.bolt().blockAction("approve", (req, ctx) -> {
      pressed.add(req.getPayload().getUser().getId() + ":" + req.getPayload().getActions().getFirst().getValue());
      return ctx.ack();
    });
    var card = sync.client(null, "T0ACME").chatPostMessage(r -> r.channel("C0GENERAL").text("Approve?")
        .blocksAsString("[{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"action_id\":\"approve\","
            + "\"text\":{\"type\":\"plain_text\",\"text\":\"Approve\"},\"value\":\"ok\"}]}]"));
    assertThat(slack.pressButton("T0ACME", "alice", "C0GENERAL", card.getTs(), "approve", "ok")).isEqualTo(200);
    assertThat(pressed).containsExactly("U0ALICE:ok");
    assertThat(slack.calls()).filteredOn(c -> "Got it: hello from Acme".equals(c.args().get("text"))).hasSize(1);
    assertThat(slack.calls()).noneMatch(dev.tandem.sandbox.ApiCall::unknownMethod);
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRESQL"})
  void theOAuthInstallStoresTheBotTokenEncryptedAndNeverLogsIt(Dialect dialect) throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    logs.start();
    AppRegistration app = slack.registerApp(AppSpec.builder("Tandem Sync").signingSecret("sync-signing-secret-2")
        .requestUrl("http://127.0.0.1:" + port + "/slack/sync/events").build());
    String databaseUrl = TestDatabases.freshUrl(dialect, dir);
    startTandem(Map.of("DATABASE_URL", databaseUrl, "SLACK_SYNC_SIGNING_SECRET", "sync-signing-secret-2",
        "SLACK_SYNC_CLIENT_ID", app.clientId(), "SLACK_SYNC_CLIENT_SECRET", app.clientSecret(),
        "SLACK_AUTHORIZE_URL", slack.authorizeUrl() + "?team=T0ACME", "TANDEM_PUBLIC_URL", "http://127.0.0.1:" + port));
    HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .cookieHandler(new java.net.CookieManager()).build();

    HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/sync/install")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> replayed = browser.send(HttpRequest.newBuilder(done.uri()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(done.body()).contains("Tandem Sync is installed in Acme");
    Installation installation = wiring.slack.app("sync").orElseThrow().installations().find(null, "T0ACME").orElseThrow();
    String token = installation.botToken();
    assertThat(installation.botId()).as("bot id from auth.test, to recognise our own posts").hasValueSatisfying(id -> assertThat(id).startsWith("B"));
    assertThat(token).startsWith("xoxb-");
    assertThat(replayed.statusCode()).as("a used state does not install twice").isEqualTo(400);
    assertThat(wiring.sync.topology().workspaces()).as("the Sync app records the workspace it was installed in")
        .extracting(w -> w.id() + " " + w.name()).containsExactly("T0ACME Acme");
    assertThat(everyTextValueInTheDatabase()).as("database contents").noneMatch(v -> v.contains(token))
        .anyMatch(v -> v.startsWith("tv1:"));
    wiring.close();
    wiring = null;
    root.detachAppender(logs);
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(token)
        || (e.getThrowableProxy() != null && String.valueOf(e.getThrowableProxy().getMessage()).contains(token)));
    if (dialect == Dialect.SQLITE) {
      for (String file : List.of("tandem.db", "tandem.db-wal")) {
        Path path = dir.resolve(file);
        if (Files.exists(path)) {
          assertThat(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1)).as(file).doesNotContain(token);
        }
      }
    }
  }

  @Test
  void uninstallMarksTheInstallationRevokedAUserRevocationDoesNotAndReinstallRestoresIt() throws Exception {
    AppRegistration app = slack.registerApp(AppSpec.builder("Tandem Sync").signingSecret("sync-signing-secret-4")
        .requestUrl("http://127.0.0.1:" + port + "/slack/sync/events").botEvents("app_uninstalled", "tokens_revoked").build());
    startTandem(Map.of("SLACK_SYNC_SIGNING_SECRET", "sync-signing-secret-4", "SLACK_SYNC_CLIENT_ID", app.clientId(),
        "SLACK_SYNC_CLIENT_SECRET", app.clientSecret(), "SLACK_AUTHORIZE_URL", slack.authorizeUrl() + "?team=T0ACME",
        "TANDEM_PUBLIC_URL", "http://127.0.0.1:" + port));
    var installations = wiring.slack.app("sync").orElseThrow().installations();
    installThroughTheBrowser();
    assertThat(installations.find(null, "T0ACME")).isPresent();

    slack.uninstall(app.appId(), "T0ACME");
    await().atMost(WAIT).until(() -> installations.find(null, "T0ACME").isEmpty());
    assertThat(installations.all()).singleElement().satisfies(i -> assertThat(i.revokedAt()).isPresent());

    installThroughTheBrowser();
    assertThat(installations.find(null, "T0ACME")).hasValueSatisfying(i -> assertThat(i.revokedAt()).isEmpty());
    String userOnly = Payloads.read("event.tokens_revoked.json").replace("T05QW7R3K9P", "T0ACME")
        .replace("\"bot\": [\n        \"U06LV3D5N2Q\"\n      ]", "\"bot\": []").replace("Ev078R1Y3Z7M", "Ev0USERONLY1");
    assertThat(userOnly).contains("\"bot\": []");
    String ts = String.valueOf(System.currentTimeMillis() / 1000);
    HttpResponse<String> delivered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/slack/sync/events"))
        .header("Content-Type", "application/json").header("X-Slack-Request-Timestamp", ts)
        .header("X-Slack-Signature", new com.slack.api.app_backend.SlackSignature.Generator("sync-signing-secret-4").generate(ts, userOnly))
        .POST(HttpRequest.BodyPublishers.ofString(userOnly)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(delivered.statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT status FROM core_job WHERE payload LIKE '%Ev0USERONLY1%'").mapTo(String.class).findOne()).filter("done"::equals).isPresent());
    assertThat(installations.find(null, "T0ACME")).as("a user-level revocation is not an uninstall").isPresent();
  }

  @Test
  void anInstallFinishedInAnotherBrowserIsRefused() throws Exception {
    AppRegistration app = slack.registerApp(AppSpec.builder("Tandem Sync").signingSecret("sync-signing-secret-5")
        .requestUrl("http://127.0.0.1:" + port + "/slack/sync/events").build());
    startTandem(Map.of("SLACK_SYNC_SIGNING_SECRET", "sync-signing-secret-5", "SLACK_SYNC_CLIENT_ID", app.clientId(),
        "SLACK_SYNC_CLIENT_SECRET", app.clientSecret(), "SLACK_AUTHORIZE_URL", slack.authorizeUrl() + "?team=T0ACME",
        "TANDEM_PUBLIC_URL", "http://127.0.0.1:" + port));
    HttpClient victim = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
    HttpClient attacker = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    String authorize = victim.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/sync/install")).build(),
        HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
    HttpResponse<String> elsewhere = attacker.send(HttpRequest.newBuilder(URI.create(authorize)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(elsewhere.statusCode()).isEqualTo(400);
    assertThat(elsewhere.body()).contains("not started from this browser");
    assertThat(wiring.slack.app("sync").orElseThrow().installations().countActive()).isZero();
  }

  private void installThroughTheBrowser() throws Exception {
    HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .cookieHandler(new java.net.CookieManager()).build();
    HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/sync/install")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
  }

  /** Every text value of every table: what a dump of the database would hold. */
  private List<String> everyTextValueInTheDatabase() {
    return wiring.database.jdbi().withHandle(h -> {
      List<String> tables = wiring.database.dialect() == Dialect.SQLITE
          ? h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table'").mapTo(String.class).list()
          : h.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").mapTo(String.class).list();
      List<String> values = new java.util.ArrayList<>();
      for (String table : tables) {
        h.createQuery("SELECT * FROM " + table).mapToMap().forEach(row -> row.values().forEach(v -> {
          if (v != null) {
            values.add(v.toString());
          }
        }));
      }
      return values;
    });
  }

  @Test
  void socketModeDeliversAnEventAndAnInteractivePayload() throws Exception {
    AppRegistration app = slack.registerApp(AppSpec.builder("Tandem Leave").socketMode(true).botEvents("message.channels").build());
    dev.tandem.sandbox.Installation installed = slack.install(app.appId(), "T0ACME");
    slack.invite("T0ACME", "C0GENERAL", installed.botUserId());
    // #general is a leave channel here, and the messages are leave: the Leave app's gate drops anything else before it is stored
    startTandem(Map.of("SLACK_LEAVE_APP_TOKEN", app.appToken(), "SLACK_LEAVE_BOT_TOKEN", installed.botToken(),
        "TANDEM_LEAVE_CHANNELS", "C0GENERAL"));
    SlackApp leave = wiring.slack.app("leave").orElseThrow();
    List<String> seen = new CopyOnWriteArrayList<>();
    leave.on("message", event -> {
      if (!event.event().has("bot_id")) {
        seen.add("event:" + event.event().path("text").asText());
      }
    });
    leave.bolt().blockAction("confirm_leave", (req, ctx) -> {
      seen.add("pressed:" + req.getPayload().getActions().getFirst().getValue() + " by " + req.getPayload().getUser().getId());
      return ctx.ack();
    });
    await().atMost(WAIT).until(() -> slack.socketConnections(app.appId()) > 0);

    slack.postAsUser("T0ACME", "C0GENERAL", "alice", "off on Friday", null);
    await().atMost(WAIT).until(() -> seen.contains("event:off on Friday"));
    var card = leave.client(null, "T0ACME").chatPostMessage(r -> r.channel("C0GENERAL").text("Confirm your leave?")
        .blocksAsString("[{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"action_id\":\"confirm_leave\","
            + "\"text\":{\"type\":\"plain_text\",\"text\":\"Confirm\"},\"value\":\"yes\"}]}]"));
    slack.pressButton("T0ACME", "alice", "C0GENERAL", card.getTs(), "confirm_leave", "yes");

    await().atMost(WAIT).until(() -> seen.contains("pressed:yes by U0ALICE"));

    // Slack asks the app to reconnect in the middle of traffic: nothing is lost
    for (int i = 0; i < 10; i++) {
      if (i == 5) {
        slack.socketDisconnect(app.appId(), "refresh_requested");
      }
      slack.postAsUser("T0ACME", "C0GENERAL", "alice", "off on Friday, burst " + i, null);
    }
    await().atMost(WAIT).until(() -> java.util.stream.IntStream.range(0, 10).allMatch(i -> seen.contains("event:off on Friday, burst " + i)));
    assertThat(seen).filteredOn(e -> e.startsWith("event:off on Friday, burst ")).hasSize(10);

    // Slack turned Socket Mode off for the app: Tandem stops reconnecting and says so in readiness
    await().atMost(WAIT).until(() -> slack.socketConnections(app.appId()) == 1);
    long opens = slack.calls().stream().filter(c -> c.method().equals("apps.connections.open")).count();
    slack.socketDisconnect(app.appId(), "link_disabled");
    await().atMost(WAIT).until(() -> slack.socketConnections(app.appId()) == 0 && readiness().contains("link_disabled"));
    assertThat(slack.calls()).filteredOn(c -> c.method().equals("apps.connections.open")).hasSize((int) opens);
  }

  private String readiness() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void a429IsRetriedAfterSlacksRetryAfter() {
    AppRegistration app = slack.registerApp(AppSpec.builder("Tandem Sync").signingSecret("sync-signing-secret-3")
        .requestUrl("http://127.0.0.1:" + port + "/slack/sync/events").botEvents("message.channels").build());
    dev.tandem.sandbox.Installation installed = slack.install(app.appId(), "T0ACME");
    slack.invite("T0ACME", "C0GENERAL", installed.botUserId());
    startTandem(Map.of("SLACK_SYNC_SIGNING_SECRET", "sync-signing-secret-3", "SLACK_SYNC_BOT_TOKEN", installed.botToken()));
    SlackApp sync = wiring.slack.app("sync").orElseThrow();
    sync.on("message", event -> {
      if (!event.event().has("bot_id")) {
        String channel = event.event().path("channel").asText();
        sync.calls().call("T0ACME", "chat.postMessage", channel,
            () -> event.client().chatPostMessage(r -> r.channel(channel).text("echo " + event.event().path("text").asText())));
      }
    });
    slack.knobs().fault("chat.postMessage", new dev.tandem.sandbox.Knobs.Fault(1.0, 0, 0, 0));

    slack.postAsUser("T0ACME", "C0GENERAL", "alice", "busy day", null);
    await().atMost(WAIT).until(() -> lastError().contains("chat.postMessage answered 429"));
    slack.knobs().clearFaults();
    long delay = wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT MAX(run_at - updated_at) FROM core_job WHERE kind = 'slack.event' AND last_error LIKE '%answered 429%'")
        .mapTo(Long.class).one());
    assertThat(delay).as("retried after exactly Slack's Retry-After (1 s), not a jittered backoff").isEqualTo(1000);

    await().atMost(WAIT).until(() -> slack.messages("T0ACME", "C0GENERAL").stream().anyMatch(m -> "echo busy day".equals(m.get("text"))));
    assertThat(slack.calls()).filteredOn(c -> c.method().equals("chat.postMessage")).extracting(c -> c.httpStatus())
        .startsWith(429).endsWith(200);
    var timer = wiring.metrics.registry().find("tandem.slack.api.calls").tags("app", "sync", "method", "chat.postMessage");
    assertThat(timer.tag("status", "429").tag("error", "ratelimited").timer().count()).isGreaterThanOrEqualTo(1);
    assertThat(wiring.metrics.registry().find("tandem.slack.api.calls").tags("app", "sync", "method", "chat.postMessage", "status", "200")
        .timer().count()).isEqualTo(1);
  }

  private String lastError() {
    return wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COALESCE(MAX(last_error), '') FROM core_job WHERE kind = 'slack.event'").mapTo(String.class).one());
  }

  private void startTandem(Map<String, String> slackSettings) {
    Map<String, String> env = new HashMap<>(Map.of("PORT", String.valueOf(port), "TANDEM_BIND_HOST", "127.0.0.1", "TANDEM_DATA_DIR", dir.toString(),
        "TANDEM_JOB_POLL_INTERVAL", "50ms", "SLACK_API_URL", slack.webApiUrl()));
    env.putAll(slackSettings);
    wiring = new Wiring(Settings.read(new ConfigReader(env, Map.of())), Clock.systemUTC());
    wiring.start(Wiring.allRoles());
  }
}
