package dev.tandem.core.log;

import dev.tandem.core.config.ConfigReader;

/** Log format and level. Applied before the first logger exists (see {@link #applyEarly}). */
public record LogSettings(Format format, Level level) {
  public enum Format { TEXT, JSON }

  public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

  public static LogSettings read(ConfigReader config) {
    return new LogSettings(
        config.choice("TANDEM_LOG_FORMAT", Format.TEXT, Format.class, "Log line format: text (readable) or json (one JSON object per line)."),
        config.choice("TANDEM_LOG_LEVEL", Level.INFO, Level.class, "Least severe level logged."));
  }

  /**
   * Copies the format and level into the system properties {@code logback.xml} reads. Must run
   * before the first logger is created; invalid values are left to the validation that follows.
   */
  public static void applyEarly(ConfigReader config) {
    config.peek("TANDEM_LOG_FORMAT").map(v -> v.strip().toLowerCase(java.util.Locale.ROOT))
        .filter(v -> v.equals("text") || v.equals("json"))
        .ifPresent(v -> System.setProperty("tandem.log.format", v));
    config.peek("TANDEM_LOG_LEVEL").map(v -> v.strip().toUpperCase(java.util.Locale.ROOT))
        .filter(v -> v.matches("TRACE|DEBUG|INFO|WARN|ERROR"))
        .ifPresent(v -> System.setProperty("tandem.log.level", v));
  }
}
