package dev.tandem.leave.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import dev.tandem.leave.steps.CalendarPlan.Entry;
import dev.tandem.leave.steps.CalendarPlan.Planned;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which calendar events a person's leave becomes, and which ids they get. */
class CalendarPlanTest {
  private static Entry full(String id, String day) {
    return new Entry(id, new Day(LocalDate.parse(day), Type.FULL, Category.VACATION));
  }

  @Test
  void consecutiveFullDaysAreOneEventAndAHalfDayIsItsOwn() {
    List<Planned> plan = CalendarPlan.plan("p1", List.of(full("a", "2026-03-16"), full("b", "2026-03-17"), full("c", "2026-03-18"),
        new Entry("d", new Day(LocalDate.parse("2026-03-20"), Type.HALF_AM, Category.VACATION))), false);
    assertThat(plan).extracting(Planned::first, Planned::last, Planned::type, Planned::recordIds).containsExactly(
        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-03-16"), LocalDate.parse("2026-03-18"), Type.FULL, List.of("a", "b", "c")),
        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2026-03-20"), LocalDate.parse("2026-03-20"), Type.HALF_AM, List.of("d")));
    assertThat(plan).allSatisfy(p -> assertThat(p.id()).matches("[a-v0-9]{5,1024}"));
  }

  @Test
  void aWeekendEndsARunUnlessConfiguredAndACategoryChangeAlwaysDoes() {
    List<Entry> friMon = List.of(full("f", "2026-03-13"), full("m", "2026-03-16"));
    assertThat(CalendarPlan.plan("p1", friMon, false)).hasSize(2);
    assertThat(CalendarPlan.plan("p1", friMon, true)).singleElement()
        .satisfies(p -> assertThat(p.last()).isEqualTo(LocalDate.parse("2026-03-16")));
    List<Entry> mixed = List.of(full("a", "2026-03-16"), new Entry("b", new Day(LocalDate.parse("2026-03-17"), Type.FULL, Category.SICK)));
    assertThat(CalendarPlan.plan("p1", mixed, true)).hasSize(2);
  }

  @Test
  void idsAreStableSoARunExtendedOrSplitKeepsItsFirstPartsId() {
    String run = CalendarPlan.plan("p1", List.of(full("a", "2026-03-16"), full("b", "2026-03-17")), false).get(0).id();
    assertThat(CalendarPlan.plan("p1", List.of(full("a", "2026-03-16"), full("b", "2026-03-17"), full("c", "2026-03-18")), false).get(0).id())
        .isEqualTo(run);
    List<Planned> split = CalendarPlan.plan("p1", List.of(full("a", "2026-03-16"), full("c", "2026-03-18")), false);
    assertThat(split.get(0).id()).isEqualTo(run);
    assertThat(split.get(1).id()).isNotEqualTo(run);
    assertThat(CalendarPlan.plan("p2", List.of(full("a", "2026-03-16")), false).get(0).id()).as("another person").isNotEqualTo(run);
  }
}
