package dev.tandem.core.jobs;

import java.time.Duration;

/**
 * Thrown by a handler to retry after a known delay (a {@code Retry-After} hint). Counts as an
 * attempt, unless made with {@link #waiting}: a wait for something that is on its way (a rate
 * limit window, another job's result) is not a failure and never sends a job to the dead letter.
 */
public final class RetryLater extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Duration delay;
  private final boolean charged;

  public RetryLater(Duration delay, String reason) {
    this(delay, reason, true);
  }

  private RetryLater(Duration delay, String reason, boolean charged) {
    super(reason);
    this.charged = charged;
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay < 0: " + delay);
    }
    this.delay = delay;
  }

  /** A retry after {@code delay} that does not use up an attempt. */
  public static RetryLater waiting(Duration delay, String reason) {
    return new RetryLater(delay, reason, false);
  }

  /** Whether this retry uses up an attempt. */
  public boolean charged() {
    return charged;
  }

  public Duration delay() {
    return delay;
  }
}
