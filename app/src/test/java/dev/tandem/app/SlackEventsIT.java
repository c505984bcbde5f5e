package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.slack.api.app_backend.SlackSignature;
import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.testing.Payloads;
import dev.tandem.core.testing.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events API deliveries over real HTTP into the Sync app's Bolt pipeline, signed as Slack signs them. */
class SlackEventsIT {
  private static final String SECRET = "tandem-sandbox-signing-secret-0001";
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<SlackEvent> handled = new CopyOnWriteArrayList<>();
  private Wiring wiring;
  private int port;

  @BeforeEach
  void start() {
    Settings settings = Settings.read(new ConfigReader(Map.of(
        "PORT", "0", "TANDEM_DATA_DIR", dir.toString(), "TANDEM_JOB_POLL_INTERVAL", "50ms",
        "SLACK_SYNC_SIGNING_SECRET", SECRET, "SLACK_SYNC_BOT_TOKEN", "xoxb-1111-2222-test",
        "SLACK_LEAVE_SIGNING_SECRET", SECRET, "SLACK_LEAVE_BOT_TOKEN", "xoxb-3333-4444-test", "SLACK_LEAVE_SOCKET_MODE", "false"), Map.of()));
    wiring = new Wiring(settings, Clock.systemUTC());
    SlackApp sync = wiring.slack.app("sync").orElseThrow();
    sync.on("message", handled::add);
    port = wiring.start(Wiring.allRoles());
  }

  @AfterEach
  void stop() {
    wiring.close();
  }

  @Test
  void aSignedEventIsAcknowledgedAndHandledInAJob() throws Exception {
    String body = Payloads.read("event.message.json");

    HttpResponse<String> response = post(body, signed(body, now()));

    assertThat(response.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1);
    SlackEvent event = handled.getFirst();
    assertThat(event.eventId()).isEqualTo("Ev078Q2K7M1P");
    assertThat(event.teamId()).contains("T05QW7R3K9P");
    assertThat(event.event().path("text").asText()).isEqualTo("<@U05QX2B7H4S> I'm off on Friday 21 June, back Monday");
  }

