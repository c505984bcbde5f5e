package dev.tandem.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesEachAttemptWithJitterUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), new Random(7));

    for (int i = 0; i < 200; i++) {
      assertThat(backoff.after(1).toMillis()).isBetween(500L, 1000L);
      assertThat(backoff.after(3).toMillis()).isBetween(2000L, 4000L);
      assertThat(backoff.after(10).toMillis()).isBetween(30_000L, 60_000L);
      assertThat(backoff.after(500).toMillis()).isBetween(30_000L, 60_000L);
    }
  }

  @Test
  void jitterSpreadsRetries() {
    Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofHours(1), new Random(11));

    long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> backoff.after(2).toMillis()).distinct().count();

    assertThat(distinct).isGreaterThan(40);
  }
}
