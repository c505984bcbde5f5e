package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
      assertThat(body).contains("\"name\":\"secret\",\"is_private\":true,\"members\":[\"" + SandboxFixture.ALICE + "\"]");
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
}
