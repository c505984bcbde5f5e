package dev.tandem.sandbox;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;

/**
 * An RSA-2048 key pair made on first use, not at construction: most sandboxes never sign
 * anything, and making a key takes a noticeable moment. Thread-safe.
 */
final class LazyRsaKey {
  private final SecureRandom random;
  private KeyPair keys;

  LazyRsaKey(SecureRandom random) {
    this.random = random;
  }

  synchronized KeyPair get() {
    if (keys == null) {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, random);
        keys = g.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no RSA in this JVM", e);
      }
    }
    return keys;
  }
}
