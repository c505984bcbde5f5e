package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.ALICE;
import static dev.tandem.sandbox.SandboxFixture.LEAVE;
import static dev.tandem.sandbox.SandboxFixture.PRIVATE;
import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static dev.tandem.sandbox.SandboxFixture.aSandbox;
import static dev.tandem.sandbox.SandboxFixture.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Slack's argument rules, errors, limits and the knobs, over raw HTTP. */
class WebApiRulesTest {

  @Test
  void missingTokenIsNotAuthedAndTokenParamWorks() {
    try (var s = aSandbox()) {
      assertThat(call(s.slack(), null, "auth.test", "").error()).isEqualTo("not_authed");
      assertThat(call(s.slack(), null, "auth.test", "token=" + s.install().botToken()).ok()).isTrue();
    }
  }

  @Test
  void unknownMethodIsAnsweredAndLoggedLoudly() {
    try (var s = aSandbox()) {
      var raw = call(s.slack(), s.install().botToken(), "chat.scheduleMessage", "channel=" + LEAVE);

      assertThat(raw.error()).isEqualTo("unknown_method");
      assertThat(s.slack().calls()).anyMatch(c -> c.unknownMethod() && c.method().equals("chat.scheduleMessage"));
    }
  }

  @Test
  void moreThanFiftyBlocksIsInvalidBlocks() throws Exception {
    try (var s = aSandbox()) {
      List<Map<String, Object>> blocks = java.util.Collections.nCopies(51, Map.of("type", "divider"));

      var raw = call(s.slack(), s.install().botToken(), "chat.postMessage", "channel=" + LEAVE + "&blocks="
          + OAuth.enc(SandboxFixture.JSON.writeValueAsString(blocks)));

      assertThat(raw.error()).isEqualTo("invalid_blocks");
    }
  }

  @Test
  void joiningAPrivateChannelIsNotSupported() {
    try (var s = aSandbox()) {
      s.slack().invite(TEAM, PRIVATE, s.install().botUserId());

      assertThat(call(s.slack(), s.install().botToken(), "conversations.join", "channel=" + PRIVATE).error())
          .isEqualTo("method_not_supported_for_channel_type");
    }
  }

  @Test
  void privateChannelsTheBotIsNotInDoNotExistForIt() {
    try (var s = aSandbox()) {
      assertThat(call(s.slack(), s.install().botToken(), "conversations.info", "channel=" + PRIVATE).error())
          .isEqualTo("channel_not_found");
    }
  }

  @Test
  void historyShowsMetadataPayloadOnlyWhenAsked() throws Exception {
    try (var s = aSandbox()) {
      s.bot().chatPostMessage(r -> r.channel(LEAVE).text("x").metadata(
          new com.slack.api.model.Message.Metadata("leave", Map.of("id", "1"))));

      var plain = s.bot().conversationsHistory(r -> r.channel(LEAVE));
      var all = s.bot().conversationsHistory(r -> r.channel(LEAVE).includeAllMetadata(true));

      assertThat(plain.getMessages().getFirst().getMetadata().getEventPayload()).isNull();
      assertThat(all.getMessages().getFirst().getMetadata().getEventPayload()).containsEntry("id", "1");
    }
  }

  @Test
  void historyProfile2025AllowsOneCallAMinuteOfFifteenMessages() {
    try (var s = aSandbox()) {
      for (int i = 0; i < 20; i++) s.slack().postAsUser(TEAM, LEAVE, ALICE, "m" + i, null);
      s.slack().knobs().historyProfile2025(true);

      var first = call(s.slack(), s.install().botToken(), "conversations.history", "channel=" + LEAVE + "&limit=100");
      var second = call(s.slack(), s.install().botToken(), "conversations.history", "channel=" + LEAVE);

      assertThat((List<?>) first.body().get("messages")).hasSize(15);
      assertThat(second.status()).isEqualTo(429);
    }
  }

