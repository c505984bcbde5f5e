package dev.tandem.leave.parse;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the leave-message contract (leave-parsing.md, rules 2–7) turns date words into dates, given
 * the poster's {@code today}: pure functions, one per kind of expression, for the rule parser to
 * compose. Weeks start on Monday; working days are Monday to Friday.
 */
public final class LeaveDates {
  private LeaveDates() {}

  /** Rule 2: the relative days: today, tomorrow, the one after it, yesterday. */
  public static Optional<LocalDate> relative(String word, LocalDate today) {
    return switch (word) {
      case "today" -> Optional.of(today);
      case "tomorrow" -> Optional.of(today.plusDays(1));
      case "day after tomorrow" -> Optional.of(today.plusDays(2));
      case "yesterday" -> Optional.of(today.minusDays(1));
      default -> Optional.empty();
    };
  }

  /** How a weekday is qualified: {@code Friday} / {@code this Friday}, {@code next Friday}, {@code last Friday}. */
  public enum Which { BARE, NEXT, LAST }

  /**
   * Rule 3: a bare weekday is the next date with that weekday on or after today (today itself
   * when it matches); {@code next} is that weekday in the next calendar week, {@code last} in the
   * previous one.
   */
  public static LocalDate weekday(DayOfWeek day, Which which, LocalDate today) {
    return switch (which) {
      case BARE -> today.with(TemporalAdjusters.nextOrSame(day));
      case NEXT -> monday(today).plusWeeks(1).with(TemporalAdjusters.nextOrSame(day));
      case LAST -> monday(today).minusWeeks(1).with(TemporalAdjusters.nextOrSame(day));
    };
  }

  /** Rule 4: {@code next week} is Monday to Friday of the next calendar week. */
  public static List<LocalDate> nextWeek(LocalDate today) {
    LocalDate monday = monday(today).plusWeeks(1);
    return workingDays(monday, monday.plusDays(4));
  }

  /** Rule 4: {@code this week} / {@code rest of the week}: this week's working days from today on (none on a weekend). */
  public static List<LocalDate> restOfWeek(LocalDate today) {
    if (isWeekend(today)) {
      return List.of();
    }
    return workingDays(today, monday(today).plusDays(4));
  }

  /** Rule 5: a day of the month without a month: this month if on or after today, else the next month that has it. */
  public static Optional<LocalDate> dayOfMonth(int day, LocalDate today) {
    if (day < 1 || day > 31) {
      return Optional.empty();
    }
    LocalDate month = today.withDayOfMonth(1);
    for (int i = 0; i < 13; i++, month = month.plusMonths(1)) {
      if (day <= month.lengthOfMonth()) {
        LocalDate d = month.withDayOfMonth(day);
        if (!d.isBefore(today)) {
          return Optional.of(d);
        }
      }
    }
    return Optional.empty();
  }

  /** Rule 6: a month and day: this year if on or after today minus 31 days, else next year. */
  public static Optional<LocalDate> monthDay(Month month, int day, LocalDate today) {
    for (int year = today.getYear(); year <= today.getYear() + 1; year++) {
      if (day >= 1 && day <= month.length(java.time.Year.isLeap(year))) {
        LocalDate d = LocalDate.of(year, month, day);
        if (!d.isBefore(today.minusDays(31))) {
          return Optional.of(d);
        }
      }
    }
    return Optional.empty();
  }

  /** Rule 6: numeric {@code dd/mm} (the year as for a month name) or {@code dd/mm/yyyy}; {@code mm/dd} is not read. */
  public static Optional<LocalDate> numeric(int day, int month, Optional<Integer> year, LocalDate today) {
    if (month < 1 || month > 12) {
      return Optional.empty();
    }
    if (year.isPresent()) {
      int y = year.get() < 100 ? 2000 + year.get() : year.get();
      return day >= 1 && day <= Month.of(month).length(java.time.Year.isLeap(y)) ? Optional.of(LocalDate.of(y, month, day)) : Optional.empty();
    }
    return monthDay(Month.of(month), day, today);
  }

  /** Rule 7: every working day from {@code start} to {@code end}, inclusive (weekend days inside a range are skipped). */
  public static List<LocalDate> workingDays(LocalDate start, LocalDate end) {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
      if (!isWeekend(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /** Rule 7: {@code for N days from X}: N working days counted from {@code start} ({@code for the next N days} starts today). */
  public static List<LocalDate> workingDaysFrom(LocalDate start, int count) {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = start; out.size() < count; d = d.plusDays(1)) {
      if (!isWeekend(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * Rule 7: a range's end is the first date matching it on or after the start ("Thursday to
   * Tuesday" runs into the following week): for a weekday end, that weekday on or after the start.
   */
  public static LocalDate weekdayOnOrAfter(DayOfWeek day, LocalDate start) {
    return start.with(TemporalAdjusters.nextOrSame(day));
  }

  public static boolean isWeekend(LocalDate d) {
    return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
  }

  private static LocalDate monday(LocalDate d) {
    return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }
}
