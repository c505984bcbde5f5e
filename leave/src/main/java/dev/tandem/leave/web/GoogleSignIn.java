package dev.tandem.leave.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sign-in with Google (OpenID Connect, authorization code flow with PKCE): the URL to send the
 * browser to, and the code exchanged for an ID token that is verified here (RS256 signature
 * against the issuer's published keys, issuer, audience, expiry, nonce, verified email in an
 * allowed domain). The discovery document and keys are fetched once and again when a key id is new.
 */
final class GoogleSignIn {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long SKEW_SECONDS = 300;
  private final AdminSettings.Google settings;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private volatile JsonNode discovery;
  private volatile Map<String, PublicKey> keys = Map.of();

  /** Who signed in. */
  record Identity(String email, String name) {}

  /** Why a sign-in was refused; the message is shown to the person. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  GoogleSignIn(AdminSettings.Google settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Where to send the browser; {@code verifier} is the PKCE secret kept for {@link #finish}. */
  String authorizeUrl(String redirectUri, String state, String nonce, String verifier) throws Refused {
    String challenge = b64(sha256(verifier));
    return discovery().path("authorization_endpoint").asText() + "?" + form(Map.of("client_id", settings.clientId(), "response_type", "code",
        "scope", "openid email profile", "redirect_uri", redirectUri, "state", state, "nonce", nonce, "code_challenge", challenge,
        "code_challenge_method", "S256", "prompt", "select_account",
        "hd", settings.domains().size() == 1 ? settings.domains().getFirst() : "*"));
  }

  /** Exchanges the code and verifies the ID token; the identity of an allowed, verified email. */
  Identity finish(String code, String redirectUri, String nonce, String verifier) throws Refused {
    JsonNode token = post(discovery().path("token_endpoint").asText(), Map.of("grant_type", "authorization_code", "code", code,
        "client_id", settings.clientId(), "client_secret", settings.clientSecret().reveal(), "redirect_uri", redirectUri,
        "code_verifier", verifier));
    String idToken = token.path("id_token").asText("");
    String[] parts = idToken.split("\\.");
    if (parts.length != 3) {
      throw new Refused("Google answered without an ID token");
    }
    JsonNode header = decode(parts[0]);
    JsonNode claims = decode(parts[1]);
    if (!"RS256".equals(header.path("alg").asText())) {
      throw new Refused("the ID token is signed with " + header.path("alg").asText() + ", not RS256");
    }
    verify(parts, header.path("kid").asText());
    String iss = claims.path("iss").asText();
    boolean issuerOk = iss.equals(settings.issuer())
        || (AdminSettings.GOOGLE_ISSUER.equals(settings.issuer()) && "accounts.google.com".equals(iss));
    if (!issuerOk) {
      throw new Refused("the ID token was issued by " + iss + ", not " + settings.issuer());
    }
    JsonNode aud = claims.path("aud");
    boolean audienceOk = aud.isArray() ? java.util.stream.StreamSupport.stream(aud.spliterator(), false).anyMatch(a -> a.asText()
        .equals(settings.clientId())) : aud.asText().equals(settings.clientId());
    if (!audienceOk) {
      throw new Refused("the ID token is for another client");
    }
    long now = clock.millis() / 1000;
    if (claims.path("exp").asLong(0) + SKEW_SECONDS < now || claims.path("iat").asLong(Long.MAX_VALUE) - SKEW_SECONDS > now) {
      throw new Refused("the ID token has expired or is not valid yet; check this server's clock");
    }
    if (!MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8), claims.path("nonce").asText("").getBytes(StandardCharsets.UTF_8))) {
      throw new Refused("the ID token does not answer this sign-in (nonce)");
    }
    String email = claims.path("email").asText("");
    if (email.isEmpty() || !claims.path("email_verified").asBoolean(false)) {
      throw new Refused("Google did not confirm an email address for this account");
    }
    if (!settings.allows(email)) {
      throw new Refused(email + " may not sign in here: only " + String.join(", ", settings.domains()) + " accounts may");
    }
    return new Identity(email.toLowerCase(java.util.Locale.ROOT), claims.path("name").asText(email));
  }

  private void verify(String[] parts, String kid) throws Refused {
    PublicKey key = keys.get(kid);
    if (key == null) {
      keys = fetchKeys();
      key = keys.get(kid);
    }
    if (key == null) {
      throw new Refused("the ID token is signed with an unknown key");
    }
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        throw new Refused("the ID token's signature is not valid");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new Refused("the ID token's signature could not be checked: " + e.getMessage());
    }
  }

  private Map<String, PublicKey> fetchKeys() throws Refused {
    JsonNode jwks = get(discovery().path("jwks_uri").asText());
    Map<String, PublicKey> out = new java.util.HashMap<>();
    for (JsonNode k : jwks.path("keys")) {
      if ("RSA".equals(k.path("kty").asText())) {
        try {
          BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(k.path("n").asText()));
          BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(k.path("e").asText()));
          out.put(k.path("kid").asText(), KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
          throw new Refused("the issuer published a key that cannot be read: " + ex.getMessage());
        }
      }
    }
    return Map.copyOf(out);
  }

  private JsonNode discovery() throws Refused {
    JsonNode d = discovery;
    if (d == null) {
      d = get(settings.issuer() + "/.well-known/openid-configuration");
      discovery = d;
    }
    return d;
  }

  private JsonNode get(String url) throws Refused {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build());
  }

  private JsonNode post(String url, Map<String, String> fields) throws Refused {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build());
  }

  private JsonNode send(HttpRequest request) throws Refused {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
      if (r.statusCode() / 100 != 2) {
        throw new Refused("Google answered " + r.statusCode() + " " + body.path("error").asText("") + " "
            + body.path("error_description").asText(""));
      }
      return body;
    } catch (IOException e) {
      throw new Refused("Google could not be reached: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused("interrupted");
    }
  }

  private static JsonNode decode(String part) throws Refused {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(part));
    } catch (IOException | IllegalArgumentException e) {
      throw new Refused("the ID token cannot be read");
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
