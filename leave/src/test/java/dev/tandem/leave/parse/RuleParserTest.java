package dev.tandem.leave.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contract rules on messages of our own (not from the corpus). */
class RuleParserTest {
  private static final LocalDate WEDNESDAY = LocalDate.parse("2026-03-11");
  private final RuleParser parser = new RuleParser();

  @Test
  void aHalfDayWordAttachesToItsOwnDate() {
    assertThat(parser.parse("off next fri and monday morning, dentist", WEDNESDAY, List.of()).dates()).containsExactly(
        new Day(LocalDate.parse("2026-03-16"), Type.HALF_AM, Category.SICK),
        new Day(LocalDate.parse("2026-03-20"), Type.FULL, Category.SICK));
  }

  @Test
  void theContractsWeekdayExamples() {
    assertThat(parser.parse("taking next Monday and next Friday off", WEDNESDAY, List.of()).dates()).extracting(Day::date)
        .containsExactly(LocalDate.parse("2026-03-16"), LocalDate.parse("2026-03-20"));
  }

  @Test
  void aWorkFromHomeClauseRemovesOnlyItsOwnDates() {
    ParsedLeave p = parser.parse("out tomorrow for a hospital check-up, wfh on friday", WEDNESDAY, List.of());
    assertThat(p.isLeave()).isTrue();
    assertThat(p.dates()).containsExactly(new Day(LocalDate.parse("2026-03-12"), Type.FULL, Category.SICK));
  }

  @Test
  void aRangeRunsForwardAndSkipsTheWeekend() {
    assertThat(parser.parse("on leave from friday to tuesday", WEDNESDAY, List.of()).dates()).extracting(Day::date)
        .containsExactly(LocalDate.parse("2026-03-13"), LocalDate.parse("2026-03-16"), LocalDate.parse("2026-03-17"));
  }

  @Test
  void notLeave() {
    assertThat(parser.parse("Meera is off on friday, ask me instead", WEDNESDAY, List.of()).isLeave()).isFalse();
    assertThat(parser.parse("my laptop broke, working remotely tomorrow", WEDNESDAY, List.of()).isLeave()).isFalse();
  }

  @Test
  void aReplyWithDatesAnswersAnAnnouncementThatHadNone() {
    ParsedLeave p = parser.parse("the 16th and 17th", WEDNESDAY, List.of("I'll be on sick leave, not sure when yet"));
    assertThat(p.isLeave()).isTrue();
    assertThat(p.dates()).containsExactly(new Day(LocalDate.parse("2026-03-16"), Type.FULL, Category.SICK),
        new Day(LocalDate.parse("2026-03-17"), Type.FULL, Category.SICK));
    ParsedLeave cancel = parser.parse("friday", WEDNESDAY, List.of("cancelling my leave"));
    assertThat(cancel.isCancellation()).isTrue();
    assertThat(cancel.dates()).extracting(Day::date).containsExactly(LocalDate.parse("2026-03-13"));
  }

  @Test
  void datesBeforeTheYearAreDroppedAndReported() {
    ParsedLeave p = parser.parse("off on 2025-12-31 and 2026-01-02", LocalDate.parse("2026-01-05"), List.of());
    assertThat(p.dates()).extracting(Day::date).containsExactly(LocalDate.parse("2026-01-02"));
    assertThat(p.dropped()).containsExactly(LocalDate.parse("2025-12-31"));
  }

  @Test
  void theDayAfterFollowingTomorrowIsTheDayAfterTomorrow() {
    assertThat(parser.parse("off tomorrow and the day after, family trip", WEDNESDAY, List.of()).dates()).extracting(Day::date)
        .containsExactly(LocalDate.parse("2026-03-12"), LocalDate.parse("2026-03-13"));
  }

  @Test
  void theLeaveSyncIssuesExample() {
    assertThat(parser.parse("off 16th to 18th March, and the morning of the 20th", WEDNESDAY, List.of()).dates()).containsExactly(
        new Day(LocalDate.parse("2026-03-16"), Type.FULL, Category.VACATION), new Day(LocalDate.parse("2026-03-17"), Type.FULL, Category.VACATION),
        new Day(LocalDate.parse("2026-03-18"), Type.FULL, Category.VACATION), new Day(LocalDate.parse("2026-03-20"), Type.HALF_AM, Category.VACATION));
  }
}
