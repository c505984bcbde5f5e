package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Google's OpenID Connect provider as a web app's "Sign in with Google" meets it
 * (https://developers.google.com/identity/openid-connect/openid-connect): a discovery document, the
 * authorization endpoint (code flow, {@code state}, {@code nonce}, PKCE S256), the token endpoint answering
 * an RS256-signed ID token, and the JWKS its keys are published at. Under {@code <prefix>/google-oidc}.
 *
 * <p>Accounts are added with {@link #addAccount}; the authorization endpoint signs in the account named by
 * {@code login_hint}, else the one chosen with {@link #chooseAccount}, else shows a page to pick one (the
 * demo). ID tokens carry {@code email}, {@code email_verified}, {@code name} and, outside gmail.com,
 * {@code hd}, as Google's do. A code is good once, for ten minutes of the sandbox clock.
 */
public final class FakeGoogleSignIn {
  public static final String CLIENT_ID = "1000000000001-sandbox.apps.googleusercontent.com";
  public static final String CLIENT_SECRET = "GOCSPX-sandbox-admin-secret";
  private static final long CODE_MS = 600_000;
  private final Clock clock;
  private final Supplier<String> issuer;
  private final SecureRandom random = new SecureRandom();
  private final String keyId = HexFormat.of().formatHex(bytes(20));
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private volatile String chosen;
  private final LazyRsaKey rsa = new LazyRsaKey(random);

  private record Account(String email, String name, boolean verified) {}

  private record Grant(Account account, String redirectUri, String nonce, String challenge, long issuedAt) {}

  FakeGoogleSignIn(Clock clock, Supplier<String> issuer) {
    this.clock = clock;
    this.issuer = issuer;
  }

  /** A Google account that can sign in; {@code verified} false gives {@code email_verified: false}. */
  public void addAccount(String email, String name, boolean verified) {
    accounts.put(email.toLowerCase(java.util.Locale.ROOT), new Account(email, name, verified));
  }

  /** The account the authorization endpoint signs in without asking (null: ask). */
  public void chooseAccount(String email) {
    chosen = email == null ? null : email.toLowerCase(java.util.Locale.ROOT);
  }

  void routes(RoutesConfig routes, String prefix) {
    String p = prefix + "/google-oidc";
    routes.get(p + "/.well-known/openid-configuration", ctx -> ctx.json(obj(
        "issuer", issuer.get(),
        "authorization_endpoint", issuer.get() + "/o/oauth2/v2/auth",
        "token_endpoint", issuer.get() + "/token",
        "jwks_uri", issuer.get() + "/oauth2/v3/certs",
        "response_types_supported", List.of("code"),
        "subject_types_supported", List.of("public"),
        "id_token_signing_alg_values_supported", List.of("RS256"),
        "scopes_supported", List.of("openid", "email", "profile"),
        "code_challenge_methods_supported", List.of("plain", "S256"))));
    routes.get(p + "/o/oauth2/v2/auth", this::authorize);
    routes.post(p + "/token", this::token);
    routes.get(p + "/oauth2/v3/certs", ctx -> {
      RSAPublicKey key = (RSAPublicKey) keys().getPublic();
      ctx.json(obj("keys", List.of(obj("kty", "RSA", "alg", "RS256", "use", "sig", "kid", keyId, "n", b64(unsigned(key.getModulus())),
          "e", b64(unsigned(key.getPublicExponent()))))));
    });
  }

  private void authorize(Context ctx) {
    String client = ctx.queryParam("client_id");
    String redirect = ctx.queryParam("redirect_uri");
    if (!CLIENT_ID.equals(client) || redirect == null || !redirect.startsWith("http")) {
      ctx.status(400).html("<h1>400. That’s an error.</h1><p>Error 401: invalid_client or missing redirect_uri</p>");
      return;
    }
    if (!"code".equals(ctx.queryParam("response_type")) || ctx.queryParam("scope") == null
        || !List.of(ctx.queryParam("scope").split(" ")).contains("openid")) {
      ctx.redirect(redirect + "?error=invalid_request&state=" + enc(ctx.queryParam("state")));
      return;
    }
    String email = Optional.ofNullable(ctx.queryParam("login_hint")).or(() -> Optional.ofNullable(chosen)).orElse(null);
    if (email == null) {
      StringBuilder page = new StringBuilder("<!doctype html><html lang=en><title>Sign in - Google Accounts (sandbox)</title>"
          + "<h1>Choose an account</h1><ul>");
      for (Account a : accounts.values()) {
        page.append("<li><a href=\"").append(escape(ctx.fullUrl() + "&login_hint=" + enc(a.email()))).append("\">")
            .append(escape(a.name() + " <" + a.email() + ">")).append("</a></li>");
      }
      ctx.html(page.append("</ul></html>").toString());
      return;
    }
    Account account = accounts.get(email.toLowerCase(java.util.Locale.ROOT));
    if (account == null) {
      ctx.redirect(redirect + "?error=access_denied&state=" + enc(ctx.queryParam("state")));
      return;
    }
    String code = "4/0Sandbox" + b64(bytes(24));
    codes.put(code, new Grant(account, redirect, ctx.queryParam("nonce"), ctx.queryParam("code_challenge"), clock.millis()));
    ctx.redirect(redirect + "?code=" + enc(code) + "&state=" + enc(ctx.queryParam("state")) + "&scope=" + enc("email profile openid"));
  }

  private void token(Context ctx) throws GeneralSecurityException {
    if (!"authorization_code".equals(ctx.formParam("grant_type"))) {
      ctx.status(400).json(obj("error", "unsupported_grant_type"));
      return;
    }
    if (!CLIENT_ID.equals(ctx.formParam("client_id")) || !CLIENT_SECRET.equals(ctx.formParam("client_secret"))) {
      ctx.status(401).json(obj("error", "invalid_client", "error_description", "The OAuth client was not found."));
      return;
    }
    Grant grant = codes.remove(String.valueOf(ctx.formParam("code")));
    if (grant == null || clock.millis() - grant.issuedAt() > CODE_MS || !grant.redirectUri().equals(ctx.formParam("redirect_uri"))) {
      ctx.status(400).json(obj("error", "invalid_grant", "error_description", "Bad Request"));
      return;
    }
    if (grant.challenge() != null) {
      String verifier = ctx.formParam("code_verifier");
      String expected = verifier == null ? null
          : b64(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
      if (!grant.challenge().equals(expected)) {
        ctx.status(400).json(obj("error", "invalid_grant", "error_description", "Invalid code verifier."));
        return;
      }
    }
    long now = clock.millis() / 1000;
    Account a = grant.account();
    Map<String, Object> claims = new LinkedHashMap<>(obj("iss", issuer.get(), "azp", CLIENT_ID, "aud", CLIENT_ID,
        "sub", String.valueOf(Math.abs(a.email().hashCode()) + 100000000000000000L), "email", a.email(), "email_verified", a.verified(),
        "name", a.name(), "iat", now, "exp", now + 3600));
    if (grant.nonce() != null) {
      claims.put("nonce", grant.nonce());
    }
    String domain = a.email().substring(a.email().indexOf('@') + 1);
    if (!"gmail.com".equals(domain)) {
      claims.put("hd", domain);
    }
    String header = b64(Json.write(obj("alg", "RS256", "kid", keyId, "typ", "JWT")).getBytes(StandardCharsets.UTF_8));
    String body = b64(Json.write(claims).getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(keys().getPrivate());
    s.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
    String jwt = header + "." + body + "." + b64(s.sign());
    ctx.json(obj("access_token", "ya29.sandbox." + b64(bytes(24)), "expires_in", 3599, "token_type", "Bearer",
        "scope", "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile", "id_token", jwt));
  }

  private KeyPair keys() {
    return rsa.get();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
