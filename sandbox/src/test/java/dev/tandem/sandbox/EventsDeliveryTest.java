package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.ALICE;
import static dev.tandem.sandbox.SandboxFixture.BOB;
import static dev.tandem.sandbox.SandboxFixture.GENERAL;
import static dev.tandem.sandbox.SandboxFixture.LEAVE;
import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.slack.api.app_backend.SlackSignature;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events API delivery: envelopes, signatures, subscriptions, membership and Slack's retries. */
class EventsDeliveryTest {

  static AppSpec app(Receiver r, String... events) {
    return AppSpec.builder("Tandem").appId(SandboxFixture.APP).requestUrl(r.url()).signingSecret("s3cret")
        .botEvents(events).build();
  }

  @Test
  void userPostReachesTheAppSignedWithItsSecret() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r, "message.channels"))) {
      s.slack().postAsUser(TEAM, LEAVE, ALICE, "<@" + BOB + "> off Friday", null);

      await().until(() -> r.events().size() == 1);
      Receiver.Request got = r.events().getFirst();
      var verifier = new SlackSignature.Verifier(new SlackSignature.Generator("s3cret"));
      assertThat(verifier.isValid(got.header("X-Slack-Request-Timestamp"), got.body(),
          got.header("X-Slack-Signature"), System.currentTimeMillis())).isTrue();
      assertThat(KeyShape.diff(KeyShape.sample("event.message.json"), SandboxFixture.JSON.readTree(got.body())))
          .isEmpty();
    }
  }

  @Test
  void urlVerificationIsSentWhenTheAppIsRegistered() {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r))) {
      await().until(() -> s.slack().deliveries().stream().anyMatch(d -> d.kind().equals("url_verification")));

      assertThat(s.slack().deliveries().getFirst().outcome()).isEqualTo("ok");
      assertThat(s.slack().verifyUrl(SandboxFixture.APP)).isTrue();
    }
  }

  @Test
  void onlySubscribedEventsInChannelsWithTheBotAreDelivered() {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r, "message.channels"))) {
      s.slack().postAsUser(TEAM, GENERAL, ALICE, "bot is not here", null);
      String ts = s.slack().postAsUser(TEAM, LEAVE, ALICE, "bot is here", null);
      s.slack().react(TEAM, LEAVE, BOB, ts, "eyes", false);

      await().until(() -> r.events().size() == 1);
      await().during(Duration.ofMillis(200)).until(() -> r.events().size() == 1);
      assertThat(r.events().getFirst().body()).contains("bot is here");
    }
  }

  @Test
  void failedDeliveryIsRetriedWithRetryHeaders() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r, "message.channels"))) {
      r.respond(req -> req.header("X-Slack-Retry-Num") == null ? new Receiver.Reply(500, "", Map.of())
          : Receiver.Reply.ok());

      s.slack().postAsUser(TEAM, LEAVE, ALICE, "retry me", null);

      await().until(() -> r.events().size() == 2);
      Receiver.Request retry = r.events().get(1);
      assertThat(retry.header("X-Slack-Retry-Num")).isEqualTo("1");
      assertThat(retry.header("X-Slack-Retry-Reason")).isEqualTo("http_error");
      assertThat(eventId(retry)).isEqualTo(eventId(r.events().getFirst()));
      await().until(() -> s.slack().deliveries().stream().filter(d -> d.kind().equals("events_api"))
          .map(Delivery::outcome).toList().equals(List.of("http_error", "ok")));
    }
  }

  @Test
  void slowAckIsRetriedAsHttpTimeoutUpToThreeTimes() {
    CountDownLatch never = new CountDownLatch(1);
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r, "message.channels"))) {
      r.respond(req -> {
        try {
          never.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Receiver.Reply.ok();
      });

      s.slack().postAsUser(TEAM, LEAVE, ALICE, "slow", null);

      await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() == 4);
      assertThat(r.events()).extracting(x -> x.header("X-Slack-Retry-Num")).containsExactly(null, "1", "2", "3");
      assertThat(r.events().get(3).header("X-Slack-Retry-Reason")).isEqualTo("http_timeout");
    } finally {
      never.countDown();
    }
  }

  @Test
  void noRetryHeaderStopsRetries() {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r, "message.channels"))) {
      r.respond(req -> new Receiver.Reply(500, "", Map.of("X-Slack-No-Retry", "1")));

      s.slack().postAsUser(TEAM, LEAVE, ALICE, "once", null);

      await().until(() -> s.slack().deliveries().stream().anyMatch(d -> d.outcome().equals("no_retry")));
      await().during(Duration.ofMillis(300)).until(() -> r.events().size() == 1);
    }
  }

  @Test
  void appBotPostComesBackWithBotIdentityAndMetadata() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r, "message.channels"))) {
      s.bot().chatPostMessage(q -> q.channel(LEAVE).text("Leave recorded").username("Leave bot")
          .iconEmoji(":palm_tree:").metadata(new com.slack.api.model.Message.Metadata("leave_recorded",
              Map.of("id", "lv_1"))));

      await().until(() -> r.events().size() == 1);
      var event = SandboxFixture.JSON.readTree(r.events().getFirst().body()).get("event");
      assertThat(event.get("bot_id").asText()).isEqualTo(s.install().botId());
      assertThat(event.get("app_id").asText()).isEqualTo(SandboxFixture.APP);
      assertThat(event.get("username").asText()).isEqualTo("Leave bot");
      assertThat(event.get("icons").get("emoji").asText()).isEqualTo(":palm_tree:");
      assertThat(event.get("metadata").get("event_payload").get("id").asText()).isEqualTo("lv_1");
      assertThat(KeyShape.diff(KeyShape.sample("event.message.from_app_bot.json").get("event"), event)
          .stream().filter(d -> !d.startsWith("$: missing [] extra [icons, metadata, username]")).toList()).isEmpty();
    }
  }

  private static String eventId(Receiver.Request r) throws Exception {
    return SandboxFixture.JSON.readTree(r.body()).get("event_id").asText();
  }
}
