package dev.tandem.leave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tandem.leave.intake.TriggerWords;
import dev.tandem.leave.steps.StepSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The settings the bot runs with, live: a value stored in {@code leave_setting} (written by the
 * web admin, or {@link #set}) wins over the environment's default. Read at most every few seconds
 * (the gate consults them for every message in every channel); a change made here is seen at once,
 * one made by another process within {@link #REFRESH}.
 */
public final class LeaveConfig {
  public static final String KEYWORDS = "trigger_keywords";
  public static final String CHANNELS = "leave_channels";
  public static final String EXPIRY_MINUTES = "expiry_minutes";
  public static final String AUTO_REGISTER = "auto_register";
  public static final String DEFAULT_TIME_ZONE = "default_time_zone";
  /** {"morning": "11:00-15:00", "afternoon": "15:00-19:00"}: the half days' calendar windows. */
  public static final String HALF_DAY_WINDOWS = "half_day_windows";
  /** {"full": 8, "half": 4}: hours of a day of leave in Harvest. */
  public static final String HOURS = "hours_per_day";
  /** true / false: whether a run of full days continues over a weekend. */
  public static final String SPAN_WEEKENDS = "span_weekends";
  /** Every setting an admin can store. */
  public static final List<String> NAMES = List.of(KEYWORDS, CHANNELS, EXPIRY_MINUTES, AUTO_REGISTER, DEFAULT_TIME_ZONE, HALF_DAY_WINDOWS,
      HOURS, SPAN_WEEKENDS);
  static final Duration REFRESH = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;
  private final LeaveSettings defaults;
  private final Clock clock;
  private volatile Current current;
  private volatile long readAt = Long.MIN_VALUE;

  /** The settings in force. */
  public record Current(Set<String> channels, TriggerWords keywords, Duration expiry, boolean autoRegister, ZoneId defaultZone,
      Duration farFuture, Recording recording) {}

  /** How confirmed leave is recorded: half-day windows, hours, weekend spanning. */
  public record Recording(StepSettings.Window morning, StepSettings.Window afternoon, double fullDayHours, double halfDayHours,
      boolean spanWeekends) {}

  public LeaveConfig(Jdbi jdbi, LeaveSettings defaults, Clock clock) {
    this.jdbi = jdbi;
    this.defaults = defaults;
    this.clock = clock;
  }

  public Current current() {
    long now = clock.millis();
    Current c = current;
    if (c == null || now - readAt >= REFRESH.toMillis() || now < readAt) {
      c = read();
      current = c;
      readAt = now;
    }
    return c;
  }

  /** Stores one setting (validated first) and applies it at once in this process. */
  public void set(String name, JsonNode value, String by) {
    setAll(Map.of(name, value), by);
  }

  /**
   * Stores settings together: all are validated with what is stored before anything is written
   * (IllegalArgumentException names the first invalid one), then written in one transaction.
   */
  public void setAll(Map<String, JsonNode> values, String by) {
    values.keySet().stream().filter(n -> !NAMES.contains(n)).findFirst().ifPresent(n -> {
      throw new IllegalArgumentException("there is no setting '" + n + "' (the settings are " + NAMES + ")");
    });
    Map<String, JsonNode> stored = stored();
    stored.putAll(values);
    apply(stored); // throws IllegalArgumentException for an invalid value, before anything is written
    long now = clock.millis();
    jdbi.useTransaction(h -> values.forEach((name, value) -> {
      String text = value.toString();
      int updated = h.execute("UPDATE leave_setting SET value = ?, updated_at = ?, updated_by = ? WHERE name = ?", text, now, by, name);
      if (updated == 0) {
        h.execute("INSERT INTO leave_setting (name, value, updated_at, updated_by) VALUES (?, ?, ?, ?)", name, text, now, by);
      }
    }));
    current = null;
  }

  /** The settings in force as the JSON values they are stored as (environment defaults included), by name. */
  public Map<String, JsonNode> values() {
    Current c = current();
    var f = JsonNodeFactory.instance;
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    var keywords = f.arrayNode();
    c.keywords().words().forEach(keywords::add);
    out.put(KEYWORDS, keywords);
    var channels = f.arrayNode();
    new java.util.TreeSet<>(c.channels()).forEach(channels::add);
    out.put(CHANNELS, channels);
    out.put(EXPIRY_MINUTES, f.numberNode(c.expiry().toMinutes()));
    out.put(AUTO_REGISTER, f.booleanNode(c.autoRegister()));
    out.put(DEFAULT_TIME_ZONE, f.textNode(c.defaultZone().getId()));
    out.put(HALF_DAY_WINDOWS, f.objectNode().put("morning", c.recording().morning().toString())
        .put("afternoon", c.recording().afternoon().toString()));
    out.put(HOURS, f.objectNode().put("full", c.recording().fullDayHours()).put("half", c.recording().halfDayHours()));
    out.put(SPAN_WEEKENDS, f.booleanNode(c.recording().spanWeekends()));
    return out;
  }

  /** Convenience for a list setting (keywords, channels). */
  public void setList(String name, List<String> values, String by) {
    var array = JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    set(name, array, by);
  }

  private Current read() {
    return apply(stored());
  }

  private Map<String, JsonNode> stored() {
    Map<String, JsonNode> values = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT name, value FROM leave_setting").map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> {
          try {
            values.put(e.getKey(), JSON.readTree(e.getValue()));
          } catch (java.io.IOException ex) {
            throw new IllegalStateException("leave_setting " + e.getKey() + " is not JSON: " + e.getValue(), ex);
          }
        }));
    return values;
  }

  private Current apply(Map<String, JsonNode> stored) {
    List<String> channels = stored.containsKey(CHANNELS) ? strings(stored.get(CHANNELS), CHANNELS) : defaults.channels();
    channels.stream().filter(c -> !LeaveSettings.isChannelId(c)).findFirst().ifPresent(c -> {
      throw new IllegalArgumentException(CHANNELS + ": '" + c + "' is not a Slack channel id (like C0123ABCD)");
    });
    List<String> keywords = stored.containsKey(KEYWORDS) ? strings(stored.get(KEYWORDS), KEYWORDS) : defaults.keywords();
    if (keywords.isEmpty()) {
      throw new IllegalArgumentException(KEYWORDS + " must hold at least one keyword: without one no announcement is ever read");
    }
    Duration expiry = defaults.expiry();
    if (stored.containsKey(EXPIRY_MINUTES)) {
      JsonNode v = stored.get(EXPIRY_MINUTES);
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1 || v.asInt() > 7 * 24 * 60) {
        throw new IllegalArgumentException(EXPIRY_MINUTES + " must be a whole number of minutes from 1 to 10080, not " + v);
      }
      expiry = Duration.ofMinutes(v.asInt());
    }
    boolean autoRegister = stored.containsKey(AUTO_REGISTER) ? bool(stored.get(AUTO_REGISTER), AUTO_REGISTER) : defaults.autoRegister();
    StepSettings steps = defaults.steps();
    StepSettings.Window morning = steps.morning();
    StepSettings.Window afternoon = steps.afternoon();
    if (stored.containsKey(HALF_DAY_WINDOWS)) {
      JsonNode w = object(stored.get(HALF_DAY_WINDOWS), HALF_DAY_WINDOWS, "{\"morning\": \"11:00-15:00\", \"afternoon\": \"15:00-19:00\"}");
      morning = StepSettings.Window.parse(w.path("morning").asText(morning.toString()));
      afternoon = StepSettings.Window.parse(w.path("afternoon").asText(afternoon.toString()));
    }
    double full = steps.fullDayHours();
    double half = steps.halfDayHours();
    if (stored.containsKey(HOURS)) {
      JsonNode h = object(stored.get(HOURS), HOURS, "{\"full\": 8, \"half\": 4}");
      full = hours(h.path("full"), full);
      half = hours(h.path("half"), half);
      if (half > full) {
        throw new IllegalArgumentException(HOURS + ": a half day (" + half + " h) cannot be longer than a full day (" + full + " h)");
      }
    }
    boolean span = stored.containsKey(SPAN_WEEKENDS) ? bool(stored.get(SPAN_WEEKENDS), SPAN_WEEKENDS) : steps.spanWeekends();
    ZoneId zone = stored.containsKey(DEFAULT_TIME_ZONE) ? LeaveSettings.zone(stored.get(DEFAULT_TIME_ZONE).asText()) : defaults.defaultZone();
    return new Current(Set.copyOf(channels), new TriggerWords(keywords), expiry, autoRegister, zone, defaults.farFuture(),
        new Recording(morning, afternoon, full, half, span));
  }

  private static List<String> strings(JsonNode v, String name) {
    if (!v.isArray()) {
      throw new IllegalArgumentException(name + " must be a list of strings, not " + v);
    }
    List<String> out = new ArrayList<>();
    v.forEach(e -> {
      if (!e.isTextual() || e.asText().isBlank()) {
        throw new IllegalArgumentException(name + " must be a list of non-empty strings, not " + v);
      }
      out.add(e.asText().strip());
    });
    return out;
  }

  private static JsonNode object(JsonNode v, String name, String example) {
    if (!v.isObject()) {
      throw new IllegalArgumentException(name + " must be an object like " + example + ", not " + v);
    }
    return v;
  }

  private static boolean bool(JsonNode v, String name) {
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(name + " must be true or false, not " + v);
    }
    return v.asBoolean();
  }

  private static double hours(JsonNode v, double otherwise) {
    if (v.isMissingNode()) {
      return otherwise;
    }
    if (!v.isNumber() || v.asDouble() <= 0 || v.asDouble() > 24) {
      throw new IllegalArgumentException(HOURS + " must give hours more than 0 and at most 24, not " + v);
    }
    return v.asDouble();
  }
}
