package dev.tandem.leave.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.leave.intake.LeaveRequests.Kind;
import dev.tandem.leave.intake.LeaveRequests.Request;
import dev.tandem.leave.parse.LeaveDates;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.records.LeaveRecords;
import dev.tandem.leave.records.LeaveRecords.Record;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The bot's messages in leave threads, as Block Kit: the confirmation with its buttons, the
 * question when no date was found, and what a request became (confirmed, cancelled, expired,
 * superseded, withdrawn by an edit or a deletion). Each has a plain {@code text} for notifications
 * and screen readers.
 */
public final class RequestMessages {
  public static final String CONFIRM = "leave_confirm";
  public static final String CANCEL = "leave_cancel";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

  private RequestMessages() {}

  /** A message: the notification text and the blocks. */
  public record Message(String text, String blocks) {}

  /** What the confirmation must say besides the dates; {@code expiresIn} is the time left to answer. */
  public record Context(Map<LocalDate, Record> recorded, Duration expiresIn, Duration farFuture, LocalDate today) {}

  public static Message pending(Request r, Context c) {
    ArrayNode blocks = JSON.createArrayNode();
    boolean cancel = r.kind() == Kind.CANCEL;
    header(blocks, cancel ? "🗑️ Cancellation request" : "📅 Leave request");
    section(blocks, "<@" + r.userId() + ">, " + (cancel ? "confirm to cancel this leave:" : "is this right? " + summary(r.dates())));
    section(blocks, r.dates().stream().map(d -> "• " + line(d) + conflict(d, c.recorded().get(d.date()), cancel)).collect(Collectors.joining("\n")));
    if (!r.released().isEmpty()) {
      section(blocks, "No longer leave, cancelled when you confirm:\n"
          + r.released().stream().map(d -> "• ~" + DAY.format(d) + "~").collect(Collectors.joining("\n")));
    }
    List<String> warnings = warnings(r, c);
    if (!warnings.isEmpty()) {
      context(blocks, warnings.stream().map(w -> "⚠️ " + w).collect(Collectors.joining("\n")));
    }
    context(blocks, "Only <@" + r.userId() + "> can answer. This request expires in " + minutes(c.expiresIn()) + " (<!date^"
        + r.expiresAt().getEpochSecond() + "^{time}|" + r.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + ">)"
        + " if it is not answered." + source(r.source()));
    ArrayNode elements = blocks.addObject().put("type", "actions").put("block_id", "leave_request").putArray("elements");
    button(elements, CONFIRM, cancel ? "Confirm cancellation" : "Confirm", "primary", r.id());
    button(elements, CANCEL, cancel ? "Keep my leave" : "Cancel", "danger", r.id());
    String text = (cancel ? "Cancel leave: " : "Leave request: ") + r.dates().stream().map(RequestMessages::line).collect(Collectors.joining("; "))
        + (r.released().isEmpty() ? "" : "; no longer leave: " + r.released().stream().map(DAY::format).collect(Collectors.joining(", ")))
        + ". Confirm or cancel.";
    return new Message(text, blocks.toString());
  }

  /** No date found (a request without dates): ask for one, with examples (and, for a cancellation, what could be cancelled). */
  public static Message askForDates(Request r, List<Record> upcoming) {
    ArrayNode blocks = JSON.createArrayNode();
    String text;
    if (r.kind() == Kind.CANCEL) {
      text = "<@" + r.userId() + ">, which leave should I cancel? Reply in this thread with the dates, for example"
          + " “cancel the 16th” or “cancel Monday and Tuesday”.";
    } else {
      text = "<@" + r.userId() + ">, I could not find a date in your message. Which days are you off? Reply in this thread, for example:"
          + " “tomorrow”, “16th to 18th March”, “next Monday and Tuesday”, “Friday afternoon”.";
    }
    section(blocks, text);
    if (!r.dropped().isEmpty()) {
      context(blocks, "⚠️ " + dropped(r.dropped()));
    }
    if (!upcoming.isEmpty()) {
      context(blocks, "Your leave from today: " + upcoming.stream().map(x -> line(x.day())).collect(Collectors.joining("; ")));
    }
    return new Message(plain(text), blocks.toString());
  }

