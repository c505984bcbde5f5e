package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The browser UI's files and the control endpoints only it needs; the browser itself is SandboxUiBrowserTest. */
class UiServingTest {

  private static HttpResponse<String> get(FakeSlack slack, String path) throws Exception {
    return SandboxFixture.HTTP.send(HttpRequest.newBuilder(URI.create(slack.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageAndItsAssetsComeFromTheJarUnderTheContentSecurityPolicy() throws Exception {
    try (FakeSlack slack = SandboxFixture.aSeededSlack()) {
      for (String path : new String[] {"/sandbox", "/sandbox/"}) {
        HttpResponse<String> page = get(slack, path);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(Ui.CSP);
        assertThat(page.body()).contains("<script src=\"/sandbox/ui/app.js\" defer></script>")
            .contains("data-api=\"/sandbox/api\"").doesNotContain("<style").doesNotContain(" style=")
            .doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>| on[a-z]+=");
      }
      HttpResponse<String> js = get(slack, "/sandbox/ui/app.js");
      assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
      assertThat(js.body()).doesNotContain("innerHTML").doesNotContain("eval(");
      assertThat(get(slack, "/sandbox/ui/app.css").headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
      assertThat(get(slack, "/sandbox/ui/secret.txt").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void workspacesListChannelMembersSoTheUiShowsOnlyPrivateChannelsOfThePerson() throws Exception {
    try (FakeSlack slack = SandboxFixture.aSeededSlack()) {
      String body = get(slack, "/sandbox/api/workspaces").body();
      assertThat(body).contains("\"name\":\"secret\",\"is_private\":true,\"is_im\":false,\"members\":[\"" + SandboxFixture.ALICE + "\"]");
    }
  }

  @Test
  void filesDownloadAsAttachmentsSoAnUploadedPageNeverRunsOnTheSandboxOrigin() throws Exception {
    try (FakeSlack slack = SandboxFixture.aSeededSlack()) {
      var up = SandboxFixture.send(HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/sandbox/api/files"))
          .POST(HttpRequest.BodyPublishers.ofString(SandboxFixture.JSON.writeValueAsString(Map.of("team_id", TEAM,
              "channel", "leave", "user", "alice", "filename", "x.html", "content", "<script>alert(1)</script>"))))
          .build());
      HttpResponse<String> file = get(slack, "/sandbox/api/files/" + up.body().get("file_id") + "?team_id=" + TEAM);

      assertThat(file.body()).isEqualTo("<script>alert(1)</script>");
      assertThat(file.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"x.html\"");
      assertThat(file.headers().firstValue("Content-Type")).contains("application/octet-stream");
      assertThat(get(slack, "/sandbox/api/files/" + up.body().get("file_id") + "?team_id=T0OTHER").statusCode())
          .isEqualTo(400);
    }
  }

  @Test
  void aSelectInAMessageReportsTheChosenOptionAsSlackDoes() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(AppSpec.builder("Tandem").appId(SandboxFixture.APP)
        .requestUrl(r.url()).build())) {
      Map<String, Object> option = Map.of("text", Map.of("type", "plain_text", "text", "Holiday"), "value", "holiday");
      var posted = SandboxFixture.callJson(s.slack(), s.install().botToken(), "chat.postMessage", Map.of(
          "channel", SandboxFixture.LEAVE, "text", "Kind?", "blocks", List.of(Map.of("type", "actions", "elements", List.of(
              Map.of("type", "static_select", "action_id", "kind", "options", List.of(option)),
              Map.of("type", "datepicker", "action_id", "day"))))));
      assertThat(posted.body()).containsEntry("ok", true);
      String ts = (String) posted.body().get("ts");

      s.slack().pressButton(TEAM, "bob", "leave", ts, "kind", "holiday");
      s.slack().pressButton(TEAM, "bob", "leave", ts, "day", "2026-12-24");

      var payloads = r.requests.stream().filter(x -> x.body().startsWith("payload=")).map(x -> {
        try {
          return SandboxFixture.JSON.readTree(URLDecoder.decode(x.body().substring(8), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
      assertThat(payloads.get(0).at("/actions/0/selected_option/value").asText()).isEqualTo("holiday");
      assertThat(payloads.get(0).at("/actions/0").has("value")).isFalse();
      assertThat(payloads.get(1).at("/actions/0/selected_date").asText()).isEqualTo("2026-12-24");
      assertThatThrownBy(() -> s.slack().pressButton(TEAM, "bob", "leave", ts, "kind", "nope"))
          .hasMessageContaining("no option nope");
    }
  }

  @Test
  void closingAModalThroughTheControlApiRemovesItFromTheOpenOnes() throws Exception {
    try (var s = SandboxFixture.aSandbox()) {
      String trigger = s.slack().mintTriggerId(TEAM, SandboxFixture.APP, "alice");
      var opened = SandboxFixture.callJson(s.slack(), s.install().botToken(), "views.open", Map.of("trigger_id",
          trigger, "view", Map.of("type", "modal", "title", Map.of("type", "plain_text", "text", "Hi"), "blocks",
              List.of())));
      String viewId = (String) ((Map<?, ?>) opened.body().get("view")).get("id");
      assertThat(s.slack().openModals(TEAM, "alice")).hasSize(1);

      var byBob = post(s.slack(), "/sandbox/api/views/close", Map.of("team_id", TEAM, "user", "bob", "view_id", viewId));
      var byAlice = post(s.slack(), "/sandbox/api/views/close", Map.of("team_id", TEAM, "user", "alice", "view_id", viewId));

      assertThat(byBob.status()).isEqualTo(400);
      assertThat(byAlice.status()).isEqualTo(200);
      assertThat(s.slack().openModals(TEAM, "alice")).isEmpty();
    }
  }

  private static SandboxFixture.Raw post(FakeSlack slack, String path, Object body) throws Exception {
    return SandboxFixture.send(HttpRequest.newBuilder(URI.create(slack.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(SandboxFixture.JSON.writeValueAsString(body))).build());
  }
}
