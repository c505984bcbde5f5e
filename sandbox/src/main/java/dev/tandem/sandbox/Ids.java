package dev.tandem.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/** Identifiers in Slack's formats: 11-character ids with a type prefix, tokens, event ids, trigger ids. */
final class Ids {
  private static final String ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  private final Random random = new SecureRandom();

  /** E.g. {@code id('C')} gives {@code C05QW7S2M8L}: the prefix then 10 upper-case alphanumerics. */
  String id(char prefix) {
    return prefix + chars(10);
  }

  String eventId() {
    return "Ev" + chars(10);
  }

  String chars(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
    }
    return b.toString();
  }

  String digits(int n) {
    StringBuilder b = new StringBuilder(n);
    b.append(1 + random.nextInt(9));
    for (int i = 1; i < n; i++) {
      b.append(random.nextInt(10));
    }
    return b.toString();
  }

  String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  String alnumMixed(int n) {
    String abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(abc.charAt(random.nextInt(abc.length())));
    }
    return b.toString();
  }

  String botToken() {
    return "xoxb-" + digits(13) + "-" + digits(13) + "-" + alnumMixed(24);
  }

  String userToken() {
    return "xoxp-" + digits(13) + "-" + digits(13) + "-" + digits(13) + "-" + hex(16);
  }

  String appToken(String appId) {
    return "xapp-1-" + appId + "-" + digits(13) + "-" + hex(32);
  }

  /** Trigger ids look like {@code 7284019921402.5839247031795.3f1c9a7be2d04b6c8e1f5a0d9b7c2e41}. */
  String triggerId() {
    return digits(13) + "." + digits(13) + "." + hex(16);
  }

  String uuid() {
    return UUID.randomUUID().toString();
  }

  /** {@code 4-} then base64url (no padding) of a small JSON naming event type, team, app and channel. */
  static String eventContext(String type, String teamId, String appId, String channel) {
    String json = "{\"et\":\"" + type + "\",\"tid\":\"" + teamId + "\",\"aid\":\"" + appId + "\""
        + (channel == null ? "" : ",\"cid\":\"" + channel + "\"") + "}";
    return "4-" + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static String cursor(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor made by {@link #cursor}; a malformed one is Slack's {@code invalid_cursor}. */
  static String uncursor(String cursor) {
    try {
      return new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new SlackError("invalid_cursor");
    }
  }
}
