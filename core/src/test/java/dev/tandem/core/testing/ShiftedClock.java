package dev.tandem.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real time plus a shift that tests move forward: for a whole running Tandem, whose job
 * leases, rate limits and polls need time to pass by itself, when a test must also jump over an
 * expiry or a retention period without waiting for it.
 */
public final class ShiftedClock extends Clock {
  private final AtomicReference<Duration> shift = new AtomicReference<>(Duration.ZERO);

  public void advance(Duration d) {
    shift.updateAndGet(s -> s.plus(d));
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(shift.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("ShiftedClock is UTC only");
  }
}
