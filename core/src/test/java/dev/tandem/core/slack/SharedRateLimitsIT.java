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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Budgets kept in the database: instances share one budget instead of each having its own. */
class SharedRateLimitsIT {
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void twoInstancesBookFromOneBudgetEvenWhenTheyRace(Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, dir);
    try (Database one = TestDatabases.open(url, dir); Database two = TestDatabases.open(url, dir);
        ExecutorService threads = Executors.newFixedThreadPool(8)) {
      new Migrations(one).migrate(List.of(new MigrationSet("core")));
      MutableClock clock = MutableClock.atEpochDay();
      RateLimits first = new RateLimits("sync", clock, new DatabaseSlots(one));
      RateLimits second = new RateLimits("sync", clock, new DatabaseSlots(two));
      List<Future<Duration>> waits = new ArrayList<>();

      for (int i = 0; i < 12; i++) {
        RateLimits instance = i % 2 == 0 ? first : second;
        waits.add(threads.submit(() -> instance.reserve("T1", "chat.postMessage", "C1")));
      }
      List<Long> millis = new ArrayList<>();
      for (Future<Duration> w : waits) {
        millis.add(w.get().toMillis());
      }
      Collections.sort(millis);

      // one channel, one message a second after a burst of 3, whichever instance asked
      assertThat(millis).containsExactly(0L, 0L, 0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L, 8000L, 9000L);
      second.blockFor("T1", "users.list", null, Duration.ofSeconds(30));
      assertThat(first.reserve("T1", "users.list", null)).as("a 429 seen by one instance holds the other").isEqualTo(Duration.ofSeconds(30));
      assertThat(new RateLimits("leave", clock, new DatabaseSlots(one)).reserve("T1", "users.list", null))
          .as("another app has its own budget").isZero();
    }
  }
}
