package dev.tandem.core.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenVaultTest {
  private final SecureRandom random = new SecureRandom();
  private final VaultKey key = VaultKey.generate(random);
  private final TokenVault vault = new TokenVault(KeyRing.of(key), random);

  @Test
  void sealsAndOpensWithTheKeyIdBesideTheCiphertext() {
    String sealed = vault.seal("xoxb-secret-token", "sync_installation.bot_token");

    assertThat(sealed).startsWith("tv1:" + key.id() + ":").doesNotContain("xoxb");
    assertThat(TokenVault.keyIdOf(sealed)).isEqualTo(key.id());
    assertThat(vault.open(sealed, "sync_installation.bot_token")).isEqualTo("xoxb-secret-token");
    assertThat(vault.seal("xoxb-secret-token", "c")).isNotEqualTo(vault.seal("xoxb-secret-token", "c"));
  }

  @Test
  void aFlippedByteIsRejectedNamingTheKeyId() {
    String sealed = vault.seal("value", "core_secret.sealed");
    String prefix = sealed.substring(0, sealed.lastIndexOf(':') + 1);
    byte[] data = Base64.getUrlDecoder().decode(sealed.substring(prefix.length()));
    data[data.length / 2] ^= 0x01;
    String tampered = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(data);

    VaultException e = assertThrows(VaultException.class, () -> vault.open(tampered, "core_secret.sealed"));

    assertThat(e.getMessage()).isEqualTo("secret in core_secret.sealed under key id " + key.id()
        + " failed authentication: the ciphertext was altered, or it belongs to another column");
  }

  @Test
  void aValueCopiedToAnotherColumnDoesNotOpen() {
    String sealed = vault.seal("value", "a.token");

    assertThrows(VaultException.class, () -> vault.open(sealed, "b.token"));
  }

  @Test
  void anUnknownKeyIdIsNamed() {
    VaultKey other = VaultKey.generate(random);
    String sealed = new TokenVault(KeyRing.of(other), random).seal("value", "core_secret.sealed");

    VaultException e = assertThrows(VaultException.class, () -> vault.open(sealed, "core_secret.sealed"));

    assertThat(e.getMessage()).startsWith("secret in core_secret.sealed is sealed with key id " + other.id() + ", which is not configured");
  }

  @Test
  void previousKeysStillOpenWhatTheySealed() {
    VaultKey old = VaultKey.generate(random);
    String sealed = new TokenVault(KeyRing.of(old), random).seal("value", "c");

    TokenVault rotated = new TokenVault(KeyRing.of(key, old), random);

    assertThat(rotated.open(sealed, "c")).isEqualTo("value");
    assertThat(TokenVault.keyIdOf(rotated.seal("value", "c"))).isEqualTo(key.id());
  }

  @Test
  void keyIdsAreStableAndKeysMustBe32Bytes() {
    String encoded = Base64.getEncoder().encodeToString(new byte[32]);

    assertThat(VaultKey.fromBase64(encoded).id()).isEqualTo(VaultKey.fromBase64(encoded).id()).hasSize(8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VaultKey.fromBase64(Base64.getEncoder().encodeToString(new byte[31])));
    assertThat(e.getMessage()).startsWith("decodes to 31 bytes");
  }
}
