package dev.tandem.leave.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract's date rules (leave-parsing.md 2–7), with the contract's own examples. */
class LeaveDatesTest {
  private static final LocalDate WEDNESDAY = LocalDate.parse("2026-03-11");
  private static final LocalDate SATURDAY = LocalDate.parse("2026-03-14");

  @Test
  void relativeDays() {
    assertThat(LeaveDates.relative("tomorrow", WEDNESDAY)).contains(LocalDate.parse("2026-03-12"));
    assertThat(LeaveDates.relative("day after tomorrow", WEDNESDAY)).contains(LocalDate.parse("2026-03-13"));
    assertThat(LeaveDates.relative("yesterday", WEDNESDAY)).contains(LocalDate.parse("2026-03-10"));
    assertThat(LeaveDates.relative("someday", WEDNESDAY)).isEmpty();
  }

  @Test
  void weekdaysBareNextAndLast() {
    assertThat(LeaveDates.weekday(DayOfWeek.WEDNESDAY, LeaveDates.Which.BARE, WEDNESDAY)).isEqualTo(WEDNESDAY);
    assertThat(LeaveDates.weekday(DayOfWeek.FRIDAY, LeaveDates.Which.BARE, WEDNESDAY)).isEqualTo(LocalDate.parse("2026-03-13"));
    assertThat(LeaveDates.weekday(DayOfWeek.MONDAY, LeaveDates.Which.BARE, WEDNESDAY)).isEqualTo(LocalDate.parse("2026-03-16"));
    // "said on Wednesday 2026-03-11, next Monday is 2026-03-16 and next Friday is 2026-03-20"
    assertThat(LeaveDates.weekday(DayOfWeek.MONDAY, LeaveDates.Which.NEXT, WEDNESDAY)).isEqualTo(LocalDate.parse("2026-03-16"));
    assertThat(LeaveDates.weekday(DayOfWeek.FRIDAY, LeaveDates.Which.NEXT, WEDNESDAY)).isEqualTo(LocalDate.parse("2026-03-20"));
    assertThat(LeaveDates.weekday(DayOfWeek.THURSDAY, LeaveDates.Which.LAST, WEDNESDAY)).isEqualTo(LocalDate.parse("2026-03-05"));
    assertThat(LeaveDates.weekday(DayOfWeek.MONDAY, LeaveDates.Which.NEXT, SATURDAY)).isEqualTo(LocalDate.parse("2026-03-16"));
  }

  @Test
  void weeks() {
    assertThat(LeaveDates.nextWeek(WEDNESDAY)).containsExactly(LocalDate.parse("2026-03-16"), LocalDate.parse("2026-03-17"),
        LocalDate.parse("2026-03-18"), LocalDate.parse("2026-03-19"), LocalDate.parse("2026-03-20"));
    assertThat(LeaveDates.restOfWeek(WEDNESDAY)).containsExactly(WEDNESDAY, LocalDate.parse("2026-03-12"), LocalDate.parse("2026-03-13"));
    assertThat(LeaveDates.restOfWeek(SATURDAY)).as("none on a weekend").isEmpty();
  }

  @Test
  void dayOfMonthThisMonthOrNext() {
    assertThat(LeaveDates.dayOfMonth(11, WEDNESDAY)).contains(WEDNESDAY);
    assertThat(LeaveDates.dayOfMonth(23, WEDNESDAY)).contains(LocalDate.parse("2026-03-23"));
    assertThat(LeaveDates.dayOfMonth(5, WEDNESDAY)).contains(LocalDate.parse("2026-04-05"));
    assertThat(LeaveDates.dayOfMonth(31, LocalDate.parse("2026-04-02"))).as("April has no 31st").contains(LocalDate.parse("2026-05-31"));
    assertThat(LeaveDates.dayOfMonth(32, WEDNESDAY)).isEmpty();
  }

  @Test
  void monthAndDayWithinAMonthBackElseNextYear() {
    assertThat(LeaveDates.monthDay(Month.MARCH, 20, WEDNESDAY)).contains(LocalDate.parse("2026-03-20"));
    assertThat(LeaveDates.monthDay(Month.FEBRUARY, 20, WEDNESDAY)).as("within 31 days back: retroactive").contains(LocalDate.parse("2026-02-20"));
    assertThat(LeaveDates.monthDay(Month.JANUARY, 12, LocalDate.parse("2026-11-20"))).contains(LocalDate.parse("2027-01-12"));
    assertThat(LeaveDates.monthDay(Month.OCTOBER, 30, LocalDate.parse("2026-11-20"))).contains(LocalDate.parse("2026-10-30"));
    assertThat(LeaveDates.monthDay(Month.FEBRUARY, 30, WEDNESDAY)).isEmpty();
  }

  @Test
  void numericDatesAreDayFirst() {
    assertThat(LeaveDates.numeric(5, 6, Optional.empty(), LocalDate.parse("2026-05-19"))).contains(LocalDate.parse("2026-06-05"));
    assertThat(LeaveDates.numeric(4, 1, Optional.of(2027), LocalDate.parse("2026-12-28"))).contains(LocalDate.parse("2027-01-04"));
    assertThat(LeaveDates.numeric(6, 13, Optional.empty(), WEDNESDAY)).as("mm/dd is not read").isEmpty();
  }

  @Test
  void rangesSkipWeekendsAndRunForward() {
    LocalDate thursday = LocalDate.parse("2026-03-12");
    LocalDate tuesday = LeaveDates.weekdayOnOrAfter(DayOfWeek.TUESDAY, thursday);
    assertThat(LeaveDates.workingDays(thursday, tuesday)).containsExactly(thursday, LocalDate.parse("2026-03-13"),
        LocalDate.parse("2026-03-16"), LocalDate.parse("2026-03-17"));
    assertThat(LeaveDates.workingDaysFrom(thursday, 3)).containsExactly(thursday, LocalDate.parse("2026-03-13"), LocalDate.parse("2026-03-16"));
  }
}
