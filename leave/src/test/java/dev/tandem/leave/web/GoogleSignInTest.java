package dev.tandem.leave.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.core.config.Secret;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ID token checks, against a small issuer of our own that can sign wrongly: another key, another
 * audience, an old token, another nonce, an unverified email, another domain. Each must be refused.
 */
class GoogleSignInTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLIENT = "client-1";
  private HttpServer server;
  private String issuer;
  private KeyPair published;
  private KeyPair signing;
  private Map<String, Object> claims;

  @BeforeEach
  void start() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    published = g.generateKeyPair();
    signing = published;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    long now = System.currentTimeMillis() / 1000;
    claims = new HashMap<>(Map.of("iss", issuer, "aud", CLIENT, "sub", "1", "email", "alice@acme.example", "email_verified", true,
        "name", "Alice", "nonce", "n1", "iat", now, "exp", now + 3600));
    server.createContext("/.well-known/openid-configuration", x -> answer(x, Map.of("issuer", issuer, "authorization_endpoint",
        issuer + "/auth", "token_endpoint", issuer + "/token", "jwks_uri", issuer + "/jwks")));
    server.createContext("/jwks", x -> {
      RSAPublicKey k = (RSAPublicKey) published.getPublic();
      answer(x, Map.of("keys", List.of(Map.of("kty", "RSA", "kid", "k1", "n", b64(unsigned(k.getModulus().toByteArray())),
          "e", b64(unsigned(k.getPublicExponent().toByteArray()))))));
    });
    server.createContext("/token", x -> {
      try {
        answer(x, Map.of("id_token", jwt()));
      } catch (Exception e) {
        throw new java.io.IOException(e);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private GoogleSignIn signIn() {
    return new GoogleSignIn(new AdminSettings.Google(CLIENT, Secret.of("s"), issuer, List.of("acme.example")), Clock.systemUTC());
  }

  private GoogleSignIn.Identity finish() throws GoogleSignIn.Refused {
    return signIn().finish("code", "http://127.0.0.1/cb", "n1", "verifier");
  }

  @Test
  void aWellSignedTokenForUsIsAccepted() throws Exception {
    assertThat(finish()).isEqualTo(new GoogleSignIn.Identity("alice@acme.example", "Alice"));
    assertThat(signIn().authorizeUrl("http://127.0.0.1/cb", "st", "n1", "verifier")).startsWith(issuer + "/auth?")
        .contains("code_challenge_method=S256", "state=st", "nonce=n1", "hd=acme.example");
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    signing = g.generateKeyPair();
    assertThatThrownBy(this::finish).isInstanceOf(GoogleSignIn.Refused.class).hasMessageContaining("signature is not valid");
  }

  @Test
  void everyClaimIsChecked() {
    Map<String, Object> good = Map.copyOf(claims);
    Map<String, String> refusals = Map.of("aud", "another client", "iss", "issued by", "exp", "expired", "nonce", "nonce",
        "email_verified", "did not confirm", "email", "may not sign in");
    Map<String, Object> bad = Map.of("aud", "client-2", "iss", "https://evil.example", "exp", 1000L, "nonce", "n2", "email_verified", false,
        "email", "eve@evil.example");
    refusals.forEach((claim, message) -> {
      claims.clear();
      claims.putAll(good);
      claims.put(claim, bad.get(claim));
      assertThatThrownBy(this::finish).as(claim).isInstanceOf(GoogleSignIn.Refused.class).hasMessageContaining(message);
    });
  }

  @Test
  void anIssuerThatCannotBeReachedIsSaidSo() {
    server.stop(0);
    assertThatThrownBy(() -> signIn().authorizeUrl("http://127.0.0.1/cb", "st", "n1", "verifier")).isInstanceOf(GoogleSignIn.Refused.class)
        .hasMessageContaining("could not be reached");
  }

  private String jwt() throws Exception {
    String header = b64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "kid", "k1")));
    String body = b64(JSON.writeValueAsBytes(claims));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(signing.getPrivate());
    s.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
    return header + "." + body + "." + b64(s.sign());
  }

  private static void answer(com.sun.net.httpserver.HttpExchange x, Object body) throws java.io.IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(200, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  private static byte[] unsigned(byte[] b) {
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
