package dev.tandem.leave;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.leave.parse.LlmSettings;
import dev.tandem.leave.steps.StepSettings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Leave app's settings from the environment. Those an admin changes at run time (keywords,
 * channels, expiry, auto-registration, default time zone) are only defaults here: a value stored
 * in the database ({@link LeaveConfig}) wins.
 *
 * @param farFuture dates further ahead than this get a warning in the confirmation
 * @param llm the LLM parser's settings, when one is configured
 * @param steps where confirmed leave is recorded (Google Calendar, Harvest)
 */
public record LeaveSettings(List<String> channels, List<String> keywords, Duration expiry, boolean autoRegister, ZoneId defaultZone,
    Duration farFuture, Optional<LlmSettings> llm, StepSettings steps, dev.tandem.leave.web.AdminSettings admin) {
  /**
   * A broad prefilter covering the contract's vocabulary: the rule parser is the real gate. Not
   * "wfh": a post about working from home is never leave, and one that mixes it with leave has
   * another word here.
   */
  public static final List<String> DEFAULT_KEYWORDS = List.of("leave", "off", "out", "ooo", "pto", "sick", "ill", "unwell",
      "vacation", "vacay", "holiday", "holidays", "half day", "half-day", "half a day", "first half", "second half", "away",
      "annual", "personal day", "fever", "flu", "cold", "migraine", "doctor", "dentist", "hospital", "medical", "surgery",
      "appointment", "cancel", "cancelling", "canceling", "cancelled", "canceled", "revoke", "not taking", "won't be taking",
      "changed plans", "plans changed", "scratch that", "coming to office", "coming to the office", "taking", "break", "trip",
      "unavailable", "absent", "won't be in", "not in", "bereavement", "funeral", "wedding", "maternity", "paternity", "appt", "dental",
      "checkup", "check-up", "covid", "injury", "injured", "stomach", "food poisoning", "ooo", "out of office");

  public static LeaveSettings defaults() {
    return new LeaveSettings(List.of(), DEFAULT_KEYWORDS, Duration.ofMinutes(60), true, ZoneId.of("UTC"), Duration.ofDays(180),
        Optional.empty(), new StepSettings(Optional.empty(), Optional.empty(), StepSettings.Window.parse("11:00-15:00"),
            StepSettings.Window.parse("15:00-19:00"), 8, 4, false), dev.tandem.leave.web.AdminSettings.defaults());
  }

  public static LeaveSettings read(ConfigReader config) {
    LeaveSettings d = defaults();
    List<String> channels = list(config.string("TANDEM_LEAVE_CHANNELS", "",
        "Leave channels: Slack channel ids (C…), comma-separated, in any workspace where the Leave app is installed."
            + " Admins change them later in the web admin; the stored value wins."));
    for (String c : channels) {
      if (!isChannelId(c)) {
        config.problem("TANDEM_LEAVE_CHANNELS", "'" + c + "' is not a Slack channel id (it looks like C0123ABCD: open the channel's"
            + " details in Slack, the id is at the bottom)");
      }
    }
    List<String> keywords = list(config.string("TANDEM_LEAVE_KEYWORDS", String.join(",", d.keywords()),
        "Trigger keywords (comma-separated, matched as whole words, case-insensitive): only messages with one are parsed."));
    if (keywords.isEmpty()) {
      config.problem("TANDEM_LEAVE_KEYWORDS", "at least one keyword is needed (unset it for the default list): without one no announcement is read");
    }
    Duration expiry = config.duration("TANDEM_LEAVE_EXPIRY", d.expiry(), Duration.ofSeconds(1),
        "How long a confirmation waits for the poster's answer before it expires.");
    boolean autoRegister = config.bool("TANDEM_LEAVE_AUTO_REGISTER", d.autoRegister(),
        "Register unknown posters from their Slack profile; when false they are told to ask an admin.");
    ZoneId zone = config.parse("TANDEM_LEAVE_DEFAULT_TZ", d.defaultZone().getId(),
        "Time zone of people whose Slack profile has none (IANA name).", false, LeaveSettings::zone).orElse(d.defaultZone());
    return new LeaveSettings(channels, keywords, expiry, autoRegister, zone, d.farFuture(), LlmSettings.read(config),
        StepSettings.read(config), dev.tandem.leave.web.AdminSettings.read(config));
  }

  /** A Slack channel id as people copy it from a channel's details (C… public, G… older private ones). */
  public static boolean isChannelId(String s) {
    return s.matches("[CG][A-Z0-9]{2,30}");
  }

  static ZoneId zone(String raw) {
    try {
      return ZoneId.of(raw.strip());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("'" + raw + "' is not an IANA time zone (like Europe/Berlin or Asia/Kolkata)", e);
    }
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
