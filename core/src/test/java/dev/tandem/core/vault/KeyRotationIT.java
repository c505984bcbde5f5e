package dev.tandem.core.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeyRotationIT {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void rotatingTheKeyFileThenDroppingTheOldKeyKeepsEverySecret(Dialect dialect) throws Exception {
    Path keyFile = dir.resolve("secret.key");
    VaultSettings settings = new VaultSettings(Optional.empty(), List.of(), keyFile);
    try (Database db = migrated(dialect)) {
      TokenVault vault = new TokenVault(KeyRing.load(settings, random), random);
      String oldId = vault.keys().current().id();
      SecretStore store = new SecretStore(db.jdbi(), vault, Clock.systemUTC());
      store.put("a", "xoxb-first-secret");
      store.put("b", "xoxp-second-secret");

      TokenVault otherProcess = new TokenVault(KeyRing.load(settings, random), random);

      KeyRotation.Result result = new KeyRotation(db.jdbi(), vault, List.of(SecretStore.COLUMN)).rotate(random);

      assertThat(result.reencrypted()).isEqualTo(2);
      assertThat(result.retiredKeyIds()).containsExactly(oldId);
      assertThat(result.currentKeyId()).isNotEqualTo(oldId);
      assertThat(Files.readString(keyFile).lines().filter(l -> !l.startsWith("#")).count()).isEqualTo(1);
      TokenVault reloaded = new TokenVault(KeyRing.load(settings, random), random);
      assertThat(reloaded.keys().find(oldId)).isEmpty();
      SecretStore after = new SecretStore(db.jdbi(), reloaded, Clock.systemUTC());
      assertThat(after.get("a")).contains("xoxb-first-secret");
      assertThat(after.get("b")).contains("xoxp-second-secret");
      // a process that loaded the key file before the rotation seals with the new key at once
      assertThat(TokenVault.keyIdOf(otherProcess.seal("x", "c"))).isEqualTo(result.currentKeyId());
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void withConfiguredKeysTheOldOneIsNeededOnlyUntilRotation(Dialect dialect) {
    VaultKey oldKey = VaultKey.generate(random);
    VaultKey newKey = VaultKey.generate(random);
    try (Database db = migrated(dialect)) {
      new SecretStore(db.jdbi(), new TokenVault(KeyRing.of(oldKey), random), Clock.systemUTC()).put("a", "value-a");
      TokenVault withBoth = new TokenVault(KeyRing.of(newKey, oldKey), random);

      new KeyRotation(db.jdbi(), withBoth, List.of(SecretStore.COLUMN)).rotate(random);

      TokenVault newOnly = new TokenVault(KeyRing.of(newKey), random);
      assertThat(new SecretStore(db.jdbi(), newOnly, Clock.systemUTC()).get("a")).contains("value-a");
      new KeyRotation(db.jdbi(), newOnly, List.of(SecretStore.COLUMN)).checkAllKeysPresent();
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void startingWithTheWrongKeyNamesTheMissingKeyId(Dialect dialect) {
    VaultKey right = VaultKey.generate(random);
    try (Database db = migrated(dialect)) {
      new SecretStore(db.jdbi(), new TokenVault(KeyRing.of(right), random), Clock.systemUTC()).put("a", "value-a");
      TokenVault wrong = new TokenVault(KeyRing.of(VaultKey.generate(random)), random);

      VaultException e = assertThrows(VaultException.class,
          () -> new KeyRotation(db.jdbi(), wrong, List.of(SecretStore.COLUMN)).checkAllKeysPresent());

      assertThat(e.getMessage()).contains("sealed with key id " + right.id() + ", which is not configured");
    }
  }

  private Database migrated(Dialect dialect) {
    Database db = TestDatabases.fresh(dialect, dir);
    new Migrations(db).migrate(List.of(new MigrationSet("core")));
    return db;
  }
}