  /** A confirmed request, with where its Calendar and Harvest steps stand. */
  public static Message confirmed(Request r, int changed, List<LeaveRecords.Steps> steps) {
    boolean cancel = r.kind() == Kind.CANCEL;
    String title = cancel ? "🗑️ Leave cancelled by <@" + r.userId() + ">" : "✅ Leave confirmed by <@" + r.userId() + ">";
    String note = cancel ? (changed == 0 ? "Nothing was recorded on these days, so nothing changed." : changed + " day(s) cancelled.")
        : (changed == 0 ? "All of these days were already recorded; nothing new was added." : changed + " day(s) recorded.")
            + (r.released().isEmpty() ? "" : " No longer leave, cancelled: "
                + r.released().stream().map(DAY::format).collect(Collectors.joining(", ")) + ".");
    List<String> lines = new ArrayList<>(List.of(note));
    if (!steps.isEmpty()) {
      lines.add(step("Google Calendar", steps.stream().map(s -> new String[] {s.calendarStatus(), s.calendarError()}).toList(), cancel));
      lines.add(step("Harvest", steps.stream().map(s -> new String[] {s.harvestStatus(), s.harvestError()}).toList(), cancel));
      List<String> failed = steps.stream().filter(s -> "failed".equals(s.calendarStatus()) || "failed".equals(s.harvestStatus()))
          .map(LeaveRecords.Steps::recordId).toList();
      if (!failed.isEmpty()) {
        lines.add("An admin can retry what failed: `tandem leave retry " + String.join(" ", failed) + "`.");
      }
    }
    return closed(title, r.dates(), String.join("\n", lines));
  }

  /** One line per step: still going, failed (why), deleted by hand, skipped (why), done; mixed outcomes are each named. */
  private static String step(String name, List<String[]> states, boolean cancel) {
    java.util.function.Predicate<String> any = status -> states.stream().anyMatch(s -> status.equals(s[0]));
    java.util.function.Function<String, String> why = status -> states.stream().filter(s -> status.equals(s[0]) && s[1] != null)
        .map(s -> s[1]).findFirst().orElse("");
    if (any.test("pending")) {
      return "⏳ " + name + ": " + (cancel ? "removing…" : "recording…");
    }
    List<String> parts = new ArrayList<>();
    if (any.test("failed")) {
      parts.add("⚠️ " + name + " failed: " + why.apply("failed"));
    }
    if (any.test("deleted_by_hand")) {
      parts.add("⚠️ " + name + ": " + why.apply("deleted_by_hand"));
    }
    if (any.test("skipped")) {
      parts.add("➖ " + name + " skipped: " + why.apply("skipped"));
    }
    if (any.test("done") || (cancel && any.test("removed"))) {
      parts.add("✔️ " + name + ": " + (cancel ? "removed" : "done"));
    }
    return parts.isEmpty() ? "✔️ " + name + ": nothing to do" : String.join("\n", parts);
  }

  /** A request that ended without being confirmed, by the reason in its note. */
  public static Message cancelled(Request r) {
    String note = r.statusNote().orElse("");
    if (note.equals(LeaveRequests.NOTE_POSTER)) {
      return r.kind() == Kind.CANCEL ? closed("↩️ Kept: <@" + r.userId() + "> chose not to cancel", r.dates(), "Nothing was cancelled.")
          : closed("❌ Cancelled by <@" + r.userId() + ">", r.dates(), "Nothing was recorded from this request.");
    }
    String why = switch (note) {
      case LeaveRequests.NOTE_EDITED -> "The announcement was edited and no longer names leave.";
      case LeaveRequests.NOTE_DELETED -> "The announcement was deleted.";
      default -> "This request was withdrawn.";
    };
    return closed("🚫 Request withdrawn", r.dates(), why + " Nothing was " + (r.kind() == Kind.CANCEL ? "cancelled." : "recorded."));
  }

  /** A request nobody answered in time, or one a newer request replaced. */
  public static Message expired(Request r) {
    String nothing = r.kind() == Kind.CANCEL ? "nothing was cancelled" : "nothing was recorded";
    if (r.statusNote().orElse("").equals(LeaveRequests.NOTE_SUPERSEDED)) {
      return closed("↪️ Replaced by a newer request below", r.dates(), "From this one " + nothing + ".");
    }
    return closed("⌛ This request expired", r.dates(), "It was not answered in time, so " + nothing + ". Post again if it still holds.");
  }

  /** Told in the thread of someone the bot does not know (auto-registration off, or the person is inactive). */
  public static Message notRegistered(String userId, boolean inactive) {
    String text = "<@" + userId + ">, I can't record leave for you: "
        + (inactive ? "your profile in the Leave app is inactive." : "you are not registered with the Leave app.")
        + " Please ask a Leave app admin to add you, then post again.";
    ArrayNode blocks = JSON.createArrayNode();
    section(blocks, text);
    return new Message(plain(text), blocks.toString());
  }

