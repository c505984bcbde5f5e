package dev.tandem.core.slack;

import com.slack.api.methods.MethodsRateLimitTier;
import com.slack.api.methods.MethodsRateLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slack's rate limits, kept on our side so that we rarely meet a 429: a budget per (workspace,
 * method) by the method's tier (as the SDK's {@link MethodsRateLimits} table gives it; Tier 1 is
 * 1 call a minute, Tier 4 100), and for posting methods one message per second per channel,
 * with a short burst. {@link #reserve} books a call and says how long to wait for it.
 *
 * <p>Budgets are per process. With several instances each keeps its own, so the sum can exceed
 * Slack's limit; 429 answers are then honoured through {@code Retry-After} (see {@link SlackCalls}).
 */
public final class RateLimits {
  private static final Set<String> POSTING = Set.of("chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage");
  private static final int CHANNEL_BURST = 3;

  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimits(Clock clock) {
    this.clock = clock;
  }

  /** Books one call; returns how long the caller must wait before making it (zero when it may go now). */
  public Duration reserve(String teamId, String method, String channel) {
    return reserve(teamId, method, channel, Duration.ofDays(1));
  }

  /**
   * Books one call if it may go within {@code maxWait}, and returns the wait; a longer wait is
   * returned without booking anything, so that a caller who gives up takes no slot from others.
   */
  public Duration reserve(String teamId, String method, String channel, Duration maxWait) {
    long now = clock.millis();
    if (POSTING.contains(method)) {
      // Posting has no published per-workspace budget, only "about one message per second per
      // channel, short bursts allowed".
      return channel == null ? Duration.ZERO
          : Duration.ofMillis(bucket("c:" + teamId + ":" + channel, 60, CHANNEL_BURST).reserve(now, maxWait.toMillis()));
    }
    return Duration.ofMillis(bucket("m:" + teamId + ":" + method, perMinute(method), burst(method)).reserve(now, maxWait.toMillis()));
  }

  /** After a 429: nothing more for this budget until {@code after} has passed. */
  public void blockFor(String teamId, String method, String channel, Duration after) {
    long until = clock.millis() + after.toMillis();
    if (POSTING.contains(method)) {
      if (channel != null) {
        bucket("c:" + teamId + ":" + channel, 60, CHANNEL_BURST).blockUntil(until);
      }
    } else {
      bucket("m:" + teamId + ":" + method, perMinute(method), burst(method)).blockUntil(until);
    }
  }

  static int perMinute(String method) {
    MethodsRateLimitTier tier = MethodsRateLimits.lookupRateLimitTier(method);
    Integer allowed = tier == null ? null : MethodsRateLimitTier.getAllowedRequestsPerMinute(tier);
    return allowed == null || allowed <= 0 ? 20 : allowed; // unknown methods: Tier 2, the usual default
  }

  private static int burst(String method) {
    return Math.max(1, perMinute(method) / 10);
  }

  private Bucket bucket(String key, int perMinute, int burst) {
    return buckets.computeIfAbsent(key, k -> new Bucket(60_000.0 / perMinute, burst));
  }

  /** A token bucket that books future slots: each reservation moves the next free slot on. */
  private static final class Bucket {
    private final double intervalMs;
    private final int burst;
    private double nextFree = Double.NEGATIVE_INFINITY;

    Bucket(double intervalMs, int burst) {
      this.intervalMs = intervalMs;
      this.burst = burst;
    }

    synchronized void blockUntil(long until) {
      nextFree = Math.max(nextFree, until);
    }

    synchronized long reserve(long now, long maxWaitMs) {
      double earliest = Math.max(nextFree, now - (burst - 1) * intervalMs);
      long wait = (long) Math.ceil(Math.max(0, earliest - now));
      if (wait <= maxWaitMs) {
        nextFree = earliest + intervalMs;
      }
      return wait;
    }
  }
}
