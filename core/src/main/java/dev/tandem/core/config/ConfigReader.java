package dev.tandem.core.config;

import dev.tandem.core.log.Redactor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed settings from the environment (which wins) and an optional {@code .env} file.
 *
 * <p>Each read records the setting (name, default, meaning, whether secret) for {@code config
 * check} and the documentation, and every invalid value becomes a {@link ConfigProblem} instead
 * of an exception, so that {@link #throwIfProblems()} reports all of them at once. Settings
 * records read themselves once at start-up and are immutable afterwards.
 */
public final class ConfigReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** Where a value came from. */
  public enum Source { ENVIRONMENT, DOTENV, DEFAULT }

  /** One setting as read: for {@code config check} and the configuration table. */
  public record SettingInfo(
      String name, String defaultText, String description, boolean secret, Optional<String> shownValue, Source source) {}

  private final Map<String, String> env;
  private final Map<String, String> dotenv;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Map<String, SettingInfo> read = new LinkedHashMap<>();

  public ConfigReader(Map<String, String> env, Map<String, String> dotenv) {
    this.env = Map.copyOf(env);
    this.dotenv = Map.copyOf(dotenv);
  }

  /** The process environment plus {@code .env} in {@code workingDir}; problems in the file are kept. */
  public static ConfigReader load(Map<String, String> env, Path workingDir) {
    List<ConfigProblem> fileProblems = new ArrayList<>();
    Map<String, String> file = DotEnv.read(workingDir.resolve(".env"), fileProblems);
    ConfigReader reader = new ConfigReader(env, file);
    reader.problems.addAll(fileProblems);
    return reader;
  }

  /** A raw value without recording a setting: for the few reads needed before logging starts. */
  public Optional<String> peek(String name) {
    return Optional.ofNullable(env.getOrDefault(name, dotenv.get(name))).filter(v -> !v.isBlank());
  }

  public String string(String name, String defaultValue, String description) {
    return parse(name, defaultValue, description, false, Function.identity()).orElse(defaultValue);
  }

  public Optional<String> optionalString(String name, String description) {
    return parse(name, null, description, false, Function.identity());
  }

  public Optional<Secret> secret(String name, String description) {
    return parse(name, null, description, true, Secret::of);
  }

  public int integer(String name, int defaultValue, int min, int max, String description) {
    return parse(name, String.valueOf(defaultValue), description, false, raw -> {
          int value;
          try {
            value = Integer.parseInt(raw.strip());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: '" + raw + "' (expected " + min + ".." + max + ")");
          }
          if (value < min || value > max) {
            throw new IllegalArgumentException("out of range: " + value + " (expected " + min + ".." + max + ")");
          }
          return value;
        })
        .orElse(defaultValue);
  }

  public boolean bool(String name, boolean defaultValue, String description) {
    return parse(name, String.valueOf(defaultValue), description, false, raw -> switch (raw.strip().toLowerCase(Locale.ROOT)) {
          case "true", "yes", "on", "1" -> true;
          case "false", "no", "off", "0" -> false;
          default -> throw new IllegalArgumentException("not a boolean: '" + raw + "' (expected true or false)");
        })
        .orElse(defaultValue);
  }

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 {@code PT30S}. */
  public Duration duration(String name, Duration defaultValue, Duration min, String description) {
    return parse(name, format(defaultValue), description, false, raw -> {
          Duration d = parseDuration(raw);
          if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException("too short: '" + raw + "' (expected at least " + format(min) + ")");
          }
          return d;
        })
        .orElse(defaultValue);
  }

  public <E extends Enum<E>> E choice(String name, E defaultValue, Class<E> type, String description) {
    Set<String> allowed = new java.util.TreeSet<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    return parse(name, defaultValue.name().toLowerCase(Locale.ROOT), description, false, raw -> {
          String v = raw.strip().toLowerCase(Locale.ROOT);
          if (!allowed.contains(v)) {
            throw new IllegalArgumentException("unknown value '" + raw + "' (expected one of " + String.join(", ", allowed) + ")");
          }
          return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        })
        .orElse(defaultValue);
  }

  public Path path(String name, Path defaultValue, String description) {
    return parse(name, defaultValue.toString(), description, false, raw -> Path.of(raw.strip())).orElse(defaultValue);
  }

  /**
   * A setting parsed by {@code parser}, which throws {@link IllegalArgumentException} with a message
   * saying what a valid value looks like. Empty when unset and without default, or invalid.
   */
  public <T> Optional<T> parse(
      String name, String defaultText, String description, boolean secret, Function<String, T> parser) {
    String fromEnv = env.get(name);
    String fromFile = dotenv.get(name);
    Source source = present(fromEnv) ? Source.ENVIRONMENT : present(fromFile) ? Source.DOTENV : Source.DEFAULT;
    String raw = switch (source) {
      case ENVIRONMENT -> fromEnv;
      case DOTENV -> fromFile;
      case DEFAULT -> null;
    };
    if (secret && raw != null) {
      Redactor.register(raw);
    }
    String shown = source == Source.DEFAULT ? defaultText : secret ? Redactor.MASK : Redactor.redact(raw);
    read.put(name, new SettingInfo(name, defaultText == null ? "" : defaultText, description, secret,
        Optional.ofNullable(shown), source));
    if (source == Source.DEFAULT) {
      return defaultText == null ? Optional.empty() : Optional.of(parser.apply(defaultText));
    }
    try {
      return Optional.of(parser.apply(raw));
    } catch (IllegalArgumentException e) {
      problems.add(new ConfigProblem(name, secret ? Redactor.redact(e.getMessage()) : e.getMessage()));
      return Optional.empty();
    }
  }

  /** Records a problem found by a cross-setting check. */
  public void problem(String name, String message) {
    problems.add(new ConfigProblem(name, message));
  }

  public List<ConfigProblem> problems() {
    return Collections.unmodifiableList(problems);
  }

  public List<SettingInfo> settings() {
    return List.copyOf(read.values());
  }

  public void throwIfProblems() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  static Duration parseDuration(String raw) {
    String s = raw.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: '" + raw + "' (expected for example 500ms, 30s, 5m, 2h or 1d)");
      }
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: '" + raw + "' (expected for example 500ms, 30s, 5m, 2h or 1d)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  static String format(Duration d) {
    if (d.toMillis() % 86_400_000 == 0 && !d.isZero()) {
      return d.toDays() + "d";
    }
    if (d.toMillis() % 3_600_000 == 0 && !d.isZero()) {
      return d.toHours() + "h";
    }
    if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }
}
