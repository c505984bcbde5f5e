package dev.tandem.leave.steps;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.config.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Optional;

/**
 * Where confirmed leave is recorded: a shared Google calendar and a Harvest account, each
 * optional (a step that is not configured is skipped, and the confirmation says so).
 *
 * @param morning the morning half day's window in the person's time zone (11:00–15:00 by default, as the reference bot)
 * @param afternoon the afternoon window (15:00–19:00)
 * @param spanWeekends whether a run of full days continues over a weekend (Friday and Monday in one event)
 */
public record StepSettings(Optional<Calendar> calendar, Optional<Harvest> harvest, Window morning, Window afternoon, double fullDayHours,
    double halfDayHours, boolean spanWeekends) {

  /** A service account's key (JSON) and the shared calendar's id; {@code rootUrl} is Google's API root (a fake in tests). */
  public record Calendar(Secret serviceAccountKey, String calendarId, String rootUrl) {}

  /** A Harvest account: API base, account id, an administrator's token, the leave project and its two tasks. */
  public record Harvest(URI baseUrl, String accountId, Secret token, long projectId, long vacationTaskId, long sickTaskId) {}

  /** A time window within a day. */
  public record Window(LocalTime start, LocalTime end) {
    public static Window parse(String raw) {
      String[] parts = raw.strip().split("\\s*-\\s*");
      try {
        Window w = new Window(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
        if (parts.length != 2 || !w.end.isAfter(w.start)) {
          throw new IllegalArgumentException();
        }
        return w;
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("'" + raw + "' is not a window like 11:00-15:00 (start before end)");
      }
    }

    @Override
    public String toString() {
      return start + "-" + end;
    }
  }

  public static StepSettings read(ConfigReader config) {
    Optional<Calendar> calendar = calendar(config);
    Optional<Harvest> harvest = harvest(config);
    Window morning = config.parse("TANDEM_LEAVE_MORNING", "11:00-15:00", "A morning half day's calendar event, in the person's time zone.",
        false, Window::parse).orElse(Window.parse("11:00-15:00"));
    Window afternoon = config.parse("TANDEM_LEAVE_AFTERNOON", "15:00-19:00", "An afternoon half day's calendar event, in the person's time zone.",
        false, Window::parse).orElse(Window.parse("15:00-19:00"));
    double full = config.parse("TANDEM_LEAVE_FULL_DAY_HOURS", "8", "Hours of a full day of leave in Harvest.", false, StepSettings::hours)
        .orElse(8.0);
    double half = config.parse("TANDEM_LEAVE_HALF_DAY_HOURS", "4", "Hours of a half day of leave in Harvest.", false, StepSettings::hours)
        .orElse(4.0);
    boolean span = config.bool("TANDEM_LEAVE_SPAN_WEEKENDS", false,
        "Whether a calendar event of consecutive full days continues over a weekend (Friday to Monday as one event).");
    return new StepSettings(calendar, harvest, morning, afternoon, full, half, span);
  }

  private static Optional<Calendar> calendar(ConfigReader config) {
    Optional<Secret> key = config.secret("TANDEM_LEAVE_GOOGLE_KEY",
        "Google service-account key (the JSON, or the JSON in base64) for the leave calendar. Or TANDEM_LEAVE_GOOGLE_KEY_FILE.");
    Optional<Path> file = config.optionalString("TANDEM_LEAVE_GOOGLE_KEY_FILE",
        "Path of the Google service-account key file (JSON) for the leave calendar.").map(Path::of);
    Optional<String> calendarId = config.optionalString("TANDEM_LEAVE_GOOGLE_CALENDAR_ID",
        "The shared leave calendar's id (Google Calendar settings, 'Integrate calendar'); share it with the service account's email"
            + " with 'Make changes to events'.");
    String root = config.string("TANDEM_LEAVE_GOOGLE_API_URL", "https://www.googleapis.com/",
        "Root URL of Google's APIs (a sandbox in tests and in demo).");
    if (key.isEmpty() && file.isEmpty() && calendarId.isEmpty()) {
      return Optional.empty();
    }
    if (calendarId.isEmpty()) {
      config.problem("TANDEM_LEAVE_GOOGLE_CALENDAR_ID", "is needed with a Google key: the id of the shared leave calendar");
      return Optional.empty();
    }
    Optional<Secret> loaded = key.map(StepSettings::decoded).or(() -> file.flatMap(f -> readKey(config, f)));
    if (loaded.isEmpty()) {
      if (key.isEmpty() && file.isEmpty()) {
        config.problem("TANDEM_LEAVE_GOOGLE_KEY", "is needed with TANDEM_LEAVE_GOOGLE_CALENDAR_ID (or TANDEM_LEAVE_GOOGLE_KEY_FILE)");
      }
      return Optional.empty();
    }
    return Optional.of(new Calendar(loaded.get(), calendarId.get(), root.endsWith("/") ? root : root + "/"));
  }

  private static Optional<Secret> readKey(ConfigReader config, Path file) {
    try {
      return Optional.of(Secret.of(Files.readString(file)));
    } catch (java.io.IOException e) {
      config.problem("TANDEM_LEAVE_GOOGLE_KEY_FILE", "cannot read " + file + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The key as JSON: given as JSON, or as base64 of it (as the reference bot took it). */
  private static Secret decoded(Secret key) {
    String raw = key.reveal().strip();
    if (raw.startsWith("{")) {
      return key;
    }
    try {
      return Secret.of(new String(java.util.Base64.getDecoder().decode(raw), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return key; // the client reports a key it cannot read, by name, at the health check
    }
  }

  private static Optional<Harvest> harvest(ConfigReader config) {
    Optional<String> account = config.optionalString("TANDEM_LEAVE_HARVEST_ACCOUNT_ID", "Harvest account id (Harvest → Developers).");
    Optional<Secret> token = config.secret("TANDEM_LEAVE_HARVEST_TOKEN",
        "A Harvest personal access token of an administrator (needed to record time for other people).");
    String url = config.string("TANDEM_LEAVE_HARVEST_URL", "https://api.harvestapp.com/v2", "Harvest API v2 base URL (a sandbox in tests and demo).");
    Optional<Long> project = config.parse("TANDEM_LEAVE_HARVEST_PROJECT_ID", null, "The Harvest project leave is recorded on.", false,
        StepSettings::id);
    Optional<Long> vacation = config.parse("TANDEM_LEAVE_HARVEST_VACATION_TASK_ID", null, "The project's task for vacation.", false,
        StepSettings::id);
    Optional<Long> sick = config.parse("TANDEM_LEAVE_HARVEST_SICK_TASK_ID", null, "The project's task for sick leave.", false, StepSettings::id);
    if (account.isEmpty() && token.isEmpty()) {
      return Optional.empty();
    }
    boolean complete = true;
    for (var required : java.util.Map.of("TANDEM_LEAVE_HARVEST_ACCOUNT_ID", account.isPresent(), "TANDEM_LEAVE_HARVEST_TOKEN",
        token.isPresent(), "TANDEM_LEAVE_HARVEST_PROJECT_ID", project.isPresent(), "TANDEM_LEAVE_HARVEST_VACATION_TASK_ID",
        vacation.isPresent(), "TANDEM_LEAVE_HARVEST_SICK_TASK_ID", sick.isPresent()).entrySet()) {
      if (!required.getValue()) {
        config.problem(required.getKey(), "is needed when Harvest is configured (account id, token, project and both task ids)");
        complete = false;
      }
    }
    if (!complete) {
      return Optional.empty();
    }
    return Optional.of(new Harvest(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), account.get(), token.get(),
        project.get(), vacation.get(), sick.get()));
  }

  private static long id(String raw) {
    try {
      long v = Long.parseLong(raw.strip());
      if (v <= 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + raw + "' is not a Harvest id (a positive number)");
    }
  }

  private static double hours(String raw) {
    try {
      double v = Double.parseDouble(raw.strip());
      if (!(v > 0 && v <= 24)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + raw + "' is not a number of hours from 0 to 24");
    }
  }
}
