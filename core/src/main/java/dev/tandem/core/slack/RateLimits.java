package dev.tandem.core.slack;

import com.slack.api.methods.MethodsRateLimitTier;
import com.slack.api.methods.MethodsRateLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slack's rate limits, kept on our side so that we rarely meet a 429: a budget per (app,
 * workspace, method) by the method's tier (as the SDK's {@link MethodsRateLimits} table gives it;
 * Tier 1 is 1 call a minute, Tier 4 100), and for posting methods one message per second per
 * channel, with a short burst. {@link #reserve} books a call and says how long to wait for it.
 *
 * <p>Each budget is a token bucket kept as its next free slot in a {@link Slots} store: in
 * memory for one process, or in the database ({@link DatabaseSlots}) so that several instances
 * share one budget instead of multiplying it.
 */
public final class RateLimits {
  private static final Set<String> POSTING = Set.of("chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage");
  private static final int CHANNEL_BURST = 3;

  /** Where the next free slot of each budget lives. */
  public interface Slots {
    /**
     * Atomically: reads the budget's next free slot (epoch ms, or none), lets {@code book} compute
     * the new one from it (returning null to leave it unchanged), and stores it.
     */
    void update(String key, java.util.function.Function<Double, Double> book);
  }

  /** Slots of this process only. */
  public static Slots inMemory() {
    Map<String, Double> slots = new ConcurrentHashMap<>();
    return (key, book) -> slots.compute(key, (k, current) -> {
      Double next = book.apply(current);
      return next == null ? current : next;
    });
  }

  private final String app;
  private final Clock clock;
  private final Slots slots;
  private final boolean enabled;

  public RateLimits(Clock clock) {
    this("app", clock, inMemory());
  }

  public RateLimits(String app, Clock clock, Slots slots) {
    this(app, clock, slots, true);
  }

  private RateLimits(String app, Clock clock, Slots slots, boolean enabled) {
    this.app = app;
    this.clock = clock;
    this.slots = slots;
    this.enabled = enabled;
  }

  /** No budgets at all (TANDEM_SLACK_RATE_LIMITS=false): every call goes at once; Slack's 429s are still honoured per call. */
  public static RateLimits off(Clock clock) {
    return new RateLimits("off", clock, inMemory(), false);
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
    Budget budget = budget(teamId, method, channel);
    if (budget == null) {
      return Duration.ZERO;
    }
    long now = clock.millis();
    long[] wait = new long[1];
    slots.update(budget.key(), nextFree -> {
      double earliest = Math.max(nextFree == null ? Double.NEGATIVE_INFINITY : nextFree, now - (budget.burst() - 1) * budget.intervalMs());
      wait[0] = (long) Math.ceil(Math.max(0, earliest - now));
      return wait[0] <= maxWait.toMillis() ? earliest + budget.intervalMs() : null;
    });
    return Duration.ofMillis(wait[0]);
  }

  /** After a 429: nothing more for this budget until {@code after} has passed. */
  public void blockFor(String teamId, String method, String channel, Duration after) {
    Budget budget = budget(teamId, method, channel);
    if (budget != null) {
      double until = clock.millis() + after.toMillis();
      slots.update(budget.key(), nextFree -> nextFree == null || nextFree < until ? until : null);
    }
  }

  private record Budget(String key, double intervalMs, int burst) {}

  private Budget budget(String teamId, String method, String channel) {
    if (!enabled) {
      return null;
    }
    if (POSTING.contains(method)) {
      // Posting has no published per-workspace budget, only "about one message per second per
      // channel, short bursts allowed".
      return channel == null ? null : new Budget(app + ":c:" + teamId + ":" + channel, 1000.0, CHANNEL_BURST);
    }
    int perMinute = perMinute(method);
    return new Budget(app + ":m:" + teamId + ":" + method, 60_000.0 / perMinute, Math.max(1, perMinute / 10));
  }

  static int perMinute(String method) {
    MethodsRateLimitTier tier = MethodsRateLimits.lookupRateLimitTier(method);
    Integer allowed = tier == null ? null : MethodsRateLimitTier.getAllowedRequestsPerMinute(tier);
    return allowed == null || allowed <= 0 ? 20 : allowed; // unknown methods: Tier 2, the usual default
  }
}
