package dev.tandem.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Google OpenID provider fake over plain HTTP: the code flow, PKCE, one use per code, the ID token's claims. */
class FakeGoogleSignInTest {
  private static final String REDIRECT = "http://127.0.0.1:1/admin/sign-in/google/callback";
  private final FakeSlack slack = FakeSlack.create(FakeSlackOptions.forTests());
  private final int port = slack.start(0);
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @AfterEach
  void stop() {
    slack.close();
  }

  private String authorize(String verifier, String hint) throws Exception {
    String challenge = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(slack.googleIssuer() + "/o/oauth2/v2/auth?client_id="
        + FakeGoogleSignIn.CLIENT_ID + "&response_type=code&scope=openid%20email&redirect_uri=" + enc(REDIRECT) + "&state=s1&nonce=n1"
        + "&code_challenge=" + challenge + "&code_challenge_method=S256&login_hint=" + enc(hint))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(302);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT).contains("state=s1");
    Matcher m = Pattern.compile("code=([^&]+)").matcher(location);
    return m.find() ? java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : location;
  }

  private HttpResponse<String> token(String code, String verifier) throws Exception {
    String form = "grant_type=authorization_code&code=" + enc(code) + "&client_id=" + enc(FakeGoogleSignIn.CLIENT_ID) + "&client_secret="
        + enc(FakeGoogleSignIn.CLIENT_SECRET) + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + enc(verifier);
    return http.send(HttpRequest.newBuilder(URI.create(slack.googleIssuer() + "/token")).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCodeIsExchangedOnceWithItsVerifierForASignedIdToken() throws Exception {
    slack.googleSignIn().addAccount("alice@acme.example", "Alice Archer", true);
    String code = authorize("verifier-of-at-least-43-characters-0123456789", "alice@acme.example");

    assertThat(token(code, "another-verifier-of-at-least-43-characters-01").statusCode()).as("wrong verifier").isEqualTo(400);
    String code2 = authorize("verifier-of-at-least-43-characters-0123456789", "alice@acme.example");
    HttpResponse<String> ok = token(code2, "verifier-of-at-least-43-characters-0123456789");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    String jwt = (String) Json.readObject(ok.body()).get("id_token");
    Map<String, Object> claims = Json.readObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    assertThat(claims).containsEntry("iss", slack.googleIssuer()).containsEntry("aud", FakeGoogleSignIn.CLIENT_ID)
        .containsEntry("email", "alice@acme.example").containsEntry("email_verified", true).containsEntry("nonce", "n1")
        .containsEntry("hd", "acme.example").containsKeys("exp", "iat", "sub");
    assertThat(token(code2, "verifier-of-at-least-43-characters-0123456789").statusCode()).as("a code is good once").isEqualTo(400);

    Map<String, Object> jwks = Json.readObject(http.send(HttpRequest.newBuilder(URI.create(slack.googleIssuer() + "/oauth2/v3/certs")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(jwks.get("keys").toString()).contains("RS256", "kid");
  }

  @Test
  void anUnknownAccountIsDenied() throws Exception {
    String location = authorize("verifier-of-at-least-43-characters-0123456789", "nobody@acme.example");
    assertThat(location).contains("error=access_denied");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
