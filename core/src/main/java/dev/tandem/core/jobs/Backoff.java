package dev.tandem.core.jobs;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;

  Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The delay after failed attempt number {@code attempt} (1-based). */
  Duration after(int attempt) {
    long base = initial.toMillis();
    long capped = max.toMillis();
    long exp = attempt >= 62 ? Long.MAX_VALUE : base << Math.min(attempt - 1, 40);
    long delay = Math.min(capped, exp < 0 ? Long.MAX_VALUE : exp);
    long half = delay / 2;
    return Duration.ofMillis(half + (delay - half == 0 ? 0 : random.nextLong(delay - half + 1)));
  }
}
