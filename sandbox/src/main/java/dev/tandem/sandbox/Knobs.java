package dev.tandem.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run-time switches of the sandbox, all off by default: latency per call, Slack's rate limits (method tiers
 * per app and workspace, chat.postMessage per channel), injected faults per method, and the 2025
 * conversations.history/replies limit profile. Thread-safe; changes apply to the next call.
 */
public final class Knobs {

  /** Shares (0..1) of calls to one method that fail in each way; the rest succeed. */
  public record Fault(double share429, double share5xx, double shareTimeoutBefore, double shareTimeoutAfter) {
    public Fault {
      double sum = share429 + share5xx + shareTimeoutBefore + shareTimeoutAfter;
      if (share429 < 0 || share5xx < 0 || shareTimeoutBefore < 0 || shareTimeoutAfter < 0 || sum > 1.0) {
        throw new IllegalArgumentException("fault shares must be >= 0 and sum to <= 1: " + sum);
      }
    }
  }

  private volatile Duration latency = Duration.ZERO;
  private volatile boolean tierLimits;
  private volatile boolean channelLimits;
  private volatile double channelPostsPerSecond = 1.0;
  private volatile int channelBurst = 3;
  private volatile boolean historyProfile2025;
  private volatile int eventRedeliveries;
  private volatile Duration eventDelay = Duration.ZERO;
  private final Map<RateTier, Integer> perMinute = new ConcurrentHashMap<>(Map.of(
      RateTier.TIER_1, 1, RateTier.TIER_2, 20, RateTier.TIER_3, 50, RateTier.TIER_4, 100, RateTier.SPECIAL, 600));
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();

  public Duration latency() { return latency; }

  /** Every Web API call waits this long before it is handled. */
  public Knobs latency(Duration v) { latency = Objects.requireNonNull(v); return this; }

  public boolean tierLimits() { return tierLimits; }

  /** Enforce per-method tier limits (per app, per workspace, per minute) with HTTP 429 and Retry-After. */
  public Knobs tierLimits(boolean on) { tierLimits = on; return this; }

  public int perMinute(RateTier tier) { return perMinute.get(tier); }

  public Knobs perMinute(RateTier tier, int calls) {
    if (calls < 1) throw new IllegalArgumentException("calls per minute < 1: " + calls);
    perMinute.put(tier, calls);
    return this;
  }

  public boolean channelLimits() { return channelLimits; }

  /** Enforce chat.postMessage's "about one message per second per channel, short bursts allowed". */
  public Knobs channelLimits(boolean on) { channelLimits = on; return this; }

  public double channelPostsPerSecond() { return channelPostsPerSecond; }

  public int channelBurst() { return channelBurst; }

  public Knobs channelRate(double postsPerSecond, int burst) {
    if (postsPerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("channel rate must be > 0 and burst >= 1: " + postsPerSecond + "/" + burst);
    }
    channelPostsPerSecond = postsPerSecond;
    channelBurst = burst;
    return this;
  }

  public boolean historyProfile2025() { return historyProfile2025; }

  /** conversations.history and .replies: 1 call a minute and at most 15 messages (Slack's 2025 profile). */
  public Knobs historyProfile2025(boolean on) { historyProfile2025 = on; return this; }

  public int eventRedeliveries() { return eventRedeliveries; }

  /**
   * Each Events API delivery is sent {@code times} more times, at once and while the first may still be
   * in flight, with {@code X-Slack-Retry-Num} 1..times and reason {@code http_timeout}: what an app sees
   * when Slack did not get its acknowledgement in time although the app had received the event.
   */
  public Knobs eventRedeliveries(int times) {
    if (times < 0 || times > 3) throw new IllegalArgumentException("Slack retries at most 3 times: " + times);
    eventRedeliveries = times;
    return this;
  }

  public Duration eventDelay() { return eventDelay; }

  /**
   * Events API deliveries (over HTTP) leave this long after what caused them. Slack promises no
   * delivery time; under load, events reach apps seconds or minutes late.
   */
  public Knobs eventDelay(Duration v) {
    if (v.isNegative()) throw new IllegalArgumentException("event delay < 0: " + v);
    eventDelay = v;
    return this;
  }

  public Knobs fault(String method, Fault fault) { faults.put(method, fault); return this; }

  public Knobs clearFaults() { faults.clear(); return this; }

  Fault faultFor(String method) { return faults.get(method); }

  /** The faults by method, as set now. */
  public Map<String, Fault> faults() { return Map.copyOf(faults); }
}
