package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.testing.TestDatabases;
import dev.tandem.core.vault.KeyRing;
import dev.tandem.core.vault.SecretStore;
import dev.tandem.core.vault.TokenVault;
import dev.tandem.core.vault.VaultSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MigrateAndKeysIT {
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void migrateAppliesEverythingThenChangesNothing(Dialect dialect) {
    Map<String, String> env = Map.of("DATABASE_URL", TestDatabases.freshUrl(dialect, dir), "TANDEM_DATA_DIR", dir.toString());

    CliFixture.Result first = CliFixture.run(env, dir, "migrate");
    CliFixture.Result second = CliFixture.run(env, dir, "migrate");

    assertThat(first.exitCode()).as(first.all()).isZero();
    assertThat(first.out()).containsPattern("core: \\d+ migrations applied \\(schema version \\d+\\)");
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).containsPattern("core: up to date \\(schema version \\d+\\)").doesNotContain("applied");
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void keysRotateThenRemovingTheOldKeyKeepsEverySecret(Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, dir);
    Map<String, String> env = Map.of("DATABASE_URL", url, "TANDEM_DATA_DIR", dir.toString());
    assertThat(CliFixture.run(env, dir, "migrate").exitCode()).isZero();
    VaultSettings settings = new VaultSettings(Optional.empty(), List.of(), dir.resolve("secret.key"));
    SecureRandom random = new SecureRandom();
    String oldKeyId;
    try (Database db = TestDatabases.open(url, dir)) {
      TokenVault vault = new TokenVault(KeyRing.load(settings, random), random);
      oldKeyId = vault.keys().current().id();
      new SecretStore(db.jdbi(), vault, Clock.systemUTC()).put("slack.sync.client_secret", "s3cr3t-client-value");
    }

    CliFixture.Result r = CliFixture.run(env, dir, "keys", "rotate");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("1 secrets re-encrypted").contains("no secret uses key ids [" + oldKeyId + "] any more (removed from the key file)");
    assertThat(Files.readString(dir.resolve("secret.key")).lines().filter(l -> !l.startsWith("#"))).hasSize(1);
    try (Database db = TestDatabases.open(url, dir)) {
      TokenVault reloaded = new TokenVault(KeyRing.load(settings, random), random);
      assertThat(reloaded.keys().find(oldKeyId)).isEmpty();
      assertThat(new SecretStore(db.jdbi(), reloaded, Clock.systemUTC()).get("slack.sync.client_secret")).contains("s3cr3t-client-value");
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void startingWithAKeyThatDoesNotOpenStoredSecretsIsAConfigurationError(Dialect dialect) {
    String url = TestDatabases.freshUrl(dialect, dir);
    Map<String, String> env = Map.of("DATABASE_URL", url, "TANDEM_DATA_DIR", dir.toString());
    assertThat(CliFixture.run(env, dir, "migrate").exitCode()).isZero();
    String sealedUnder;
    try (Database db = TestDatabases.open(url, dir)) {
      TokenVault vault = new TokenVault(KeyRing.load(new VaultSettings(Optional.empty(), List.of(), dir.resolve("secret.key")), new SecureRandom()),
          new SecureRandom());
      sealedUnder = vault.keys().current().id();
      new SecretStore(db.jdbi(), vault, Clock.systemUTC()).put("x", "value-x");
    }
    String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    CliFixture.Result r = CliFixture.run(Map.of("DATABASE_URL", url, "TANDEM_DATA_DIR", dir.resolve("elsewhere").toString(),
        "TANDEM_SECRET_KEY", otherKey), dir, "keys", "rotate");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("sealed with key id " + sealedUnder + ", which is not configured");
  }
}
