package dev.tandem.leave.parse;

import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in, offline parser of leave messages (leave-parsing.md). A first version: it reads
 * the message clause by clause (a clause is what lies between commas, "and then", "+" and the
 * like), drops clauses that are not leave (working from home, work travel, someone else's leave),
 * finds the date expressions of each clause with {@link LeaveDates}, and types and categorises
 * them from the words of the same clause. Thread follow-ups and several contract rules are still
 * missing; {@code LeaveCorpusTest} prints its score and every case it gets wrong.
 */
public final class RuleParser implements LeaveParser {
  private static final String DAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)";
  private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october|november|december"
      + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)";
  private static final String ORD = "(\\d{1,2})(?:st|nd|rd|th)?";
  private static final String TO = "\\s*(?:-|to|till|until|through|thru)\\s*";

  private static final Pattern ISO_RANGE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})" + TO + "(\\d{4}-\\d{2}-\\d{2})");
  private static final Pattern ISO = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})");
  private static final Pattern NUM_RANGE = Pattern.compile("\\b(\\d{1,2})/(\\d{1,2})(?:/(\\d{2,4}))?" + TO + "(\\d{1,2})/(\\d{1,2})(?:/(\\d{2,4}))?\\b");
  private static final Pattern NUM = Pattern.compile("\\b(\\d{1,2})/(\\d{1,2})(?:/(\\d{2,4}))?\\b");
  private static final Pattern MONTH_FIRST_RANGE = Pattern.compile("\\b" + MONTH + "\\s+" + ORD + TO + "(?:" + MONTH + "\\s+)?" + ORD + "\\b");
  private static final Pattern DAY_FIRST_RANGE = Pattern.compile("\\b" + ORD + "(?:\\s+" + MONTH + ")?" + TO + ORD + "(?:\\s+(?:of\\s+)?" + MONTH + ")?\\b");
  private static final Pattern MONTH_FIRST = Pattern.compile("\\b" + MONTH + "\\s+" + ORD + "\\b");
  private static final Pattern DAY_FIRST = Pattern.compile("\\b" + ORD + "\\s+(?:of\\s+)?" + MONTH + "\\b");
  private static final Pattern ORDINAL = Pattern.compile("\\b(\\d{1,2})(st|nd|rd|th)\\b");
  private static final Pattern DAY_LIST_MONTH = Pattern.compile("\\b(\\d{1,2})((?:\\s*(?:,|&|and)\\s*\\d{1,2})+)\\s+" + MONTH + "\\b");
  private static final Pattern WEEKDAY_RANGE = Pattern.compile("\\b(?:(next|last|this)\\s+)?" + DAY + TO + "(?:(next|last|this)\\s+)?" + DAY + "\\b");
  private static final Pattern WEEKDAY = Pattern.compile("\\b(?:(next|last|this)\\s+)?" + DAY + "(\\s+(?:next|last)\\s+week)?\\b");
  private static final Pattern RELATIVE = Pattern.compile("\\b(day after tomorrow|today|tomorrow|yesterday|tonight)\\b");
  private static final Pattern FOR_DAYS = Pattern.compile("\\bfor\\s+(?:the\\s+next\\s+)?(\\d+|two|three|four|five)\\s+(?:working\\s+)?days?\\b");
  private static final Pattern DAYS_STARTING = Pattern.compile("\\b(\\d+|two|three|four|five)\\s+days?\\s+(?:off\\s+)?(?:starting|from)\\b");

  private static final Pattern SICK = Pattern.compile("\\b(sick|ill|illness|fever|flu|cold|unwell|migraine|doctor|doctor's|dentist|hospital|medical"
      + "|surgery|injury|injured|food poisoning|stomach|vomit\\w*|covid|appt|appointment with (?:the )?doctor)\\b");
  private static final Pattern LEAVE_WORDS = Pattern.compile("\\b(leave|off|pto|ooo|out|vacation|holiday|sick|away|taking the day|day off|half day"
      + "|half-day|half a day|annual|break|unwell|migraine|fever|flu)\\b");
  private static final Pattern CANCEL = Pattern.compile("\\b(cancel\\w*|not taking|won'?t be taking|changed plans|plans changed|scratch that"
      + "|coming to (?:the )?office after all|revoke\\w*|i'?ll be in|ignore my earlier)\\b");
  private static final Pattern NOT_LEAVE = Pattern.compile("(\\bhow many\\b.*\\?|\\bbalance\\b.*\\?|\\bdoes it count\\b|public holiday|bank holiday"
      + "|office is closed|\\bcongrat|enjoy your leave|you've earned it|leave me alone|running late|\\bin by \\d|back from leave"
      + "|leaving (?:the office )?early\\b.*\\bback online\\b)");
  private static final Pattern WFH = Pattern.compile("\\b(wfh|work(?:ing)? from home|work(?:ing)? remotely|remote)\\b");
  private static final Pattern WORK_TRAVEL = Pattern.compile("\\b(client|workshop|conference|offsite|onsite|reachable on slack|business trip)\\b");
  /** "Priya is out", "@someone is on sick leave": someone else's leave (mentions read as "someone"). */
  private static final Pattern SOMEONE_ELSE = Pattern.compile("\\b([a-z][a-z'-]*)\\s+is\\s+(out|on|off|away)\\b");
  private static final java.util.Set<String> NOT_A_PERSON = java.util.Set.of("it", "this", "that", "there", "what", "which", "leave", "pto",
      "vacation", "day", "today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "plan",
      "trip", "flight", "office", "everything", "he", "she", "they");
  private static final Pattern HALF_AM = Pattern.compile("\\b(first half|morning|forenoon|am)\\b");
  private static final Pattern HALF_PM = Pattern.compile("\\b(second half|afternoon|pm|post lunch|after lunch|evening|half day|half-day|half a day)\\b");
  private static final Pattern RETURN = Pattern.compile("\\bback (?:on |from |by )?");
  private static final Pattern RELATIVE_RANGE = Pattern.compile("\\b(today|tomorrow)" + TO + "(?:(next|last|this)\\s+)?" + DAY + "\\b");
  private static final Pattern OWN_REASON = Pattern.compile("\\b(vacation|wedding|personal|trip|holiday)\\b");
  private static final Map<String, Integer> NUMBERS = Map.of("two", 2, "three", 3, "four", 4, "five", 5);

  private static final Pattern AFFIRMATION = Pattern.compile("^(yes|yep|yeah|ok|okay|confirmed|confirm|thanks|thank you|ty|cool|great|sounds good)\\b");
  private static final Pattern REPLACE = Pattern.compile("\\b(instead|actually|only|just|moving it to|move it to|meant)\\b");
  private static final Pattern ADD = Pattern.compile("\\b(add|also|too|plus)\\b");

  /** Parses one message; {@code thread} holds the earlier messages of its thread, oldest first (rule 12). */
  @Override
  public ParsedLeave parse(String raw, LocalDate today, List<String> thread) {
    if (!thread.isEmpty()) {
      Optional<ParsedLeave> amended = followUp(normalise(raw), today, thread);
      if (amended.isPresent()) {
        return amended.get();
      }
    }
    Matcher other = SOMEONE_ELSE.matcher(raw.replaceAll("<@\\w+>", "someone").toLowerCase(java.util.Locale.ROOT));
    while (other.find()) {
      if (!NOT_A_PERSON.contains(other.group(1))) {
        return ParsedLeave.notLeave();
      }
    }
    String text = normalise(raw);
    if (text.isBlank() || NOT_LEAVE.matcher(text).find()) {
      return ParsedLeave.notLeave();
    }
    boolean cancellation = CANCEL.matcher(text).find();
    Category messageCategory = SICK.matcher(text).find() ? Category.SICK : Category.VACATION;
    boolean leaveWords = LEAVE_WORDS.matcher(text).find() || cancellation;
    TreeMap<LocalDate, Day> days = new TreeMap<>();
    boolean anyLeaveClause = false;
    for (String clause : clauses(text)) {
      if (WFH.matcher(clause).find() || WORK_TRAVEL.matcher(clause).find()) {
        continue;
      }
      anyLeaveClause = true;
      Category category = clauseCategory(clause, messageCategory);
      List<Found> found = found(clause, today);
      Map<Found, Type> halves = halves(clause, found);
      for (Found f : found) {
        for (LocalDate d : f.dates()) {
          days.put(d, new Day(d, halves.getOrDefault(f, Type.FULL), category));
        }
      }
    }
    if (!anyLeaveClause || !leaveWords) {
      return ParsedLeave.notLeave();
    }
    LocalDate firstOfYear = today.withDayOfYear(1);
    List<Day> kept = days.values().stream().filter(d -> !d.date().isBefore(firstOfYear)).toList();
    List<LocalDate> dropped = days.keySet().stream().filter(d -> d.isBefore(firstOfYear)).toList();
    return new ParsedLeave(true, cancellation, kept, dropped);
  }

  /**
   * A reply in the thread of an earlier request (rule 12): an affirmation is not leave; a
   * cancellation without dates cancels the thread's dates; "make it a half day" retypes them;
   * "instead", "actually", "only", "moving it to" replace them; "add", "also", "too", "plus" add to them.
   */
  private Optional<ParsedLeave> followUp(String text, LocalDate today, List<String> thread) {
    TreeMap<LocalDate, Day> base = new TreeMap<>();
    String withoutDates = null;
    for (String earlier : thread) {
      ParsedLeave p = parse(earlier, today, List.of());
      if (p.isLeave() && !p.isCancellation()) {
        p.dates().forEach(d -> base.put(d.date(), d));
      }
      if (p.isLeave() && p.dates().isEmpty() && p.dropped().isEmpty()) {
        withoutDates = earlier;
      }
    }
    if (base.isEmpty() && withoutDates != null) {
      // the answer to "which days?": the earlier message with the dates it lacked
      ParsedLeave answered = parse(withoutDates + ", " + text, today, List.of());
      return answered.dates().isEmpty() ? Optional.empty() : Optional.of(answered);
    }
    if (base.isEmpty()) {
      return Optional.empty();
    }
    if (AFFIRMATION.matcher(text).find()) {
      return Optional.of(ParsedLeave.notLeave());
    }
    Category category = base.firstEntry().getValue().category();
    List<LocalDate> own = new ArrayList<>();
    for (String clause : clauses(text)) {
      own.addAll(dates(clause, today));
    }
    Optional<Type> half = half(text);
    if (CANCEL.matcher(text).find() && own.isEmpty()) {
      return Optional.of(new ParsedLeave(true, true, List.copyOf(base.values())));
    }
    if (own.isEmpty() && half.isPresent()) {
      return Optional.of(new ParsedLeave(true, false, base.values().stream().map(d -> new Day(d.date(), half.get(), d.category())).toList()));
    }
    if (own.isEmpty()) {
      return Optional.empty();
    }
    TreeMap<LocalDate, Day> result = new TreeMap<>();
    if (ADD.matcher(text).find() && !REPLACE.matcher(text).find()) {
      result.putAll(base);
    } else if (!REPLACE.matcher(text).find()) {
      return Optional.empty();
    }
    own.forEach(d -> result.put(d, new Day(d, half.orElse(Type.FULL), category)));
    return Optional.of(new ParsedLeave(true, false, List.copyOf(result.values())));
  }

  /** Lower case, without mentions, channel links, emoji codes; dashes unified; common shorthands spelt out. */
  static String normalise(String raw) {
    String t = raw.replaceAll("<[@#!][^>]*>", " ").replaceAll(":[a-z0-9_+\\-]+:", " ")
        .replace('\u2013', '-').replace('\u2014', '-').toLowerCase(java.util.Locale.ROOT);
    t = t.replaceAll("\\b(tmrw|tmr|tmw|tomm?orow)\\b", "tomorrow").replaceAll("\\bthrusday\\b", "thursday")
        .replaceAll("\\bo\\.o\\.o\\b", "ooo")
        // "tomorrow and the day after" names two days
        .replaceAll("\\b(tomorrow\\s*(?:and|&|,|\\+)\\s*)(?:the\\s+)?day after\\b(?!\\s+tomorrow)", "$1day after tomorrow");
    // lists stay in one clause: "16, 17 & 19 march", "mon, wed and fri"
    t = t.replaceAll("(\\d)\\s*,\\s*(?=\\d)", "$1 & ").replaceAll("\\b" + DAY + "\\s*,\\s*(?=" + DAY + "\\b)", "$1 & ");
    return t.replaceAll("\\s+", " ").strip();
  }

  private static List<String> clauses(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split("\\s*(?:,|;|\\.(?=\\s)|\\+|\\band then\\b|\\bthen\\b|\\balso\\b|!)\\s*")) {
      if (!part.isBlank()) {
        out.add(part);
      }
    }
    return out;
  }

  private static Category clauseCategory(String clause, Category message) {
    if (SICK.matcher(clause).find()) {
      return Category.SICK;
    }
    // a clause with its own non-medical reason keeps vacation when another clause is sick
    if (message == Category.SICK && OWN_REASON.matcher(clause).find()) {
      return Category.VACATION;
    }
    return message;
  }

  /**
   * Rule 9: a half applies to the date it is attached to. Each half-day word of the clause goes to
   * the nearest date expression; with a single expression, to that one.
   */
  private static Map<Found, Type> halves(String clause, List<Found> found) {
    Map<Found, Type> out = new java.util.HashMap<>();
    if (found.isEmpty()) {
      return out;
    }
    for (Pattern p : List.of(HALF_AM, HALF_PM)) {
      Matcher m = p.matcher(clause);
      while (m.find()) {
        int at = m.start();
        int end = m.end();
        Found nearest = found.stream().min(java.util.Comparator.comparingInt(
            (Found f) -> at >= f.end() ? at - f.end() : f.start() >= end ? f.start() - end : 0)).orElseThrow();
        out.putIfAbsent(nearest, p == HALF_AM ? Type.HALF_AM : Type.HALF_PM);
      }
    }
    return out;
  }

  private static Optional<Type> half(String clause) {
    if (HALF_AM.matcher(clause).find()) {
      return Optional.of(Type.HALF_AM);
    }
    if (HALF_PM.matcher(clause).find()) {
      return Optional.of(Type.HALF_PM);
    }
    return Optional.empty();
  }

  /** A date expression of a clause: where it is, and the dates it names. */
  record Found(int start, int end, List<LocalDate> dates) {}

  /** The dates a clause names. */
  static List<LocalDate> dates(String clause, LocalDate today) {
    return dedupe(found(clause, today).stream().flatMap(f -> f.dates().stream()).toList());
  }

  /** The date expressions of a clause, each consumed so that a shorter one inside it is not read again. */
  static List<Found> found(String clause, LocalDate today) {
    StringBuilder rest = new StringBuilder(clause);
    List<Found> out = new ArrayList<>();
    // return dates name no leave
    Matcher back = RETURN.matcher(rest);
    if (back.find()) {
      rest.setLength(back.start());
    }
    consume(rest, ISO_RANGE, m -> LeaveDates.workingDays(LocalDate.parse(m.group(1)), LocalDate.parse(m.group(2))), out);
    consume(rest, ISO, m -> List.of(LocalDate.parse(m.group(1))), out);
    consume(rest, NUM_RANGE, m -> range(numeric(m, 1, today), numeric(m, 4, today)), out);
    consume(rest, NUM, m -> numeric(m, 1, today).map(List::of).orElse(List.of()), out);
    consume(rest, DAY_LIST_MONTH, m -> {
      Month month = month(m.group(3));
      List<LocalDate> list = new ArrayList<>();
      LeaveDates.monthDay(month, Integer.parseInt(m.group(1)), today).ifPresent(list::add);
      for (String n : m.group(2).split("\\D+")) {
        if (!n.isEmpty()) {
          LeaveDates.monthDay(month, Integer.parseInt(n), today).ifPresent(list::add);
        }
      }
      return list;
    }, out);
    consume(rest, MONTH_FIRST_RANGE, m -> {
      Month from = month(m.group(1));
      Month to = m.group(3) == null ? from : month(m.group(3));
      Optional<LocalDate> start = LeaveDates.monthDay(from, Integer.parseInt(m.group(2)), today);
      return range(start, start.flatMap(s -> LeaveDates.monthDay(to, Integer.parseInt(m.group(4)), s)));
    }, out);
    consume(rest, DAY_FIRST_RANGE, m -> {
      Optional<Month> endMonth = Optional.ofNullable(m.group(4)).map(RuleParser::month);
      Optional<Month> startMonth = Optional.ofNullable(m.group(2)).map(RuleParser::month).or(() -> endMonth);
      Optional<LocalDate> start = startMonth.isPresent()
          ? LeaveDates.monthDay(startMonth.get(), Integer.parseInt(m.group(1)), today)
          : LeaveDates.dayOfMonth(Integer.parseInt(m.group(1)), today);
      Optional<LocalDate> end = start.flatMap(s -> endMonth.or(() -> Optional.of(s.getMonth()))
          .flatMap(em -> LeaveDates.monthDay(em, Integer.parseInt(m.group(3)), s)));
      return range(start, end);
    }, out);
    consume(rest, MONTH_FIRST, m -> LeaveDates.monthDay(month(m.group(1)), Integer.parseInt(m.group(2)), today).map(List::of).orElse(List.of()), out);
    consume(rest, DAY_FIRST, m -> LeaveDates.monthDay(month(m.group(2)), Integer.parseInt(m.group(1)), today).map(List::of).orElse(List.of()), out);
    consume(rest, ORDINAL, m -> LeaveDates.dayOfMonth(Integer.parseInt(m.group(1)), today).map(List::of).orElse(List.of()), out);
    Matcher count = FOR_DAYS.matcher(rest);
    boolean counted = count.find();
    if (!counted) {
      count = DAYS_STARTING.matcher(rest);
      counted = count.find();
    }
    if (counted) {
      // "for N days from <day>", "N days off starting <date>" (the start already read), "for the next N days"
      int n = number(count.group(1));
      List<Found> starts = new ArrayList<>(out);
      StringBuilder tail = new StringBuilder(rest.substring(count.end()));
      collectDayWords(tail, today, starts);
      LocalDate start = starts.stream().flatMap(f -> f.dates().stream()).min(LocalDate::compareTo).orElse(today);
      return List.of(new Found(0, clause.length(), LeaveDates.workingDaysFrom(start, n)));
    }
    collectDayWords(rest, today, out);
    return out;
  }

  /** Ranges and single days named by weekday, week or relative word. */
  private static void collectDayWords(StringBuilder rest, LocalDate today, List<Found> out) {
    // a relative start and a weekday end: "from today until Friday"
    Matcher relRange = RELATIVE_RANGE.matcher(rest);
    if (relRange.find()) {
      LocalDate start = LeaveDates.relative(relRange.group(1), today).orElseThrow();
      LocalDate end = relRange.group(2) != null && relRange.group(2).equals("next")
          ? LeaveDates.weekday(day(relRange.group(3)), LeaveDates.Which.NEXT, today)
          : LeaveDates.weekdayOnOrAfter(day(relRange.group(3)), start);
      out.add(new Found(relRange.start(), relRange.end(), LeaveDates.workingDays(start, end)));
      blank(rest, relRange.start(), relRange.end());
    }
    boolean nextWeekNamed = rest.indexOf("next week") >= 0;
    boolean lastWeekNamed = rest.indexOf("last week") >= 0;
    boolean weekdayFound = false;
    Matcher wr = WEEKDAY_RANGE.matcher(rest);
    while (wr.find()) {
      LeaveDates.Which which = which(wr.group(1), nextWeekNamed, lastWeekNamed);
      LocalDate start = LeaveDates.weekday(day(wr.group(2)), which, today);
      LocalDate end = LeaveDates.weekdayOnOrAfter(day(wr.group(4)), start);
      out.add(new Found(wr.start(), wr.end(), LeaveDates.workingDays(start, end)));
      weekdayFound = true;
      blank(rest, wr.start(), wr.end());
      wr = WEEKDAY_RANGE.matcher(rest);
    }
    Matcher wd = WEEKDAY.matcher(rest);
    String carried = null;
    int carriedEnd = -1;
    while (wd.find()) {
      String qualifier = wd.group(1) != null ? wd.group(1) : wd.group(3) != null ? wd.group(3).strip().split("\\s+")[0] : null;
      // "last thu and fri": a qualifier carries over a list
      if (qualifier == null && carried != null && rest.substring(carriedEnd, wd.start()).matches("\\s*(?:and|&|,)\\s*")) {
        qualifier = carried;
      }
      out.add(new Found(wd.start(), wd.end(), List.of(LeaveDates.weekday(day(wd.group(2)), which(qualifier, nextWeekNamed, lastWeekNamed), today))));
      weekdayFound = true;
      carried = qualifier;
      carriedEnd = wd.end();
      blank(rest, wd.start(), wd.end());
      wd = WEEKDAY.matcher(rest);
    }
    Matcher rel = RELATIVE.matcher(rest);
    while (rel.find()) {
      int at = rel.start();
      int end = rel.end();
      LeaveDates.relative(rel.group(1).equals("tonight") ? "today" : rel.group(1), today).ifPresent(d -> out.add(new Found(at, end, List.of(d))));
    }
    String r = rest.toString();
    if (!weekdayFound && r.contains("next week")) {
      out.add(new Found(r.indexOf("next week"), r.indexOf("next week") + 9, LeaveDates.nextWeek(today)));
    }
    // "wed and thu this week": the week qualifies the weekdays, it is not a range of its own
    if (!weekdayFound && (r.contains("this week") || r.contains("rest of the week"))) {
      int at = Math.max(r.indexOf("this week"), r.indexOf("rest of the week"));
      out.add(new Found(at, at + 9, LeaveDates.restOfWeek(today)));
    }
    if (r.contains("this afternoon")) {
      out.add(new Found(r.indexOf("this afternoon"), r.indexOf("this afternoon") + 14, List.of(today)));
    }
  }

  private static LeaveDates.Which which(String qualifier, boolean nextWeekNamed, boolean lastWeekNamed) {
    if ("next".equals(qualifier) || (qualifier == null && nextWeekNamed)) {
      return LeaveDates.Which.NEXT;
    }
    if ("last".equals(qualifier) || (qualifier == null && lastWeekNamed)) {
      return LeaveDates.Which.LAST;
    }
    return LeaveDates.Which.BARE;
  }

  private interface Reader {
    List<LocalDate> read(Matcher m);
  }

  private static void consume(StringBuilder rest, Pattern p, Reader reader, List<Found> out) {
    Matcher m = p.matcher(rest);
    while (m.find()) {
      out.add(new Found(m.start(), m.end(), reader.read(m)));
      blank(rest, m.start(), m.end());
      m = p.matcher(rest);
    }
  }

  private static void blank(StringBuilder s, int from, int to) {
    for (int i = from; i < to; i++) {
      s.setCharAt(i, ' ');
    }
  }

  private static List<LocalDate> range(Optional<LocalDate> start, Optional<LocalDate> end) {
    if (start.isEmpty() || end.isEmpty()) {
      return start.map(List::of).orElse(List.of());
    }
    LocalDate e = end.get().isBefore(start.get()) ? end.get().plusYears(1) : end.get();
    return LeaveDates.workingDays(start.get(), e);
  }

  private static Optional<LocalDate> numeric(Matcher m, int group, LocalDate today) {
    Optional<Integer> year = Optional.ofNullable(m.group(group + 2)).map(Integer::parseInt);
    return LeaveDates.numeric(Integer.parseInt(m.group(group)), Integer.parseInt(m.group(group + 1)), year, today);
  }

  private static List<LocalDate> dedupe(List<LocalDate> dates) {
    return dates.stream().distinct().sorted().toList();
  }

  private static int number(String s) {
    return NUMBERS.containsKey(s) ? NUMBERS.get(s) : Integer.parseInt(s);
  }

  static Month month(String s) {
    String p = s.substring(0, 3);
    for (Month m : Month.values()) {
      if (m.name().toLowerCase(java.util.Locale.ROOT).startsWith(p)) {
        return m;
      }
    }
    throw new IllegalArgumentException("not a month: " + s);
  }

  static DayOfWeek day(String s) {
    String p = s.substring(0, 3);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().toLowerCase(java.util.Locale.ROOT).startsWith(p)) {
        return d;
      }
    }
    throw new IllegalArgumentException("not a weekday: " + s);
  }
}
