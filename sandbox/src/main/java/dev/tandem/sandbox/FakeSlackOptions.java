package dev.tandem.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one {@link FakeSlack}. Defaults are Slack's documented values (3 s ack, retries immediately,
 * after 1 min and after 5 min, trigger ids valid 3 s); tests shrink them with the {@code with*} copies.
 *
 * @param prefix path under which everything is mounted, e.g. {@code /sandbox}
 * @param eventAckTimeout how long an Events API or interactivity request may take before it counts as failed
 * @param eventRetryDelays delays before retry 1, 2, 3 (Slack: immediately, 1 min, 5 min)
 * @param fileShareDelay delay between files.completeUploadExternal and the share (message, ts, event)
 * @param socketAckTimeout how long a Socket Mode envelope may stay unacked before redelivery
 * @param faultHold how long a request hangs for the "timeout" faults
 * @param randomSeed seed of the fault dice, so fault runs repeat
 */
public record FakeSlackOptions(
    String prefix,
    Clock clock,
    Duration eventAckTimeout,
    List<Duration> eventRetryDelays,
    Duration fileShareDelay,
    Duration triggerIdValidity,
    Duration socketAckTimeout,
    Duration faultHold,
    long randomSeed) {

  public FakeSlackOptions {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(clock, "clock");
    if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw new IllegalArgumentException("prefix must be empty or start and not end with '/': " + prefix);
    }
    eventRetryDelays = List.copyOf(eventRetryDelays);
  }

  public static FakeSlackOptions defaults() {
    return new FakeSlackOptions("/sandbox", Clock.systemUTC(), Duration.ofSeconds(3),
        List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(5)), Duration.ofSeconds(2),
        Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(30), 42L);
  }

  /**
   * Everything compressed for fast tests: 500 ms ack, retries after 0/50/100 ms, share after 50 ms;
   * a Socket Mode envelope waits 1 s for its ack (300 ms let a reconnect on a loaded 2-core machine
   * use up every redelivery of an envelope, which Slack itself spreads over minutes).
   */
  public static FakeSlackOptions forTests() {
    return defaults().withEventAckTimeout(Duration.ofMillis(500))
        .withEventRetryDelays(List.of(Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(100)))
        .withFileShareDelay(Duration.ofMillis(50)).withSocketAckTimeout(Duration.ofSeconds(1))
        .withFaultHold(Duration.ofMillis(300));
  }

  public FakeSlackOptions withPrefix(String v) {
    return new FakeSlackOptions(v, clock, eventAckTimeout, eventRetryDelays, fileShareDelay, triggerIdValidity,
        socketAckTimeout, faultHold, randomSeed);
  }

  public FakeSlackOptions withClock(Clock v) {
    return new FakeSlackOptions(prefix, v, eventAckTimeout, eventRetryDelays, fileShareDelay, triggerIdValidity,
        socketAckTimeout, faultHold, randomSeed);
  }

  public FakeSlackOptions withEventAckTimeout(Duration v) {
    return new FakeSlackOptions(prefix, clock, v, eventRetryDelays, fileShareDelay, triggerIdValidity,
        socketAckTimeout, faultHold, randomSeed);
  }

  public FakeSlackOptions withEventRetryDelays(List<Duration> v) {
    return new FakeSlackOptions(prefix, clock, eventAckTimeout, v, fileShareDelay, triggerIdValidity,
        socketAckTimeout, faultHold, randomSeed);
  }

  public FakeSlackOptions withFileShareDelay(Duration v) {
    return new FakeSlackOptions(prefix, clock, eventAckTimeout, eventRetryDelays, v, triggerIdValidity,
        socketAckTimeout, faultHold, randomSeed);
  }

  public FakeSlackOptions withTriggerIdValidity(Duration v) {
    return new FakeSlackOptions(prefix, clock, eventAckTimeout, eventRetryDelays, fileShareDelay, v,
        socketAckTimeout, faultHold, randomSeed);
  }

  public FakeSlackOptions withSocketAckTimeout(Duration v) {
    return new FakeSlackOptions(prefix, clock, eventAckTimeout, eventRetryDelays, fileShareDelay,
        triggerIdValidity, v, faultHold, randomSeed);
  }

  public FakeSlackOptions withFaultHold(Duration v) {
    return new FakeSlackOptions(prefix, clock, eventAckTimeout, eventRetryDelays, fileShareDelay,
        triggerIdValidity, socketAckTimeout, v, randomSeed);
  }

  public FakeSlackOptions withRandomSeed(long v) {
    return new FakeSlackOptions(prefix, clock, eventAckTimeout, eventRetryDelays, fileShareDelay,
        triggerIdValidity, socketAckTimeout, faultHold, v);
  }
}
