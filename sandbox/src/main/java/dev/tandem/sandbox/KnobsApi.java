package dev.tandem.sandbox;

import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs at run time, over HTTP: {@code GET {prefix}/api/knobs} shows them,
 * {@code POST {prefix}/api/knobs} changes the ones given. Body keys: {@code latency_ms},
 * {@code tier_limits}, {@code per_minute} ({@code {"TIER_1": 1, ...}}), {@code channel_limits},
 * {@code channel_posts_per_second}, {@code channel_burst}, {@code history_profile_2025},
 * {@code faults} ({@code {"chat.postMessage": {"share_429": 0.1, "share_5xx": 0, "share_timeout_before": 0,
 * "share_timeout_after": 0.05}}}, replacing every fault) and {@code clear_faults}.
 */
final class KnobsApi {
  private final Knobs knobs;

  KnobsApi(Knobs knobs) {
    this.knobs = knobs;
  }

  void routes(RoutesConfig r, String path) {
    r.get(path, ControlApi.safe(ctx -> ctx.json(show())));
    r.post(path, ControlApi.safe(ctx -> {
      apply(ControlApi.body(ctx));
      ctx.json(show());
    }));
  }

  private Map<String, Object> show() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("latency_ms", knobs.latency().toMillis());
    out.put("tier_limits", knobs.tierLimits());
    Map<String, Object> perMinute = new LinkedHashMap<>();
    for (RateTier tier : RateTier.values()) {
      perMinute.put(tier.name(), knobs.perMinute(tier));
    }
    out.put("per_minute", perMinute);
    out.put("channel_limits", knobs.channelLimits());
    out.put("channel_posts_per_second", knobs.channelPostsPerSecond());
    out.put("channel_burst", knobs.channelBurst());
    out.put("history_profile_2025", knobs.historyProfile2025());
    out.put("event_delay_ms", knobs.eventDelay().toMillis());
    Map<String, Object> faults = new LinkedHashMap<>();
    knobs.faults().forEach((method, f) -> faults.put(method, Map.of("share_429", f.share429(), "share_5xx", f.share5xx(),
        "share_timeout_before", f.shareTimeoutBefore(), "share_timeout_after", f.shareTimeoutAfter())));
    out.put("faults", faults);
    return out;
  }

  private void apply(Map<String, Object> b) {
    if (b.get("latency_ms") != null) {
      knobs.latency(Duration.ofMillis(number(b, "latency_ms").longValue()));
    }
    if (b.get("tier_limits") != null) {
      knobs.tierLimits(bool(b, "tier_limits"));
    }
    if (b.get("per_minute") instanceof Map<?, ?> tiers) {
      tiers.forEach((tier, calls) -> knobs.perMinute(RateTier.valueOf(tier.toString().toUpperCase(Locale.ROOT)),
          ((Number) calls).intValue()));
    }
    if (b.get("channel_limits") != null) {
      knobs.channelLimits(bool(b, "channel_limits"));
    }
    if (b.get("channel_posts_per_second") != null || b.get("channel_burst") != null) {
      knobs.channelRate(b.get("channel_posts_per_second") == null ? knobs.channelPostsPerSecond()
          : number(b, "channel_posts_per_second").doubleValue(),
          b.get("channel_burst") == null ? knobs.channelBurst() : number(b, "channel_burst").intValue());
    }
    if (b.get("history_profile_2025") != null) {
      knobs.historyProfile2025(bool(b, "history_profile_2025"));
    }
    if (b.get("event_delay_ms") != null) {
      knobs.eventDelay(Duration.ofMillis(number(b, "event_delay_ms").longValue()));
    }
    if (Boolean.TRUE.equals(b.get("clear_faults"))) {
      knobs.clearFaults();
    }
    if (b.get("faults") instanceof Map<?, ?> faults) {
      knobs.clearFaults();
      faults.forEach((method, f) -> {
        if (!(f instanceof Map<?, ?> shares)) {
          throw new IllegalArgumentException("faults." + method + " must be an object");
        }
        knobs.fault(method.toString(), new Knobs.Fault(share(shares, "share_429"), share(shares, "share_5xx"),
            share(shares, "share_timeout_before"), share(shares, "share_timeout_after")));
      });
    }
  }

  private static double share(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException(key + " must be a number between 0 and 1");
    }
    return n.doubleValue();
  }

  private static Number number(Map<String, Object> b, String key) {
    if (!(b.get(key) instanceof Number n)) {
      throw new IllegalArgumentException(key + " must be a number");
    }
    return n;
  }

  private static boolean bool(Map<String, Object> b, String key) {
    if (!(b.get(key) instanceof Boolean v)) {
      throw new IllegalArgumentException(key + " must be true or false");
    }
    return v;
  }
}
