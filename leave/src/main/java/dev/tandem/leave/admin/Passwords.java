package dev.tandem.leave.admin;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for local admin accounts: PBKDF2-HMAC-SHA256 from the JDK, 600,000 iterations
 * (OWASP's current advice for this function), a random 16-byte salt, a 32-byte result. The work
 * factor is stored with each hash, so it can be raised later ({@link #needsRehash}) without
 * breaking existing accounts. Comparison is constant-time.
 */
public final class Passwords {
  static final int ITERATIONS = 600_000;
  private static final String SCHEME = "pbkdf2-sha256";
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  public static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return SCHEME + "$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS));
  }

  /** Whether {@code password} matches {@code stored}; false for anything that is not one of our hashes. */
  public static boolean matches(String password, String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      if (iterations < 1 || salt.length == 0 || expected.length == 0) {
        return false;
      }
      return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether a hash was made with less work than today's (re-hash it at the next sign-in). */
  public static boolean needsRehash(String stored) {
    String[] parts = stored.split("\\$");
    return parts.length != 4 || !parts[0].equals(SCHEME) || Integer.parseInt(parts[1]) < ITERATIONS;
  }

  /** A password to hand out once: 20 characters from an alphabet without look-alikes (about 116 bits). */
  public static String generate() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().withoutPadding().encodeToString(b);
  }
}
