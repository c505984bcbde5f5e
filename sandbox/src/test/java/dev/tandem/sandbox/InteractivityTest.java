package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.ALICE;
import static dev.tandem.sandbox.SandboxFixture.LEAVE;
import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** block_actions, response_url, view_submission response actions and block_suggestion. */
class InteractivityTest {

  private static JsonNode payload(Receiver.Request r) throws Exception {
    return SandboxFixture.JSON.readTree(URLDecoder.decode(r.body().substring("payload=".length()),
        StandardCharsets.UTF_8));
  }

  private static AppSpec app(Receiver r) {
    return AppSpec.builder("Tandem").appId(SandboxFixture.APP).requestUrl(r.url()).signingSecret("s3cret").build();
  }

  private static String postWithButton(SandboxFixture.Sandbox s) throws Exception {
    JsonNode blocks = KeyShape.sample("api.chat.postMessage.json").at("/message/blocks");
    return (String) SandboxFixture.call(s.slack(), s.install().botToken(), "chat.postMessage", "channel=" + LEAVE
        + "&text=" + OAuth.enc("Is that right?") + "&blocks=" + OAuth.enc(blocks.toString())).body().get("ts");
  }

  @Test
  void pressingAButtonSendsASignedBlockActionsPayload() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r))) {
      String ts = postWithButton(s);

      int status = s.slack().pressButton(TEAM, "alice", "leave", ts, "leave_confirm", null);

      Receiver.Request got = r.requests.getLast();
      var verifier = new com.slack.api.app_backend.SlackSignature.Verifier(
          new com.slack.api.app_backend.SlackSignature.Generator("s3cret"));
      assertThat(status).isEqualTo(200);
      assertThat(got.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
      assertThat(verifier.isValid(got.header("X-Slack-Request-Timestamp"), got.body(),
          got.header("X-Slack-Signature"), System.currentTimeMillis())).isTrue();
      assertThat(KeyShape.diff(KeyShape.sample("interactive.block_actions.message.json"), payload(got))).isEmpty();
    }
  }

  @Test
  void responseUrlReplacesTheOriginalMessage() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r))) {
      String ts = postWithButton(s);
      s.slack().pressButton(TEAM, ALICE, LEAVE, ts, "leave_cancel", null);
      String responseUrl = payload(r.requests.getLast()).get("response_url").asText();

      var res = SandboxFixture.send(HttpRequest.newBuilder(URI.create(responseUrl)).header("Content-Type",
          "application/json").POST(HttpRequest.BodyPublishers.ofString(
              "{\"replace_original\":true,\"text\":\"Cancelled\"}")).build());

      assertThat(res.status()).isEqualTo(200);
      assertThat(s.slack().messages(TEAM, LEAVE).getFirst()).containsEntry("text", "Cancelled");
    }
  }

  private static String openModal(SandboxFixture.Sandbox s) {
    JsonNode modal = KeyShape.sample("api.views.open.json").get("view");
    String trigger = s.slack().mintTriggerId(TEAM, SandboxFixture.APP, ALICE);
    var opened = SandboxFixture.callJson(s.slack(), s.install().botToken(), "views.open", Map.of("trigger_id",
        trigger, "view", Map.of("type", "modal", "title", modal.get("title"), "close", modal.get("close"), "submit",
            modal.get("submit"), "callback_id", "leave_edit", "blocks", modal.get("blocks"))));
    return (String) ((Map<?, ?>) opened.body().get("view")).get("id");
  }

  @Test
  void viewSubmissionErrorsKeepTheModalAndUpdateReplacesIt() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r))) {
      String viewId = openModal(s);
      JsonNode values = KeyShape.sample("interactive.view_submission.json").at("/view/state/values");
      r.respond(q -> new Receiver.Reply(200, KeyShape.sample("interactive.ack.view_submission.errors.json").toString(),
          Map.of("Content-Type", "application/json")));

      var errors = s.slack().submitView(TEAM, ALICE, viewId, SandboxFixture.JSON.convertValue(values, Map.class));

      assertThat(KeyShape.diff(KeyShape.sample("interactive.view_submission.json"), payload(r.requests.getLast())))
          .isEmpty();
      assertThat(errors).containsEntry("response_action", "errors");
      assertThat(s.slack().openModals(TEAM, ALICE)).hasSize(1);

      r.respond(q -> new Receiver.Reply(200, KeyShape.sample("interactive.ack.view_submission.update.json").toString(),
          Map.of("Content-Type", "application/json")));
      s.slack().submitView(TEAM, ALICE, viewId, Map.of());

      assertThat(s.slack().openModals(TEAM, ALICE).getFirst().get("callback_id")).isEqualTo("leave_saved");

      r.respond(q -> Receiver.Reply.ok());
      s.slack().submitView(TEAM, ALICE, viewId, Map.of());

      assertThat(s.slack().openModals(TEAM, ALICE)).isEmpty();
    }
  }

  @Test
  void blockSuggestionReturnsOptionsAndRefusesMoreThanAHundred() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(app(r))) {
      String viewId = openModal(s);
      r.respond(q -> new Receiver.Reply(200, KeyShape.sample("interactive.ack.block_suggestion.options.json")
          .toString(), Map.of()));

      var options = s.slack().suggest(TEAM, ALICE, viewId, "project_search", "lea");
      JsonNode sent = payload(r.requests.getLast());
      r.respond(q -> new Receiver.Reply(200, SandboxFixture.JSON.valueToTree(Map.of("options",
          java.util.Collections.nCopies(101, Map.of("text", Map.of("type", "plain_text", "text", "x"), "value", "v"))))
          .toString(), Map.of()));
      var tooMany = s.slack().suggest(TEAM, ALICE, viewId, "project_search", "lea");

      assertThat(KeyShape.diff(KeyShape.sample("interactive.block_suggestion.json"), sent)).isEmpty();
      assertThat((List<?>) options.get("options")).hasSize(2);
      assertThat(tooMany).containsEntry("error", "too_many_options");
    }
  }
}
