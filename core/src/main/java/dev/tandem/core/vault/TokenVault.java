package dev.tandem.core.vault;

import dev.tandem.core.log.Redactor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals secrets at rest with AES-256-GCM.
 *
 * <p>A sealed value is text: {@code tv1:<key id>:<base64url(12-byte nonce || ciphertext || tag)>}.
 * The key id beside the ciphertext says which key opens it, so keys can rotate. The
 * {@code context} (for example {@code sync_installation.bot_token}) is bound as associated data:
 * a value copied into another column does not open.
 */
public final class TokenVault {
  private static final String PREFIX = "tv1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private volatile KeyRing keys;
  private final SecureRandom random;

  public TokenVault(KeyRing keys, SecureRandom random) {
    this.keys = keys;
    this.random = random;
  }

  public String seal(String plaintext, String context) {
    VaultKey key = keys().current();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(key.id(), context));
      byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct).array();
      return PREFIX + key.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
    }
  }

  public String open(String sealed, String context) {
    String keyId = keyIdOf(sealed);
    KeyRing keys = keys();
    VaultKey key = keys.find(keyId).orElseThrow(() -> new VaultException(
        "secret in " + context + " is sealed with key id " + keyId + ", which is not configured"
            + " (current key id " + keys.current().id() + "): set TANDEM_SECRET_KEY to that key,"
            + " or list it in TANDEM_PREVIOUS_SECRET_KEYS, or restore the key file it came from"));
    byte[] data;
    try {
      data = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length() + keyId.length() + 1));
    } catch (IllegalArgumentException e) {
      throw new VaultException("secret in " + context + " under key id " + keyId + " is not valid base64");
    }
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new VaultException("secret in " + context + " under key id " + keyId + " is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      cipher.updateAAD(aad(keyId, context));
      byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
      String secret = new String(plain, StandardCharsets.UTF_8);
      Redactor.register(secret); // an opened secret is masked should it ever reach a log line
      return secret;
    } catch (AEADBadTagException e) {
      throw new VaultException("secret in " + context + " under key id " + keyId
          + " failed authentication: the ciphertext was altered, or it belongs to another column", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
    }
  }

  /** The id of the key that sealed {@code sealed}. */
  public static String keyIdOf(String sealed) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new VaultException("not a sealed secret (expected a value starting with " + PREFIX + ")");
    }
    int end = sealed.indexOf(':', PREFIX.length());
    if (end < 0) {
      throw new VaultException("sealed secret without a key id");
    }
    return sealed.substring(PREFIX.length(), end);
  }

  /** The current keys, reloaded first when the key file changed on disk. */
  public KeyRing keys() {
    KeyRing ring = keys;
    KeyRing fresh = ring.reloadIfChanged();
    if (fresh != ring) {
      keys = fresh;
    }
    return fresh;
  }

  void useKeys(KeyRing next) {
    this.keys = next;
  }

  private static byte[] aad(String keyId, String context) {
    return ("tandem-vault:v1:" + keyId + ":" + context).getBytes(StandardCharsets.UTF_8);
  }
}
