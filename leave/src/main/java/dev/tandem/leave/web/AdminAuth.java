package dev.tandem.leave.web;

import dev.tandem.leave.LeaveIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Who is calling the admin: browser sessions ({@code leave_admin_session}) and API tokens
 * ({@code leave_api_token}). Only SHA-256 hashes of the 256-bit random secrets are stored, so a
 * copy of the database signs no one in. Each session has its own CSRF token.
 */
public final class AdminAuth {
  static final String TOKEN_PREFIX = "tdm_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  private final Jdbi jdbi;
  private final Clock clock;
  private final AdminSettings settings;

  /** Who is signed in: by {@code method} password, google or token; a session has a CSRF token, a token has none (nothing ambient to forge). */
  public record Principal(String email, String name, String method, Optional<String> csrfToken, boolean mustChangePassword) {
    public boolean isToken() {
      return "token".equals(method);
    }
  }

  /** A new API token: its id, name and secret (shown once). */
  public record NewToken(String id, String name, String secret) {}

  /** A new session: the cookie's value (shown to the browser only) and its CSRF token. */
  public record NewSession(String secret, String csrfToken) {}

  /** An API token as the admin lists it (the secret itself is shown once, at creation). */
  public record Token(String id, String name, String prefix, String createdBy, long createdAt, Long lastUsedAt, Long revokedAt) {}

  public AdminAuth(Jdbi jdbi, Clock clock, AdminSettings settings) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.settings = settings;
  }

  public NewSession startSession(String email, String name, String method) {
    String secret = randomSecret();
    String csrf = randomSecret();
    long now = clock.millis();
    jdbi.useHandle(h -> {
      h.execute("DELETE FROM leave_admin_session WHERE expires_at < ?", now);
      h.execute("INSERT INTO leave_admin_session (id_hash, admin_email, admin_name, method, csrf_token, created_at, last_seen_at, expires_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", sha256(secret), email, name, method, csrf, now, now, now + settings.sessionLifetime().toMillis());
    });
    return new NewSession(secret, csrf);
  }

  /** The session's admin, when the session exists, has not expired and was used within the idle timeout. */
  public Optional<Principal> bySession(String secret) {
    if (secret == null || secret.isBlank() || secret.length() > 200) {
      return Optional.empty();
    }
    long now = clock.millis();
    String hash = sha256(secret);
    var row = jdbi.withHandle(h -> h.createQuery("SELECT s.*, u.must_change_password, u.status FROM leave_admin_session s"
            + " LEFT JOIN leave_admin_user u ON u.email = s.admin_email AND s.method = 'password' WHERE s.id_hash = :h")
        .bind("h", hash).mapToMap().findOne());
    if (row.isEmpty()) {
      return Optional.empty();
    }
    var r = row.get();
    if ("password".equals(r.get("method")) && !"active".equals(r.get("status"))) {
      end(secret); // the account was disabled (or removed) since
      return Optional.empty();
    }
    long lastSeen = ((Number) r.get("last_seen_at")).longValue();
    if (now >= ((Number) r.get("expires_at")).longValue() || now - lastSeen >= settings.idleTimeout().toMillis()) {
      end(secret);
      return Optional.empty();
    }
    if (now - lastSeen >= TOUCH_EVERY.toMillis()) {
      jdbi.useHandle(h -> h.execute("UPDATE leave_admin_session SET last_seen_at = ? WHERE id_hash = ?", now, hash));
    }
    Object change = r.get("must_change_password");
    return Optional.of(new Principal((String) r.get("admin_email"), (String) r.get("admin_name"), (String) r.get("method"),
        Optional.of((String) r.get("csrf_token")), change != null && ((Number) change).intValue() != 0));
  }

  public void end(String secret) {
    if (secret != null) {
      jdbi.useHandle(h -> h.execute("DELETE FROM leave_admin_session WHERE id_hash = ?", sha256(secret)));
    }
  }

  /** Ends every session of an admin (a password reset). */
  public void endAll(String email) {
    jdbi.useHandle(h -> h.execute("DELETE FROM leave_admin_session WHERE admin_email = ?", email.strip().toLowerCase(java.util.Locale.ROOT)));
  }

  /** Ends every session of an admin (after a password change), except the one given. */
  public void endOthers(String email, String keepSecret) {
    jdbi.useHandle(h -> h.execute("DELETE FROM leave_admin_session WHERE admin_email = ? AND id_hash <> ?", email, sha256(keepSecret)));
  }

  /** Creates an API token; returns it with its secret, which is not stored and cannot be shown again. */
  public NewToken createToken(String name, String by) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("a token needs a name of 1 to 200 characters (what uses it, e.g. 'backup script')");
    }
    String secret = TOKEN_PREFIX + randomSecret();
    String id = LeaveIds.newId();
    jdbi.useHandle(h -> h.execute("INSERT INTO leave_api_token (id, name, prefix, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        id, name.strip(), secret.substring(0, 10), sha256(secret), by, clock.millis()));
    return new NewToken(id, name.strip(), secret);
  }

  public List<Token> tokens() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_api_token ORDER BY created_at DESC")
        .map((rs, ctx) -> new Token(rs.getString("id"), rs.getString("name"), rs.getString("prefix"), rs.getString("created_by"),
            rs.getLong("created_at"), AdminStore.nullableLong(rs, "last_used_at"), AdminStore.nullableLong(rs, "revoked_at")))
        .list());
  }

  public Optional<Token> token(String id) {
    return tokens().stream().filter(t -> t.id().equals(id)).findFirst();
  }

  /** Revokes a token; false when it was revoked already. */
  public boolean revoke(String id, String by) {
    return jdbi.withHandle(h -> h.execute("UPDATE leave_api_token SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
        clock.millis(), by, id)) == 1;
  }

  /** The token's principal when it exists and is not revoked. */
  public Optional<Principal> byToken(String secret) {
    if (secret == null || !secret.startsWith(TOKEN_PREFIX) || secret.length() > 200) {
      return Optional.empty();
    }
    String hash = sha256(secret);
    var row = jdbi.withHandle(h -> h.createQuery("SELECT id, name, created_by FROM leave_api_token WHERE token_hash = :h AND revoked_at IS NULL")
        .bind("h", hash).mapToMap().findOne());
    row.ifPresent(r -> jdbi.useHandle(h -> h.execute("UPDATE leave_api_token SET last_used_at = ? WHERE id = ?", clock.millis(), r.get("id"))));
    return row.map(r -> new Principal("token:" + r.get("name"), "API token '" + r.get("name") + "' of " + r.get("created_by"), "token",
        Optional.empty(), false));
  }

  static String randomSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of two secrets. */
  static boolean same(String a, String b) {
    return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
