package dev.tandem.leave.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.leave.parse.LlmParser.Failed;
import dev.tandem.leave.parse.LlmParser.Reason;
import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The LLM's answer held to the contract (leave-parsing.md, "Output"): the JSON schema it is asked
 * for, and the checks its answer must pass before Tandem believes it. Strict structured output is
 * a request some servers ignore (Ollama and older models answer free JSON), so nothing here trusts
 * the schema to have been applied.
 *
 * <p>Shape errors (missing or extra fields, wrong types, unknown enum values, dates not
 * {@code YYYY-MM-DD}) are {@link Reason#WRONG_SCHEMA}; well-formed answers the contract forbids are
 * {@link Reason#INVALID_OUTPUT}: dates not ascending or repeated, a date before 1 January of today's
 * year (rule 13 drops those), dates on a message that is not leave, a cancellation that is not
 * leave, and a weekend date the message does not name (rule 7 keeps a weekend day only when named
 * on its own).
 */
final class LlmOutput {
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Set<String> FIELDS = Set.of("is_leave", "is_cancellation", "dates");
  private static final Set<String> DAY_FIELDS = Set.of("date", "type", "category");

  private LlmOutput() {}

  /** The contract's output as a strict JSON schema: every field required, no others allowed. */
  static ObjectNode schema(ObjectMapper json) {
    ObjectNode day = json.createObjectNode().put("type", "object");
    ObjectNode dayProps = day.putObject("properties");
    dayProps.putObject("date").put("type", "string").put("description", "the date, YYYY-MM-DD");
    ObjectNode type = dayProps.putObject("type").put("type", "string");
    for (Type t : Type.values()) {
      type.withArray("enum").add(t.json());
    }
    ObjectNode category = dayProps.putObject("category").put("type", "string");
    for (Category c : Category.values()) {
      category.withArray("enum").add(c.json());
    }
    day.putArray("required").add("date").add("type").add("category");
    day.put("additionalProperties", false);

    ObjectNode root = json.createObjectNode().put("type", "object");
    ObjectNode props = root.putObject("properties");
    props.putObject("is_leave").put("type", "boolean");
    props.putObject("is_cancellation").put("type", "boolean");
    ObjectNode dates = props.putObject("dates").put("type", "array").put("description", "ascending, each date once");
    dates.set("items", day);
    root.putArray("required").add("is_leave").add("is_cancellation").add("dates");
    root.put("additionalProperties", false);
    return root;
  }

  /**
   * The answer {@code content} as a {@link ParsedLeave}, or {@link Failed} saying why it cannot be
   * believed. {@code rules} is the rule parser's answer for the same input, asked only when a weekend
   * date needs it.
   */
  static ParsedLeave read(ObjectMapper json, String content, LocalDate today, String text, List<String> thread,
      Supplier<ParsedLeave> rules) throws Failed {
    JsonNode root;
    try {
      root = json.readTree(content);
    } catch (JsonProcessingException e) {
      // the location only: Jackson's message quotes the content, which may echo the person's message
      throw new Failed(Reason.INVALID_JSON, "the answer is not JSON (at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new Failed(Reason.WRONG_SCHEMA, "the answer is not a JSON object");
    }
    fieldsExactly(root, FIELDS, "the answer");
    boolean leave = bool(root, "is_leave");
    boolean cancellation = bool(root, "is_cancellation");
    if (!root.get("dates").isArray()) {
      throw new Failed(Reason.WRONG_SCHEMA, "dates is not an array");
    }
    List<Day> days = new ArrayList<>();
    int i = 0;
    for (JsonNode d : root.get("dates")) {
      days.add(day(d, "dates[" + i++ + "]"));
    }

    if (!leave && !days.isEmpty()) {
      throw new Failed(Reason.INVALID_OUTPUT, "is_leave is false but " + days.size() + " date(s) are given");
    }
    if (cancellation && !leave) {
      throw new Failed(Reason.INVALID_OUTPUT, "is_cancellation is true but is_leave is false");
    }
    LocalDate firstAllowed = LocalDate.of(today.getYear(), 1, 1);
    for (int k = 0; k < days.size(); k++) {
      LocalDate date = days.get(k).date();
      if (k > 0 && !date.isAfter(days.get(k - 1).date())) {
        throw new Failed(Reason.INVALID_OUTPUT, date.equals(days.get(k - 1).date()) ? "date " + date + " is given twice"
            : "dates are not ascending: " + days.get(k - 1).date() + " before " + date);
      }
      if (date.isBefore(firstAllowed)) {
        throw new Failed(Reason.INVALID_OUTPUT, "date " + date + " is before " + firstAllowed + " (rule 13 drops it)");
      }
      if (LeaveDates.isWeekend(date) && !named(date, today, text, thread, rules)) {
        throw new Failed(Reason.INVALID_OUTPUT, "weekend date " + date + " is not named in the message");
      }
    }
    return new ParsedLeave(leave, cancellation, days);
  }

  /**
   * Whether the message names a weekend {@code date} on its own, so rule 7 keeps it. Either the rule
   * parser yields that date too, or the message or its thread names it: its weekday ("sat",
   * "Sunday", "weekend"), the relative word that means it ("today" on a Saturday), its ISO form, its
   * day as an ordinal ("the 14th"), or its day with its month ("14 March", "Mar 14", "14/03").
   * Deliberately lenient: it exists to catch a range spread over a weekend, whose inner days are
   * never written out, not to second-guess every weekend date.
   */
  static boolean named(LocalDate date, LocalDate today, String text, List<String> thread, Supplier<ParsedLeave> rules) {
    String words = (String.join("\n", thread) + "\n" + text).toLowerCase(Locale.ROOT);
    int day = date.getDayOfMonth();
    String full = date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
    String month = date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
    String mon = month.substring(0, 3);
    String dd = "0?" + day;
    List<String> shapes = List.of(
        "\\b(" + full + "s?|" + full.substring(0, 3) + "|weekend)\\b",
        "\\b" + dd + "(st|nd|rd|th)\\b",
        "\\b" + dd + "\\s*(of\\s+)?(" + month + "|" + mon + ")\\b",
        "\\b(" + month + "|" + mon + ")\\.?\\s*" + dd + "\\b",
        "\\b" + dd + "[/.]0?" + date.getMonthValue() + "\\b",
        Pattern.quote(date.toString()));
    for (String shape : shapes) {
      if (Pattern.compile(shape).matcher(words).find()) {
        return true;
      }
    }
    if (relative(words, "today") && date.equals(today) || relative(words, "tonight") && date.equals(today)
        || relative(words, "tomorrow") && date.equals(today.plusDays(1))
        || relative(words, "day after tomorrow") && date.equals(today.plusDays(2))
        || relative(words, "yesterday") && date.equals(today.minusDays(1))) {
      return true;
    }
    return rules.get().dates().stream().anyMatch(d -> d.date().equals(date));
  }

  private static boolean relative(String words, String word) {
    return Pattern.compile("\\b" + word + "\\b").matcher(words).find();
  }

  private static Day day(JsonNode d, String where) throws Failed {
    if (!d.isObject()) {
      throw new Failed(Reason.WRONG_SCHEMA, where + " is not an object");
    }
    fieldsExactly(d, DAY_FIELDS, where);
    String date = string(d, "date", where);
    if (!ISO_DATE.matcher(date).matches()) {
      throw new Failed(Reason.WRONG_SCHEMA, where + ".date is not YYYY-MM-DD: '" + shorten(date) + "'");
    }
    LocalDate parsed;
    try {
      parsed = LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw new Failed(Reason.WRONG_SCHEMA, where + ".date is no calendar date: '" + date + "'");
    }
    return new Day(parsed, enumValue(Type.class, string(d, "type", where), where + ".type"),
        enumValue(Category.class, string(d, "category", where), where + ".category"));
  }

  private static void fieldsExactly(JsonNode node, Set<String> expected, String where) throws Failed {
    for (String name : expected) {
      if (!node.has(name)) {
        throw new Failed(Reason.WRONG_SCHEMA, where + " lacks " + name);
      }
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!expected.contains(name)) {
        throw new Failed(Reason.WRONG_SCHEMA, where + " has an unexpected field '" + shorten(name) + "'");
      }
    }
  }

  private static boolean bool(JsonNode node, String field) throws Failed {
    if (!node.get(field).isBoolean()) {
      throw new Failed(Reason.WRONG_SCHEMA, field + " is not true or false");
    }
    return node.get(field).booleanValue();
  }

  private static String string(JsonNode node, String field, String where) throws Failed {
    if (!node.get(field).isTextual()) {
      throw new Failed(Reason.WRONG_SCHEMA, where + "." + field + " is not a string");
    }
    return node.get(field).textValue();
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String where) throws Failed {
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
        return e;
      }
    }
    throw new Failed(Reason.WRONG_SCHEMA, where + " is not one of the contract's values: '" + shorten(value) + "'");
  }

  /** Model output in a log line, bounded: a misbehaving model could echo the whole message into a field. */
  private static String shorten(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "…";
  }
}
