package dev.tandem.leave.steps;

import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The calendar events a person should have, computed from their active leave records: a run of
 * consecutive full days of one category is one all-day event (a weekend between two days joins
 * them only when configured), and each half day is its own timed event. Event ids are derived
 * from the person, the first day and the type, so the same run always has the same id: inserting
 * it again answers 409 instead of duplicating it, a run extended at its end keeps its id (patched),
 * and the part of a split run that keeps the first day keeps it too.
 */
public final class CalendarPlan {
  private static final char[] BASE32HEX = "0123456789abcdefghijklmnopqrstuv".toCharArray();

  private CalendarPlan() {}

  /** One day of someone's leave as the plan needs it. */
  public record Entry(String recordId, Day day) {}

  /** An event to have: {@code first} to {@code last} inclusive, and the records it shows. */
  public record Planned(String id, LocalDate first, LocalDate last, Type type, Category category, List<String> recordIds) {}

  public static List<Planned> plan(String personId, List<Entry> active, boolean spanWeekends) {
    List<Entry> sorted = active.stream().sorted(Comparator.comparing((Entry e) -> e.day().date())).toList();
    List<Planned> events = new ArrayList<>();
    List<Entry> run = new ArrayList<>();
    for (Entry e : sorted) {
      if (e.day().type() != Type.FULL) {
        events.add(planned(personId, List.of(e)));
        continue;
      }
      if (!run.isEmpty() && !continues(run.get(run.size() - 1).day(), e.day(), spanWeekends)) {
        events.add(planned(personId, run));
        run = new ArrayList<>();
      }
      run.add(e);
    }
    if (!run.isEmpty()) {
      events.add(planned(personId, run));
    }
    events.sort(Comparator.comparing(Planned::first).thenComparing(p -> p.type().ordinal()));
    return List.copyOf(events);
  }

  private static boolean continues(Day previous, Day next, boolean spanWeekends) {
    if (previous.category() != next.category()) {
      return false;
    }
    LocalDate d = previous.date().plusDays(1);
    if (d.equals(next.date())) {
      return true;
    }
    if (!spanWeekends) {
      return false;
    }
    while (d.isBefore(next.date())) {
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        return false;
      }
      d = d.plusDays(1);
    }
    return true;
  }

  private static Planned planned(String personId, List<Entry> days) {
    Day first = days.get(0).day();
    Day last = days.get(days.size() - 1).day();
    return new Planned(eventId(personId, first.date(), first.type()), first.date(), last.date(), first.type(), first.category(),
        days.stream().map(Entry::recordId).toList());
  }

  /** Google's event id rule: base32hex characters (a–v, 0–9), 5 to 1024 of them. 26 here: 130 bits of SHA-256. */
  static String eventId(String personId, LocalDate first, Type type) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(("tandem-leave:" + personId + ":" + first + ":" + type.json())
          .getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    StringBuilder id = new StringBuilder("tl");
    int bits = 0;
    int buffer = 0;
    for (int i = 0; id.length() < 28; ) {
      if (bits < 5) {
        buffer = (buffer << 8) | (hash[i++] & 0xff);
        bits += 8;
      }
      id.append(BASE32HEX[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
    return id.toString().toLowerCase(Locale.ROOT);
  }
}
