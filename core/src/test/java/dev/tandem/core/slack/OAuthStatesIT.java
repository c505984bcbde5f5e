package dev.tandem.core.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.MutableClock;
import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OAuthStatesIT {
  @TempDir Path dir;

  @Test
  void aStateWorksOnceForItsAppAndExpiresAfterTenMinutes() {
    try (Database db = TestDatabases.fresh(Dialect.SQLITE, dir)) {
      new Migrations(db).migrate(List.of(new MigrationSet("core")));
      MutableClock clock = MutableClock.atEpochDay();
      java.security.SecureRandom random = new java.security.SecureRandom();
      var vault = new dev.tandem.core.vault.TokenVault(dev.tandem.core.vault.KeyRing.of(dev.tandem.core.vault.VaultKey.generate(random)), random);
      OAuthStates states = new OAuthStates(db.jdbi(), new dev.tandem.core.vault.SecretStore(db.jdbi(), vault, clock), clock);

      long rowsBefore = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM core_slack_oauth_state").mapTo(Long.class).one());
      String used = states.issue("sync");
      String otherApp = states.issue("sync");
      String expired = states.issue("sync");

      long rowsAfter = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM core_slack_oauth_state").mapTo(Long.class).one());
      assertThat(rowsAfter).as("issuing writes nothing").isEqualTo(rowsBefore);
      char[] forged = used.toCharArray();
      forged[5] = forged[5] == 'A' ? 'B' : 'A';
      assertThat(states.consume("sync", new String(forged))).as("altered state").isFalse();
      assertThat(states.consume("sync", used)).isTrue();
      assertThat(states.consume("sync", used)).as("second use").isFalse();
      assertThat(states.consume("leave", otherApp)).as("another app's state").isFalse();
      assertThat(states.consume("sync", "made-up")).isFalse();
      clock.advance(OAuthStates.LIFETIME.plus(Duration.ofMillis(1)));
      assertThat(states.consume("sync", expired)).as("expired").isFalse();
      assertThat(states.consume("sync", states.issue("sync"))).isTrue();
    }
  }
}
