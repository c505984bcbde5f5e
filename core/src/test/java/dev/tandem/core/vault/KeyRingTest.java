package dev.tandem.core.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  @Test
  void firstRunGeneratesAnOwnerOnlyKeyFileThatLaterRunsReuse() throws Exception {
    VaultSettings settings = new VaultSettings(Optional.empty(), List.of(), dir.resolve("data/secret.key"));

    KeyRing first = KeyRing.load(settings, random);
    KeyRing second = KeyRing.load(settings, random);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings.keyFile()))).isEqualTo("rw-------");
    assertThat(second.current().id()).isEqualTo(first.current().id());
    assertThat(first.keyFile()).contains(settings.keyFile());
  }

  @Test
  void aConfiguredKeyWinsAndTheKeyFileStillOpensOldSecrets() {
    Path file = dir.resolve("secret.key");
    KeyRing fromFile = KeyRing.load(new VaultSettings(Optional.empty(), List.of(), file), random);
    VaultKey configured = VaultKey.generate(random);

    KeyRing ring = KeyRing.load(new VaultSettings(Optional.of(configured), List.of(), file), random);

    assertThat(ring.current().id()).isEqualTo(configured.id());
    assertThat(ring.find(fromFile.current().id())).isPresent();
    assertThat(ring.keyFile()).isEmpty();
  }
}
