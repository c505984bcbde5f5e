package dev.tandem.core.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key and its id. The id is derived from the key (first 4 bytes of a domain-separated
 * SHA-256), so the same key always has the same id wherever it is configured, and the id reveals
 * nothing useful about the key.
 */
public final class VaultKey {
  static final int KEY_BYTES = 32;
  private final String id;
  private final SecretKey key;

  private VaultKey(byte[] raw) {
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("a key must be " + KEY_BYTES + " bytes, got " + raw.length);
    }
    this.id = idOf(raw);
    this.key = new SecretKeySpec(raw, "AES");
  }

  /** Parses a base64 (standard or URL-safe) 32-byte key; the message never quotes the value. */
  public static VaultKey fromBase64(String encoded) {
    byte[] raw;
    try {
      String s = encoded.strip();
      raw = s.contains("-") || s.contains("_") ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not valid base64 (expected 32 random bytes in base64, for example from 'openssl rand -base64 32')");
    }
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("decodes to " + raw.length + " bytes (expected exactly 32 bytes in base64, for example from 'openssl rand -base64 32')");
    }
    return new VaultKey(raw);
  }

  public static VaultKey generate(java.security.SecureRandom random) {
    byte[] raw = new byte[KEY_BYTES];
    random.nextBytes(raw);
    return new VaultKey(raw);
  }

  public String id() {
    return id;
  }

  SecretKey secretKey() {
    return key;
  }

  String toBase64() {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  private static String idOf(byte[] raw) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("tandem-vault-key-id:".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(Arrays.copyOf(sha.digest(raw), 4));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  @Override
  public String toString() {
    return "VaultKey[" + id + "]";
  }
}