  @Test
  void postingFasterThanTheChannelAllowsIsRateLimited() {
    try (var s = aSandbox()) {
      s.slack().knobs().channelLimits(true).channelRate(1, 1);

      var first = call(s.slack(), s.install().botToken(), "chat.postMessage", "channel=" + LEAVE + "&text=a");
      var second = call(s.slack(), s.install().botToken(), "chat.postMessage", "channel=" + LEAVE + "&text=b");

      assertThat(first.ok()).isTrue();
      assertThat(second.status()).isEqualTo(429);
      assertThat(second.response().headers().firstValue("Retry-After")).hasValue("1");
    }
  }

  @Test
  void faultsAreInjectedPerMethod() {
    try (var s = aSandbox()) {
      s.slack().knobs().fault("chat.postMessage", new Knobs.Fault(0, 1, 0, 0));
      var fiveHundred = call(s.slack(), s.install().botToken(), "chat.postMessage", "channel=" + LEAVE + "&text=a");
      s.slack().knobs().fault("chat.postMessage", new Knobs.Fault(0, 0, 1, 0));
      var before = call(s.slack(), s.install().botToken(), "chat.postMessage", "channel=" + LEAVE + "&text=b");
      s.slack().knobs().fault("chat.postMessage", new Knobs.Fault(0, 0, 0, 1));
      var after = call(s.slack(), s.install().botToken(), "chat.postMessage", "channel=" + LEAVE + "&text=c");

      assertThat(fiveHundred.status()).isEqualTo(503);
      assertThat(before.status()).isEqualTo(504);
      assertThat(after.status()).isEqualTo(504);
      assertThat(s.slack().messages(TEAM, LEAVE)).extracting(m -> m.get("text")).containsExactly("c");
    }
  }

  @Test
  void onlyTheAuthorBotMayUpdateOrDelete() throws Exception {
    try (var s = aSandbox()) {
      String ts = s.slack().postAsUser(TEAM, LEAVE, ALICE, "mine", null);

      assertThat(s.bot().chatUpdate(r -> r.channel(LEAVE).ts(ts).text("x")).getError()).isEqualTo("cant_update_message");
      assertThat(s.bot().chatDelete(r -> r.channel(LEAVE).ts(ts)).getError()).isEqualTo("cant_delete_message");
    }
  }

  @Test
  void viewLimitsAreEnforced() {
    try (var s = aSandbox()) {
      var tooMany = SandboxFixture.callJson(s.slack(), s.install().botToken(), "views.publish", Map.of("user_id",
          ALICE, "view", Map.of("type", "home", "blocks", java.util.Collections.nCopies(101, Map.of("type", "divider")))));
      var tooLong = SandboxFixture.callJson(s.slack(), s.install().botToken(), "views.publish", Map.of("user_id",
          ALICE, "view", Map.of("type", "home", "blocks", List.of(), "private_metadata", "x".repeat(3001))));

      assertThat(tooMany.error()).isEqualTo("invalid_arguments");
      assertThat(tooLong.error()).isEqualTo("invalid_arguments");
    }
  }

  @Test
  void triggerIdsExpireAndAreSingleUse() {
    try (var s = aSandbox()) {
      String trigger = s.slack().mintTriggerId(TEAM, SandboxFixture.APP, ALICE);
      Map<String, Object> view = Map.of("type", "modal", "title", Map.of("type", "plain_text", "text", "T"),
          "blocks", List.of());

      var first = SandboxFixture.callJson(s.slack(), s.install().botToken(), "views.open",
          Map.of("trigger_id", trigger, "view", view));
      var again = SandboxFixture.callJson(s.slack(), s.install().botToken(), "views.open",
          Map.of("trigger_id", trigger, "view", view));

      assertThat(first.ok()).isTrue();
      assertThat(again.error()).isEqualTo("exchanged_trigger_id");
    }
  }
}
