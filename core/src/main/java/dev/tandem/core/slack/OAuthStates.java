package dev.tandem.core.slack;

import dev.tandem.core.vault.SecretStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * OAuth {@code state} values: signed, not stored, so that the public install link writes nothing.
 * A state is {@code expiry || nonce || HMAC-SHA256(key, app || expiry || nonce)} (truncated to 16
 * bytes), in base64url. The key is a secret of core ({@code slack.oauth_state_key}, sealed by the
 * vault), shared by every instance. Single use is recorded only when a state is consumed.
 */
final class OAuthStates {
  static final Duration LIFETIME = Duration.ofMinutes(10);
  private static final String KEY_NAME = "slack.oauth_state_key";
  private static final int NONCE = 16;
  private static final int TAG = 16;

  private final Jdbi jdbi;
  private final Clock clock;
  private final SecretStore secrets;
  private final SecureRandom random = new SecureRandom();
  private volatile byte[] key;

  OAuthStates(Jdbi jdbi, SecretStore secrets, Clock clock) {
    this.jdbi = jdbi;
    this.secrets = secrets;
    this.clock = clock;
  }

  String issue(String app) {
    long expires = clock.millis() + LIFETIME.toMillis();
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    ByteBuffer state = ByteBuffer.allocate(Long.BYTES + NONCE + TAG).putLong(expires).put(nonce).put(tag(app, expires, nonce));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(state.array());
  }

  /** True once for an unexpired state issued for {@code app}. */
  boolean consume(String app, String state) {
    byte[] raw;
    try {
      raw = state == null || state.length() > 64 ? null : Base64.getUrlDecoder().decode(state);
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null || raw.length != Long.BYTES + NONCE + TAG) {
      return false;
    }
    ByteBuffer in = ByteBuffer.wrap(raw);
    long expires = in.getLong();
    byte[] nonce = new byte[NONCE];
    in.get(nonce);
    byte[] tag = new byte[TAG];
    in.get(tag);
    long now = clock.millis();
    if (!MessageDigest.isEqual(tag, tag(app, expires, nonce)) || expires < now) {
      return false;
    }
    String used = HexFormat.of().formatHex(nonce);
    return jdbi.inTransaction(h -> {
      h.execute("DELETE FROM core_slack_oauth_state WHERE expires_at < ?", now);
      if (h.createQuery("SELECT COUNT(*) FROM core_slack_oauth_state WHERE state = :s").bind("s", used).mapTo(Long.class).one() > 0) {
        return false;
      }
      h.execute("INSERT INTO core_slack_oauth_state (state, app, expires_at) VALUES (?, ?, ?)", used, app, expires);
      return true;
    });
  }

  private byte[] tag(String app, long expires, byte[] nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(), "HmacSHA256"));
      mac.update(app.getBytes(StandardCharsets.UTF_8));
      mac.update(ByteBuffer.allocate(Long.BYTES).putLong(expires).array());
      mac.update(nonce);
      return Arrays.copyOf(mac.doFinal(), TAG);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
    }
  }

  private byte[] key() {
    byte[] k = key;
    if (k == null) {
      String encoded = secrets.getOrCreate(KEY_NAME, () -> {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        return Base64.getEncoder().encodeToString(fresh);
      });
      k = Base64.getDecoder().decode(encoded);
      key = k;
    }
    return k;
  }
}
