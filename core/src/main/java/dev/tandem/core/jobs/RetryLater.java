package dev.tandem.core.jobs;

import java.time.Duration;

/** Thrown by a handler to retry after a known delay (a {@code Retry-After} hint). Counts as an attempt. */
public final class RetryLater extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Duration delay;

  public RetryLater(Duration delay, String reason) {
    super(reason);
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay < 0: " + delay);
    }
    this.delay = delay;
  }

  public Duration delay() {
    return delay;
  }
}
