package dev.tandem.sandbox;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Slack's limits: a sliding one-minute window per key (method tiers) and a token bucket per channel
 * (chat.postMessage). Answers how many seconds to wait, as Slack's {@code Retry-After} does.
 */
final class RateLimiter {
  private final Clock clock;
  private final Map<String, Deque<Long>> windows = new HashMap<>();
  private final Map<String, double[]> buckets = new HashMap<>();

  RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /** Records a call if under {@code perWindow} calls in the last {@code windowMillis}; else the wait. */
  synchronized OptionalLong window(String key, int perWindow, long windowMillis) {
    long now = clock.millis();
    Deque<Long> calls = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!calls.isEmpty() && calls.peekFirst() <= now - windowMillis) {
      calls.pollFirst();
    }
    if (calls.size() >= perWindow) {
      long waitMillis = calls.peekFirst() + windowMillis - now;
      return OptionalLong.of(Math.max(1, (waitMillis + 999) / 1000));
    }
    calls.addLast(now);
    return OptionalLong.empty();
  }

  /** Takes one token from the key's bucket (refilled at {@code perSecond}, holding {@code burst}). */
  synchronized OptionalLong bucket(String key, double perSecond, int burst) {
    long now = clock.millis();
    double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + (now - b[1]) / 1000.0 * perSecond);
    b[1] = now;
    if (b[0] < 1.0) {
      return OptionalLong.of(Math.max(1, (long) Math.ceil((1.0 - b[0]) / perSecond)));
    }
    b[0] -= 1.0;
    return OptionalLong.empty();
  }
}