  @Test
  void unsignedWronglySignedAndStaleRequestsGet401AndChangeNothing() throws Exception {
    String body = Payloads.read("event.message.json");
    long stale = now() - 6 * 60;
    long future = now() + 6 * 60;

    HttpResponse<String> unsigned = post(body, Map.of());
    HttpResponse<String> wrongSecret = post(body, Map.of("X-Slack-Request-Timestamp", String.valueOf(now()),
        "X-Slack-Signature", new SlackSignature.Generator("not-the-secret").generate(String.valueOf(now()), body)));
    HttpResponse<String> old = post(body, signed(body, stale));
    HttpResponse<String> ahead = post(body, signed(body, future));

    assertThat(List.of(unsigned.statusCode(), wrongSecret.statusCode(), old.statusCode(), ahead.statusCode())).containsOnly(401);
    assertThat(storedEvents()).isZero();
    long jobs = wiring.database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM core_job WHERE kind = 'slack.event'")
        .mapTo(Long.class).one());
    assertThat(jobs).isZero();
  }

  @Test
  void aRetriedDeliveryOfTheSameEventIsProcessedOnce() throws Exception {
    String body = Payloads.read("event.message.json");

    HttpResponse<String> first = post(body, signed(body, now()));
    Map<String, String> retry = new java.util.HashMap<>(signed(body, now()));
    retry.put("X-Slack-Retry-Num", "1");
    retry.put("X-Slack-Retry-Reason", "http_timeout");
    HttpResponse<String> second = post(body, retry);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1);
    runOneMoreEvent();
    assertThat(handled).hasSize(2).extracting(SlackEvent::eventId).containsExactly("Ev078Q2K7M1P", "Ev0MARKER01");
    assertThat(storedEvents()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void concurrentDeliveriesOfOneEventAreProcessedOnce(Dialect dialect) throws Exception {
    if (dialect != Dialect.SQLITE) {
      wiring.close();
      wiring = new Wiring(Settings.read(new ConfigReader(Map.of(
          "PORT", "0", "TANDEM_DATA_DIR", dir.toString(), "TANDEM_JOB_POLL_INTERVAL", "50ms",
          "DATABASE_URL", TestDatabases.freshUrl(dialect, dir),
          "SLACK_SYNC_SIGNING_SECRET", SECRET, "SLACK_SYNC_BOT_TOKEN", "xoxb-1111-2222-test"), Map.of())), Clock.systemUTC());
      wiring.slack.app("sync").orElseThrow().on("message", handled::add);
      port = wiring.start(Wiring.allRoles());
    }
    String body = Payloads.read("event.message.json");
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> inFlight = new java.util.ArrayList<>();

    for (int retry = 0; retry < 6; retry++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/sync/events"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
      signed(body, now()).forEach(request::header);
      if (retry > 0) {
        request.header("X-Slack-Retry-Num", String.valueOf(retry)).header("X-Slack-Retry-Reason", "http_timeout");
      }
      inFlight.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    assertThat(inFlight).allSatisfy(f -> assertThat(f.get().statusCode()).isEqualTo(200));
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1);
    runOneMoreEvent();
    assertThat(handled).extracting(SlackEvent::eventId).containsExactly("Ev078Q2K7M1P", "Ev0MARKER01");
  }

  @Test
  void anEventStoredBeforeACrashIsHandledOnceAfterRestartEvenWhenSlackRetriesIt() throws Exception {
    wiring.close();
    Settings settings = Settings.read(new ConfigReader(Map.of(
        "PORT", "0", "TANDEM_DATA_DIR", dir.toString(), "TANDEM_JOB_POLL_INTERVAL", "50ms",
        "SLACK_SYNC_SIGNING_SECRET", SECRET, "SLACK_SYNC_BOT_TOKEN", "xoxb-1111-2222-test"), Map.of()));
    Wiring botOnly = new Wiring(settings, Clock.systemUTC());
    port = botOnly.start(java.util.EnumSet.of(dev.tandem.core.module.Role.BOT)); // stores and acks, runs no job
    String body = Payloads.read("event.message.json");
    assertThat(post(body, signed(body, now())).statusCode()).isEqualTo(200);
    botOnly.close(); // the process dies before any worker ran the job

    wiring = new Wiring(settings, Clock.systemUTC());
    wiring.slack.app("sync").orElseThrow().on("message", handled::add);
    port = wiring.start(Wiring.allRoles());
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1);
    Map<String, String> retry = new java.util.HashMap<>(signed(body, now()));
    retry.put("X-Slack-Retry-Num", "2");
    retry.put("X-Slack-Retry-Reason", "http_error");
    assertThat(post(body, retry).statusCode()).isEqualTo(200);
    runOneMoreEvent();

    assertThat(handled).extracting(SlackEvent::eventId).containsExactly("Ev078Q2K7M1P", "Ev0MARKER01");
  }

  @Test
  void aSlackConnectEventBelongsToTheWorkspaceItWasDeliveredFor() throws Exception {
    // in a shared channel the top-level team_id can be the other organisation's
    String body = Payloads.read("event.message.json").replaceFirst("\"team_id\": \"T05QW7R3K9P\"", "\"team_id\": \"T0PARTNER1\"")
        .replace("Ev078Q2K7M1P", "Ev0SHARED001");
    assertThat(body).contains("\"team_id\": \"T0PARTNER1\"").contains("\"team_id\": \"T05QW7R3K9P\"");

    assertThat(post(body, signed(body, now())).statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1);
    assertThat(handled.getFirst().teamId()).contains("T05QW7R3K9P");
  }

  @Test
  void anAppRateLimitedNoticeIsAcknowledgedAndCounted() throws Exception {
    String body = "{\"token\":\"Xk3mP9qR2sT7vW1yZ4aB6cD8\",\"type\":\"app_rate_limited\",\"team_id\":\"T05QW7R3K9P\","
        + "\"minute_rate_limited\":1718264400,\"api_app_id\":\"A06LV2B8X4D\"}";

    HttpResponse<String> response = post(body, signed(body, now()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(wiring.metrics.registry().find("tandem.slack.events").tag("outcome", "rate_limited").counter().count()).isEqualTo(1);
  }

  @Test
  void urlVerificationAnswersTheChallenge() throws Exception {
    String body = Payloads.read("event.url_verification.json");

    HttpResponse<String> response = post(body, signed(body, now()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("challenge").asText());
  }

  @Test
  void everyRecordedEventSampleIsAnswered200ByBothApps() throws Exception {
    List<String> samples = List.of("event.app_home_opened.json", "event.app_uninstalled.json", "event.bot_message.json",
        "event.file_share.json", "event.me_message.json", "event.member_joined_channel.json", "event.message.from_app_bot.json",
        "event.message.json", "event.message.thread_reply.json", "event.message_changed.json", "event.message_deleted.json",
        "event.reaction_added.json", "event.reaction_removed.json", "event.team_join.json", "event.thread_broadcast.json",
        "event.tokens_revoked.json", "event.url_verification.json", "event.user_profile_changed.json");

    for (String app : List.of("sync", "leave")) {
      for (String sample : samples) {
        String body = Payloads.read(sample);
        HttpResponse<String> response = post("/slack/" + app + "/events", body, signed(body, now()));
        assertThat(response.statusCode()).as(app + " " + sample + ": " + response.body()).isEqualTo(200);
      }
    }
  }

  /** A second, different event: once it is handled, every earlier job has been through a claim pass. */
  private void runOneMoreEvent() throws Exception {
    String marker = Payloads.read("event.message.json").replace("Ev078Q2K7M1P", "Ev0MARKER01");
    post(marker, signed(marker, now()));
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 2);
  }

  private long storedEvents() {
    return wiring.database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM core_slack_event").mapTo(Long.class).one());
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static Map<String, String> signed(String body, long timestamp) {
    String ts = String.valueOf(timestamp);
    return Map.of("X-Slack-Request-Timestamp", ts, "X-Slack-Signature", new SlackSignature.Generator(SECRET).generate(ts, body));
  }

  private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
    return post("/slack/sync/events", body, headers);
  }

  private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", headers.getOrDefault("Content-Type", "application/json"))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach((name, value) -> {
      if (!name.equals("Content-Type")) {
        request.header(name, value);
      }
    });
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
