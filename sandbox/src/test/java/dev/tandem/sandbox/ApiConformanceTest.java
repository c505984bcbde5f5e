package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.ALICE;
import static dev.tandem.sandbox.SandboxFixture.BOB;
import static dev.tandem.sandbox.SandboxFixture.LEAVE;
import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static dev.tandem.sandbox.SandboxFixture.aSandbox;
import static dev.tandem.sandbox.SandboxFixture.call;
import static dev.tandem.sandbox.SandboxFixture.callJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Each sandbox response has the keys, recursively, of the matching recorded {@code api.*.json} sample. */
class ApiConformanceTest {

  private static void conforms(String sample, Map<String, Object> actual) {
    assertThat(KeyShape.diff(KeyShape.sample(sample), KeyShape.tree(actual))).as(sample).isEmpty();
  }

  private static String blocksOf(String sample, String... path) {
    JsonNode n = KeyShape.sample(sample);
    for (String p : path) n = n.get(p);
    return n.toString();
  }

  private static String form(String... kv) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      if (!b.isEmpty()) b.append('&');
      b.append(kv[i]).append('=').append(OAuth.enc(kv[i + 1]));
    }
    return b.toString();
  }

  @Test
  void identityResponses() {
    try (var s = aSandbox()) {
      String token = s.install().botToken();

      conforms("api.auth.test.json", call(s.slack(), token, "auth.test", "").body());
      conforms("api.team.info.json", call(s.slack(), token, "team.info", "").body());
      conforms("api.users.info.json", call(s.slack(), token, "users.info", "user=" + ALICE).body());
      conforms("api.users.list.json", call(s.slack(), token, "users.list", "limit=3").body());
      conforms("api.users.lookupByEmail.json",
          call(s.slack(), token, "users.lookupByEmail", "email=bob%40tandem.example").body());
    }
  }

  @Test
  void conversationResponses() {
    try (var s = aSandbox()) {
      String token = s.install().botToken();

      conforms("api.conversations.info.json", call(s.slack(), token, "conversations.info", "channel=" + LEAVE).body());
      conforms("api.conversations.list.json", call(s.slack(), token, "conversations.list", "limit=2").body());
      conforms("api.conversations.join.json", call(s.slack(), token, "conversations.join", "channel=" + LEAVE).body());
    }
  }

  @Test
  void historyHasTheRecordedShape() {
    try (var s = aSandbox()) {
      String token = s.install().botToken();
      s.slack().postAsUser(TEAM, LEAVE, BOB, "Half day tomorrow afternoon", null);
      String parent = s.slack().postAsUser(TEAM, LEAVE, ALICE, "<@" + BOB + "> I'm off on Friday", null);
      s.slack().postAsUser(TEAM, LEAVE, BOB, "Enjoy!", parent);
      s.slack().react(TEAM, LEAVE, BOB, parent, "palm_tree", false);
      call(s.slack(), token, "chat.postMessage", form("channel", LEAVE, "text", "Is that right?", "blocks",
          blocksOf("api.chat.postMessage.json", "message", "blocks")));

      conforms("api.conversations.history.json",
          call(s.slack(), token, "conversations.history", "channel=" + LEAVE + "&limit=3").body());
    }
  }

  @Test
  void repliesHaveTheRecordedShape() {
    try (var s = aSandbox()) {
      String token = s.install().botToken();
      String parent = s.slack().postAsUser(TEAM, LEAVE, ALICE, "<@" + BOB + "> I'm off on Friday", null);
      s.slack().postAsUser(TEAM, LEAVE, BOB, "Enjoy!", parent);

      conforms("api.conversations.replies.json",
          call(s.slack(), token, "conversations.replies", "channel=" + LEAVE + "&ts=" + parent).body());
    }
  }

  @Test
  void chatResponses() {
    try (var s = aSandbox()) {
      String token = s.install().botToken();
      var post = call(s.slack(), token, "chat.postMessage", form("channel", LEAVE, "text", "Is that right?",
          "blocks", blocksOf("api.chat.postMessage.json", "message", "blocks")));
      String ts = (String) post.body().get("ts");
      var update = call(s.slack(), token, "chat.update", form("channel", LEAVE, "ts", ts, "text", "Recorded",
          "blocks", blocksOf("api.chat.update.json", "message", "blocks")));
      var link = call(s.slack(), token, "chat.getPermalink", form("channel", LEAVE, "message_ts", ts));
      var react = call(s.slack(), token, "reactions.add", form("channel", LEAVE, "timestamp", ts, "name", "ok"));
      var noCharset = SandboxFixture.send(HttpRequest.newBuilder(URI.create(s.slack().webApiUrl() + "chat.postMessage"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + LEAVE + "\",\"text\":\"Noted.\"}")).build());
      var delete = call(s.slack(), token, "chat.delete", form("channel", LEAVE, "ts", ts));

      conforms("api.chat.postMessage.json", post.body());
      conforms("api.chat.update.json", update.body());
      conforms("api.chat.getPermalink.json", link.body());
      conforms("api.reactions.add.json", react.body());
      conforms("api.chat.postMessage.warning_missing_charset.json", noCharset.body());
      conforms("api.chat.delete.json", delete.body());
    }
  }

  @Test
  void threadReplyPermalinkNamesTheThread() {
    try (var s = aSandbox()) {
      String parent = s.slack().postAsUser(TEAM, LEAVE, ALICE, "off Friday", null);
      String reply = s.slack().postAsUser(TEAM, LEAVE, BOB, "Enjoy", parent);

      var link = call(s.slack(), s.install().botToken(), "chat.getPermalink", form("channel", LEAVE, "message_ts", reply));

      conforms("api.chat.getPermalink.thread_reply.json", link.body());
      assertThat((String) link.body().get("permalink")).endsWith("?thread_ts=" + parent + "&cid=" + LEAVE);
    }
  }

  @Test
  void viewResponses() {
    try (var s = aSandbox()) {
      String token = s.install().botToken();
      JsonNode home = KeyShape.sample("api.views.publish.json").get("view");
      JsonNode modal = KeyShape.sample("api.views.open.json").get("view");
      String trigger = s.slack().mintTriggerId(TEAM, s.install().appId(), ALICE);

      var published = callJson(s.slack(), token, "views.publish", Map.of("user_id", ALICE, "view",
          Map.of("type", "home", "blocks", KeyShape.tree(home.get("blocks")))));
      var opened = callJson(s.slack(), token, "views.open", Map.of("trigger_id", trigger, "view", Map.of("type",
          "modal", "title", modal.get("title"), "close", modal.get("close"), "submit", modal.get("submit"),
          "callback_id", "leave_edit", "private_metadata", "{}", "blocks", modal.get("blocks"))));

      conforms("api.views.publish.json", published.body());
      conforms("api.views.open.json", opened.body());
    }
  }

  @Test
  void fileResponses() throws Exception {
    try (var s = aSandbox()) {
      String token = s.install().botToken();
      var url = call(s.slack(), token, "files.getUploadURLExternal", form("filename", "doctors_note.png", "length", "4"));
      SandboxFixture.HTTP.send(HttpRequest.newBuilder(URI.create((String) url.body().get("upload_url")))
          .POST(HttpRequest.BodyPublishers.ofString("PNG!")).build(), HttpResponse.BodyHandlers.ofString());
      String id = (String) url.body().get("file_id");
      var done = call(s.slack(), token, "files.completeUploadExternal", form("files",
          "[{\"id\":\"" + id + "\",\"title\":\"doctors_note.png\"}]", "channel_id", LEAVE));
      Awaitility.await().until(() -> !s.slack().messages(TEAM, LEAVE).isEmpty());
      var info = call(s.slack(), token, "files.info", "file=" + id);

      conforms("api.files.getUploadURLExternal.json", url.body());
      conforms("api.files.completeUploadExternal.json", done.body());
      Map<String, Object> file = SandboxFixture.JSON.convertValue(info.body().get("file"), Map.class);
      JsonNode expected = KeyShape.sample("api.files.info.json");
      // thumbnails and image sizes exist only for images Slack rendered; the sandbox renders none
      ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("file")).remove(java.util.List.of(
          "thumb_64", "thumb_80", "thumb_360", "thumb_360_w", "thumb_360_h", "thumb_480", "thumb_480_w",
          "thumb_480_h", "thumb_160", "thumb_720", "thumb_720_w", "thumb_720_h", "thumb_800", "thumb_800_w",
          "thumb_800_h", "original_w", "original_h", "thumb_tiny"));
      assertThat(KeyShape.diff(expected, KeyShape.tree(info.body()))).isEmpty();
      assertThat(file.get("size")).isEqualTo(4);
    }
  }

  @Test
  void errorResponses() {
    try (var s = aSandbox()) {
      String token = s.install().botToken();
      String ts = s.slack().postAsUser(TEAM, LEAVE, ALICE, "hi", null);
      call(s.slack(), token, "reactions.add", form("channel", LEAVE, "timestamp", ts, "name", "ok"));

      conforms("api.error.invalid_auth.json", call(s.slack(), "xoxb-nope", "auth.test", "").body());
      conforms("api.error.channel_not_found.json",
          call(s.slack(), token, "conversations.info", "channel=C000").body());
      conforms("api.error.not_in_channel.json",
          call(s.slack(), token, "conversations.history", "channel=" + SandboxFixture.GENERAL).body());
      conforms("api.error.message_not_found.json",
          call(s.slack(), token, "chat.update", form("channel", LEAVE, "ts", "1.000001", "text", "x")).body());
      conforms("api.error.already_reacted.json",
          call(s.slack(), token, "reactions.add", form("channel", LEAVE, "timestamp", ts, "name", "ok")).body());
      conforms("api.error.no_reaction.json",
          call(s.slack(), token, "reactions.remove", form("channel", LEAVE, "timestamp", ts, "name", "x")).body());
    }
  }

  @Test
  void missingScopeNamesNeededAndProvided() {
    try (var s = aSandbox(AppSpec.builder("Tandem").appId(SandboxFixture.APP)
        .botScopes("app_mentions:read", "channels:history").build())) {
      var raw = call(s.slack(), s.install().botToken(), "chat.postMessage", form("channel", LEAVE, "text", "x"));

      conforms("api.error.missing_scope.json", raw.body());
      assertThat(raw.body()).containsEntry("needed", "chat:write")
          .containsEntry("provided", "app_mentions:read,channels:history");
    }
  }

  @Test
  void rateLimitedIsA429WithRetryAfter() {
    try (var s = aSandbox()) {
      s.slack().knobs().tierLimits(true).perMinute(RateTier.TIER_3, 1);
      call(s.slack(), s.install().botToken(), "conversations.info", "channel=" + LEAVE);

      var raw = call(s.slack(), s.install().botToken(), "conversations.info", "channel=" + LEAVE);

      JsonNode sample = KeyShape.sample("api.error.ratelimited.json");
      assertThat(raw.status()).isEqualTo(sample.get("http_status").asInt());
      assertThat(raw.response().headers().firstValue("Retry-After")).isPresent();
      assertThat(KeyShape.diff(sample.get("body"), KeyShape.tree(raw.body()))).isEmpty();
    }
  }
}
