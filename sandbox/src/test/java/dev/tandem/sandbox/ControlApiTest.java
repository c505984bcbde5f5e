package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON control API: acting as people by id or name and reading state back. */
class ControlApiTest {

  private static SandboxFixture.Raw post(FakeSlack slack, String path, String json) {
    return SandboxFixture.send(HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/sandbox/api" + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private static String get(FakeSlack slack, String path) {
    return SandboxFixture.send(HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/sandbox/api" + path)).build())
        .response().body();
  }

  @Test
  void peopleCanPostEditReactAndDeleteByName() throws Exception {
    try (var s = SandboxFixture.aSandbox()) {
      var posted = post(s.slack(), "/messages", "{\"team_id\":\"" + TEAM + "\",\"channel\":\"leave\",\"user\":\"alice\","
          + "\"text\":\"off Friday\"}");
      String ts = (String) posted.body().get("ts");
      post(s.slack(), "/messages", "{\"team_id\":\"" + TEAM + "\",\"channel\":\"#leave\",\"user\":\"bob\","
          + "\"text\":\"enjoy\",\"thread_ts\":\"" + ts + "\"}");
      post(s.slack(), "/reactions", "{\"team_id\":\"" + TEAM + "\",\"channel\":\"leave\",\"user\":\"bob\",\"ts\":\""
          + ts + "\",\"name\":\"palm_tree\"}");
      post(s.slack(), "/messages/edit", "{\"team_id\":\"" + TEAM + "\",\"channel\":\"leave\",\"user\":\"alice\","
          + "\"ts\":\"" + ts + "\",\"text\":\"off Monday\"}");

      List<?> messages = (List<?>) SandboxFixture.JSON.readValue(get(s.slack(), "/messages?team_id=" + TEAM + "&channel=leave"),
          Map.class).get("messages");
      Map<?, ?> parent = (Map<?, ?>) messages.getFirst();
      assertThat(messages).hasSize(2);
      assertThat(parent.get("text")).isEqualTo("off Monday");
      assertThat(parent.get("reply_count")).isEqualTo(1);
      assertThat(parent.get("reactions")).isNotNull();
      var deleted = post(s.slack(), "/messages/delete", "{\"team_id\":\"" + TEAM + "\",\"channel\":\"leave\","
          + "\"user\":\"bob\",\"ts\":\"" + ts + "\"}");
      assertThat(deleted.status()).isEqualTo(400);
    }
  }

  @Test
  void workspacesListChannelsAndUsers() throws Exception {
    try (var s = SandboxFixture.aSandbox()) {
      List<?> workspaces = SandboxFixture.JSON.readValue(get(s.slack(), "/workspaces"), List.class);

      Map<?, ?> w = (Map<?, ?>) workspaces.getFirst();
      assertThat(w.get("team_id")).isEqualTo(TEAM);
      assertThat((List<?>) w.get("channels")).hasSize(3);
      assertThat((List<?>) w.get("users")).hasSize(3);
    }
  }

  @Test
  void homeOpenSendsTheEventAndHomeViewShowsWhatWasPublished() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(AppSpec.builder("Tandem").appId(SandboxFixture.APP)
        .requestUrl(r.url()).botEvents("app_home_opened").build())) {
      s.bot().viewsPublish(q -> q.userId(SandboxFixture.ALICE).view(com.slack.api.model.view.Views.view(v -> v
          .type("home").blocks(List.of(com.slack.api.model.block.Blocks.divider())))));

      var opened = post(s.slack(), "/home/open", "{\"team_id\":\"" + TEAM + "\",\"user\":\"alice\"}");
      String home = get(s.slack(), "/views/home?team_id=" + TEAM + "&user=alice");

      assertThat((String) opened.body().get("channel")).startsWith("D");
      assertThat(home).contains("\"type\":\"home\"");
      org.awaitility.Awaitility.await().until(() -> r.events().size() == 1);
    }
  }

  @Test
  void badInputIsA400WithTheReason() {
    try (var s = SandboxFixture.aSandbox()) {
      var raw = post(s.slack(), "/messages", "{\"team_id\":\"" + TEAM + "\",\"channel\":\"nope\",\"user\":\"alice\","
          + "\"text\":\"x\"}");

      assertThat(raw.status()).isEqualTo(400);
      assertThat(raw.body()).containsEntry("error", "unknown channel: nope");
    }
  }

  @Test
  void knobsCanBeReadAndChangedAtRunTime() throws Exception {
    try (var s = SandboxFixture.aSandbox()) {
      var changed = post(s.slack(), "/knobs", "{\"latency_ms\":25,\"channel_limits\":true,\"per_minute\":{\"TIER_1\":2},"
          + "\"faults\":{\"chat.postMessage\":{\"share_429\":0.5}}}");
      var bad = post(s.slack(), "/knobs", "{\"latency_ms\":\"soon\"}");

      assertThat(changed.response().statusCode()).isEqualTo(200);
      assertThat(s.slack().knobs().latency().toMillis()).isEqualTo(25);
      assertThat(s.slack().knobs().channelLimits()).isTrue();
      assertThat(s.slack().knobs().perMinute(RateTier.TIER_1)).isEqualTo(2);
      assertThat(s.slack().knobs().faults()).containsKey("chat.postMessage");
      assertThat(get(s.slack(), "/knobs")).contains("\"share_429\":0.5").contains("\"latency_ms\":25");
      assertThat(bad.response().statusCode()).isEqualTo(400);
      assertThat(bad.response().body()).contains("latency_ms must be a number");
      assertThat(s.slack().knobs().latency().toMillis()).isEqualTo(25);
    }
  }
}
