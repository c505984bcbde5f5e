package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.DatabaseUrl;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.faults.FaultPoints;
import dev.tandem.leave.intake.RequestMessages;
import dev.tandem.leave.steps.LeaveSteps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Leave app as a separate process (the packaged jar), stopped dead at the named fault point
 * between Google's answer to the event insert and our record of it; restarted, the calendar holds
 * exactly one event for the leave (the retried insert meets our own id and adopts the event).
 */
@Tag("heavy")
class LeaveCrashIT {
  @TempDir Path dir;
  private LeaveWorld world;
  private Process tandem;

  @AfterEach
  void stop() throws InterruptedException {
    if (tandem != null) {
      tandem.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (world != null) {
      world.close();
    }
  }

  @Test
  void killedBetweenTheEventInsertAndItsRecordTheCalendarHoldsOneEvent() throws Exception {
    Map<String, String> env = new HashMap<>(LeaveWorld.recording());
    env.put("TANDEM_JOB_LEASE", "2s");
    world = new LeaveWorld(dir, Dialect.SQLITE, env, LeaveWorld::seedRecording);
    LocalDate monday = LeaveWorld.mondayAhead();
    String post = world.post("T0ACME", "U0ALICE", "off " + monday + " to " + monday.plusDays(2), null);
    Map<String, Object> confirmation = world.awaitReply("T0ACME", post, 1);
    world.stopTandem();

    tandem = start(LeaveSteps.AFTER_EVENT_INSERT + ":1", "fault");
    world.press("T0ACME", "U0ALICE", confirmation, RequestMessages.CONFIRM);
    assertThat(tandem.waitFor(60, TimeUnit.SECONDS)).as("the fault point was reached").isTrue();
    assertThat(tandem.exitValue()).isEqualTo(FaultPoints.EXIT_STATUS);
    assertThat(world.slack.calendar().events(LeaveWorld.CALENDAR)).as("Google made the event before the crash").hasSize(1);

    tandem = start("", "restart");
    try (Database db = Database.open(DatabaseUrl.parse(world.env.get("DATABASE_URL"), dir), 2, null)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> db.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM leave_request WHERE message_ts = :m AND status = 'completed'").bind("m", post).mapTo(Long.class).one()) == 1);
      long done = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM leave_record WHERE calendar_status = 'done'")
          .mapTo(Long.class).one());
      assertThat(done).isEqualTo(3);
    }
    assertThat(world.slack.calendar().events(LeaveWorld.CALENDAR)).as("exactly one event after the restart").hasSize(1);
    assertThat(world.slack.harvest().timeEntries()).hasSize(3);
    assertThat(world.slack.calendar().requests()).as("the retried insert met our own id")
        .anyMatch(r -> r.status() == 409);
  }

  private Process start(String faultPoint, String name) throws IOException {
    return TandemProcess.start(dir, world.env, world.port, faultPoint, name, () -> world.slack.socketConnections(world.app.appId()) > 0);
  }
}
