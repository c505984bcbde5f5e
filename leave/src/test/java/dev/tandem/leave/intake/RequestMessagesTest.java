package dev.tandem.leave.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.leave.intake.LeaveRequests.Kind;
import dev.tandem.leave.intake.LeaveRequests.Request;
import dev.tandem.leave.intake.LeaveRequests.Status;
import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import dev.tandem.leave.records.LeaveRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the confirmation tells the poster besides the dates: conflicts and warnings. */
class RequestMessagesTest {
  private static final LocalDate TODAY = LocalDate.parse("2026-03-11");

  private static Request request(Kind kind, List<Day> dates, List<LocalDate> dropped) {
    return new Request("r1", "Ev1", "p1", "T1", "U1", "C1", "1.0", "1.0", kind, Status.PENDING, Optional.empty(), dates, dropped,
        List.of(), "rules", Optional.empty(), Instant.EPOCH);
  }

  private static RequestMessages.Context context(Map<LocalDate, LeaveRecords.Record> recorded) {
    return new RequestMessages.Context(recorded, Duration.ofMinutes(60), Duration.ofDays(180), TODAY);
  }

  @Test
  void warnsOfDroppedDatesNamedWeekendsAndFarFutureDates() {
    LocalDate saturday = LocalDate.parse("2026-03-14");
    LocalDate far = LocalDate.parse("2026-12-01");
    RequestMessages.Message m = RequestMessages.pending(request(Kind.CREATE,
        List.of(new Day(saturday, Type.FULL, Category.VACATION), new Day(far, Type.HALF_AM, Category.SICK)),
        List.of(LocalDate.parse("2025-12-31"))), context(Map.of()));
    assertThat(m.blocks()).contains("Sat 14 Mar 2026 is a weekend day; it is included because you named it")
        .contains("Tue 1 Dec 2026 is more than 180 days away")
        .contains("Wed 31 Dec 2025 is before 1 January of this year and was left out")
        .contains("Tue 1 Dec 2026, morning (first half), sick")
        .contains("\"action_id\":\"leave_confirm\"").contains("\"value\":\"r1\"");
    assertThat(m.text()).contains("Sat 14 Mar 2026, full day, vacation");
  }

  @Test
  void showsConflictsWithWhatIsRecorded() {
    LocalDate monday = LocalDate.parse("2026-03-16");
    LocalDate tuesday = LocalDate.parse("2026-03-17");
    var recorded = Map.of(
        monday, new LeaveRecords.Record("x", "p1", new Day(monday, Type.HALF_PM, Category.SICK), LeaveRecords.Status.COMPLETED, "r0"),
        tuesday, new LeaveRecords.Record("y", "p1", new Day(tuesday, Type.FULL, Category.VACATION), LeaveRecords.Status.CONFIRMED, "r0"));
    String blocks = RequestMessages.pending(request(Kind.CREATE,
        List.of(new Day(monday, Type.FULL, Category.VACATION), new Day(tuesday, Type.FULL, Category.VACATION)), List.of()),
        context(recorded)).blocks();
    assertThat(blocks).contains("Mon 16 Mar 2026, full day, vacation ⚠️ *conflict:* already recorded as afternoon (second half), sick;"
        + " confirming replaces it").contains("Tue 17 Mar 2026, full day, vacation _(already recorded: nothing new)_");

    String cancel = RequestMessages.pending(request(Kind.CANCEL, List.of(new Day(LocalDate.parse("2026-03-18"), Type.FULL, Category.VACATION)),
        List.of()), context(Map.of())).blocks();
    assertThat(cancel).contains("Cancellation request").contains("(nothing is recorded on this day)").contains("Keep my leave");
  }
}
