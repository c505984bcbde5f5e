package dev.tandem.sync.home;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.MutableClock;
import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The wrong-code limit is one count for every instance: two instances, each with its own connections, share it. */
class JoinAttemptsIT {
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void twoInstancesTakingTurnsShareOneLimitPerWorkspace(Dialect dialect) {
    String url = TestDatabases.freshUrl(dialect, dir);
    MutableClock clock = MutableClock.atEpochDay();
    try (Database first = TestDatabases.open(url, dir); Database second = TestDatabases.open(url, dir)) {
      new Migrations(first).migrate(List.of(new MigrationSet("core"), new MigrationSet("sync")));
      JoinAttempts a = new JoinAttempts(first.jdbi(), clock);
      JoinAttempts b = new JoinAttempts(second.jdbi(), clock);

      List<Boolean> allowed = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        clock.advance(Duration.ofSeconds(1));
        allowed.add((i % 2 == 0 ? a : b).begin("T0GLOBEX").allowed());
      }
      assertThat(allowed).containsExactly(true, true, true, true, true, false, false);
      assertThat(a.begin("T0INITECH").allowed()).as("another workspace has its own count").isTrue();

      // a right code does not count; after the window the workspace may try again
      JoinAttempts.Attempt right = b.begin("T0ACME");
      b.succeeded(right);
      clock.advance(JoinAttempts.WINDOW.plusSeconds(1));
      assertThat(a.begin("T0GLOBEX").allowed()).isTrue();
      assertThat(b.purge()).as("Globex's 7 and Initech's 1 are older than the window").isEqualTo(8);
    }
  }
}
