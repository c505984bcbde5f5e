package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import dev.tandem.sandbox.FakeHttp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's Google service account and the token endpoint's logic, so Google's own auth library works
 * unchanged against it: a key file in the format Google issues ({@code type: service_account}, a PKCS#8 PEM
 * private key, {@code token_uri} pointing at the sandbox), and the JWT-bearer grant of RFC 7523 as Google's token
 * endpoint runs it (https://developers.google.com/identity/protocols/oauth2/service-account#httprest): the
 * assertion must be an RS256 JWT signed with the account's key, issued by its email, addressed to Google's token
 * URI, at most an hour long and not expired; otherwise 400 {@code invalid_grant}.
 *
 * <p>The RSA key is generated on first use, not at construction, because most sandboxes never need it and a
 * 2048-bit key takes a noticeable moment. Expiry is judged by the system clock, not the sandbox's: the client
 * library signs with real time, as it does against Google. Thread-safe.
 */
final class GoogleServiceAccount {
  static final String EMAIL = "tandem-sandbox@tandem-sandbox.iam.gserviceaccount.com";
  static final String PROJECT = "tandem-sandbox";
  /** The audience Google documents for the assertion ("always https://oauth2.googleapis.com/token"). */
  static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
  private static final long TOKEN_SECONDS = 3599; // what Google's token endpoint answers
  private static final long SKEW_SECONDS = 300;

  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();
  private final String keyId = HexFormat.of().formatHex(bytes(20));
  private final String clientId = "1" + String.format("%020d", random.nextLong() & Long.MAX_VALUE).substring(0, 20);
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final LazyRsaKey rsa = new LazyRsaKey(random);

  private record Token(Set<String> scopes, Instant expires) {}

  private KeyPair keys() {
    return rsa.get();
  }

  /** The key file a Google Cloud console download would give, for {@code GoogleCredentials.fromStream}. */
  String keyJson(String tokenUri) {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys().getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    return Json.write(obj("type", "service_account", "project_id", PROJECT, "private_key_id", keyId, "private_key", pem,
        "client_email", EMAIL, "client_id", clientId, "token_uri", tokenUri, "universe_domain", "googleapis.com"));
  }

  /**
   * Checks a JWT-bearer assertion and returns the scopes it asks for; throws the token endpoint's 400 answer
   * otherwise. The audience must be Google's token URI, which Google's Java library always puts there whatever the
   * key file says; the key file's {@code token_uri} is accepted too, since Python's google-auth sends that.
   */
  Set<String> verify(String assertion, String tokenUri) {
    String[] parts = assertion.split("\\.", -1);
    if (parts.length != 3) {
      throw grantError("invalid_grant", "Invalid JWT: the assertion is not a signed JWT (header.payload.signature).");
    }
    Map<String, Object> header;
    Map<String, Object> claims;
    byte[] signature;
    try {
      header = Json.readObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      claims = Json.readObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw grantError("invalid_grant", "Invalid JWT: the assertion cannot be decoded.");
    }
    if (!"RS256".equals(header.get("alg")) || !signedByUs(parts[0] + "." + parts[1], signature)) {
      throw grantError("invalid_grant", "Invalid JWT Signature.");
    }
    if (!EMAIL.equals(claims.get("iss"))) {
      throw grantError("invalid_grant", "Invalid grant: account not found");
    }
    if (!GOOGLE_TOKEN_URI.equals(claims.get("aud")) && !tokenUri.equals(claims.get("aud"))) {
      throw grantError("invalid_grant", "Invalid JWT: Failed audience check. The expected value is " + GOOGLE_TOKEN_URI + ".");
    }
    long now = clock.instant().getEpochSecond();
    if (!(claims.get("exp") instanceof Number exp) || !(claims.get("iat") instanceof Number iat)
        || exp.longValue() < now || iat.longValue() > now + SKEW_SECONDS || exp.longValue() - iat.longValue() > 3600) {
      throw grantError("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
          + "timeframe. Check your iat and exp values in the JWT claim.");
    }
    Set<String> scopes = new LinkedHashSet<>();
    if (claims.get("scope") instanceof String s) {
      Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).forEach(scopes::add);
    }
    if (scopes.isEmpty()) {
      throw grantError("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    }
    return scopes;
  }

  /** A new access token for the scopes, valid for Google's usual hour. */
  String issue(Set<String> scopes) {
    String token = "ya29.sandbox." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    tokens.put(token, new Token(Set.copyOf(scopes), clock.instant().plusSeconds(TOKEN_SECONDS)));
    return token;
  }

  static long tokenSeconds() {
    return TOKEN_SECONDS;
  }

  /** The scopes of a valid access token; null when unknown or expired. */
  Set<String> scopes(String token) {
    Token t = token == null ? null : tokens.get(token);
    return t == null || clock.instant().isAfter(t.expires()) ? null : t.scopes();
  }

  private boolean signedByUs(String signed, byte[] signature) {
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(keys().getPublic());
      s.update(signed.getBytes(StandardCharsets.US_ASCII));
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static ErrorReply grantError(String error, String description) {
    return new ErrorReply(400, obj("error", error, "error_description", description));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