  /** Which parser read the message; a failed LLM is said, not hidden. */
  private static String source(String source) {
    if (source.equals("llm")) {
      return " Read by the language model.";
    }
    if (source.startsWith("rules:")) {
      return " The language model could not be used (" + source.substring(6).replace('_', ' ') + "), so the built-in rules read this.";
    }
    return "";
  }

  /** "Mon 16 Mar 2026, full day, vacation". */
  static String line(Day d) {
    String type = switch (d.type()) {
      case FULL -> "full day";
      case HALF_AM -> "morning (first half)";
      case HALF_PM -> "afternoon (second half)";
    };
    return DAY.format(d.date()) + ", " + type + ", " + d.category().json();
  }

  private static String summary(List<Day> days) {
    double total = days.stream().mapToDouble(d -> d.type() == dev.tandem.leave.parse.ParsedLeave.Type.FULL ? 1 : 0.5).sum();
    String amount = total == Math.rint(total) ? String.valueOf((long) total) : String.valueOf(total);
    return amount + (total == 1 ? " day" : " days") + " of leave:";
  }

  private static String conflict(Day d, Record existing, boolean cancel) {
    if (cancel) {
      if (existing == null) {
        return " _(nothing is recorded on this day)_";
      }
      return existing.day().equals(d) ? "" : " _(recorded as " + line(existing.day()).substring(DAY.format(d.date()).length() + 2)
          + ": the whole day is cancelled)_";
    }
    if (existing == null) {
      return "";
    }
    if (existing.day().equals(d)) {
      return " _(already recorded: nothing new)_";
    }
    return " ⚠️ *conflict:* already recorded as " + line(existing.day()).substring(DAY.format(d.date()).length() + 2)
        + "; confirming replaces it";
  }

  private static List<String> warnings(Request r, Context c) {
    List<String> warnings = new ArrayList<>();
    if (!r.dropped().isEmpty()) {
      warnings.add(dropped(r.dropped()));
    }
    for (Day d : r.dates()) {
      if (LeaveDates.isWeekend(d.date())) {
        warnings.add(DAY.format(d.date()) + " is a weekend day; it is included because you named it.");
      }
      if (d.date().isAfter(c.today().plusDays(c.farFuture().toDays()))) {
        warnings.add(DAY.format(d.date()) + " is more than " + c.farFuture().toDays() + " days away; check the year.");
      }
    }
    return warnings;
  }

  private static String dropped(List<LocalDate> dropped) {
    return dropped.stream().map(DAY::format).collect(Collectors.joining(", ")) + (dropped.size() == 1 ? " is" : " are")
        + " before 1 January of this year and " + (dropped.size() == 1 ? "was" : "were") + " left out.";
  }

  private static Message closed(String title, List<Day> days, String note) {
    ArrayNode blocks = JSON.createArrayNode();
    section(blocks, "*" + title + "*");
    if (!days.isEmpty()) {
      section(blocks, days.stream().map(d -> "• " + line(d)).collect(Collectors.joining("\n")));
    }
    context(blocks, note);
    return new Message(plain(title) + ". " + note, blocks.toString());
  }

  /** Whole minutes, rounded up ("60 minutes" for 59 min 59.9 s). */
  private static String minutes(Duration d) {
    long m = Math.max(1, (d.toMillis() + 59_999) / 60_000);
    return m + (m == 1 ? " minute" : " minutes");
  }

  /** Text for notifications: Slack shows mentions there as names, so only the emphasis marks go. */
  private static String plain(String mrkdwn) {
    return mrkdwn.replace("*", "");
  }

  private static void header(ArrayNode blocks, String text) {
    blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", text).put("emoji", true);
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", cut(mrkdwn, 3000));
  }

  private static void context(ArrayNode blocks, String mrkdwn) {
    ObjectNode ctx = blocks.addObject().put("type", "context");
    ctx.putArray("elements").addObject().put("type", "mrkdwn").put("text", cut(mrkdwn, 3000));
  }

  private static void button(ArrayNode elements, String actionId, String label, String style, String value) {
    ObjectNode b = elements.addObject().put("type", "button").put("action_id", actionId).put("style", style).put("value", value);
    b.putObject("text").put("type", "plain_text").put("text", label);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
