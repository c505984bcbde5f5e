package dev.tandem.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Slack's v0 request signature: {@code v0=} + hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)). */
final class Signer {
  private Signer() {}

  static String sign(String signingSecret, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] h = mac.doFinal(("v0:" + timestampSeconds + ":" + body).getBytes(StandardCharsets.UTF_8));
      return "v0=" + HexFormat.of().formatHex(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
