package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The OAuth v2 install: authorize page, redirect with code and state, oauth.v2.access. */
class OAuthFlowTest {

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void authorizeRedirectsWithACodeThatExchangesForTokens() throws Exception {
    try (var slack = SandboxFixture.aSeededSlack()) {
      slack.registerApp(AppSpec.builder("Tandem").appId("A1").clientId("111.222").clientSecret("sec").build());
      var redirect = get(slack.authorizeUrl() + "?client_id=111.222&scope=chat:write,users:read&user_scope="
          + "users.profile:write&redirect_uri=http://localhost/cb&state=xyz&team=" + TEAM);
      String location = redirect.headers().firstValue("Location").orElseThrow();
      String code = java.net.URLDecoder.decode(location.replaceAll(".*code=([^&]+).*", "$1"), "UTF-8");

      var access = SandboxFixture.sdk(slack).methods().oauthV2Access(r -> r.clientId("111.222")
          .clientSecret("sec").code(code).redirectUri("http://localhost/cb"));
      var reuse = SandboxFixture.sdk(slack).methods().oauthV2Access(r -> r.clientId("111.222")
          .clientSecret("sec").code(code));

      assertThat(redirect.statusCode()).isEqualTo(302);
      assertThat(location).startsWith("http://localhost/cb?code=").endsWith("&state=xyz");
      assertThat(access.isOk()).isTrue();
      assertThat(access.getScope()).isEqualTo("chat:write,users:read");
      assertThat(access.getAuthedUser().getAccessToken()).startsWith("xoxp-");
      assertThat(reuse.getError()).isEqualTo("invalid_code");
      var raw = SandboxFixture.call(slack, null, "auth.test", "token=" + access.getAccessToken());
      assertThat(raw.ok()).isTrue();
    }
  }

  @Test
  void accessResponseHasTheRecordedShape() throws Exception {
    try (var slack = SandboxFixture.aSeededSlack()) {
      slack.registerApp(AppSpec.builder("Tandem").appId("A1").clientId("1.2").clientSecret("sec").build());
      var redirect = get(slack.authorizeUrl() + "?client_id=1.2&user_scope=users.profile:write"
          + "&redirect_uri=http://localhost/cb&team=tandem-demo");
      String code = java.net.URLDecoder.decode(redirect.headers().firstValue("Location").orElseThrow()
          .replaceAll(".*code=([^&]+).*", "$1"), "UTF-8");

      var raw = SandboxFixture.call(slack, null, "oauth.v2.access", "client_id=1.2&client_secret=sec&code="
          + OAuth.enc(code));

      assertThat(KeyShape.diff(KeyShape.sample("api.oauth.v2.access.json"), KeyShape.tree(raw.body()))).isEmpty();
    }
  }

  @Test
  void wrongSecretIsRefusedAndThePickerListsWorkspaces() throws Exception {
    try (var slack = SandboxFixture.aSeededSlack()) {
      slack.registerApp(AppSpec.builder("Tandem").appId("A1").clientId("1.2").clientSecret("sec").build());

      var page = get(slack.authorizeUrl() + "?client_id=1.2&redirect_uri=http://localhost/cb");
      var bad = SandboxFixture.call(slack, null, "oauth.v2.access", "client_id=1.2&client_secret=no&code=x");

      assertThat(page.body()).contains("Tandem Demo").contains("team=" + TEAM);
      assertThat(bad.error()).isEqualTo("bad_client_secret");
    }
  }
}
