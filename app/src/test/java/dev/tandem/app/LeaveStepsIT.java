package dev.tandem.app;

import static dev.tandem.app.LeaveWorld.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import dev.tandem.leave.intake.RequestMessages;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confirmed leave recorded in Google Calendar and Harvest through the sandbox's fakes, with the
 * real Google client library: runs and half days, partial failures and retries that redo only
 * what failed, announcing a recorded day again, cancelling the middle of a run, events deleted by hand.
 */
class LeaveStepsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;
  private LeaveWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private static LocalDate monday() {
    return LeaveWorld.mondayAhead();
  }

  private void start() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, LeaveWorld.recording(), LeaveWorld::seedRecording);
  }

  private String announceAndConfirm(String text) {
    return world.announceAndConfirm("T0ACME", "U0ALICE", text);
  }

  private List<Map<String, Object>> events() {
    return world.slack.calendar().events(LeaveWorld.CALENDAR).stream().filter(e -> !"cancelled".equals(e.get("status"))).toList();
  }

  @SuppressWarnings("unchecked")
  private static String date(Map<String, Object> event, String edge) {
    Map<String, Object> t = (Map<String, Object>) event.get(edge);
    return String.valueOf(t.containsKey("date") ? t.get("date") : t.get("dateTime"));
  }

  @Test
  void aRunOfFullDaysIsOneEventAHalfDayATimedEventAndEveryDayOneHarvestEntry() throws Exception {
    start();
    LocalDate monday = monday();
    String ts = announceAndConfirm("off " + monday + " to " + monday.plusDays(2) + ", and the morning of " + monday.plusDays(4));

    assertThat(events()).hasSize(2);
    Map<String, Object> run = events().stream().filter(e -> ((Map<?, ?>) e.get("start")).containsKey("date")).findFirst().orElseThrow();
    assertThat(date(run, "start")).isEqualTo(monday.toString());
    assertThat(date(run, "end")).as("exclusive end").isEqualTo(monday.plusDays(3).toString());
    assertThat(String.valueOf(run.get("summary"))).contains("Alice");
    assertThat(String.valueOf(run.get("description"))).contains("https://slack.com/archives/C0ACMELVE/p");
    assertThat(String.valueOf(run.get("extendedProperties"))).contains("tandem_records");
    Map<String, Object> morning = events().stream().filter(e -> ((Map<?, ?>) e.get("start")).containsKey("dateTime")).findFirst().orElseThrow();
    // 11:00-15:00 in alice's zone (Europe/London): with its offset, whatever the season
    String start = java.time.ZonedDateTime.of(monday.plusDays(4), java.time.LocalTime.of(11, 0), ZoneId.of("Europe/London"))
        .toOffsetDateTime().toString();
    assertThat(java.time.OffsetDateTime.parse(date(morning, "start")).toInstant())
        .isEqualTo(java.time.OffsetDateTime.parse(start).toInstant());

    assertThat(world.slack.harvest().timeEntries()).extracting(e -> ((Number) e.get("hours")).doubleValue())
        .containsExactlyInAnyOrder(8.0, 8.0, 8.0, 4.0);
    assertThat(world.slack.harvest().timeEntries()).allSatisfy(e -> assertThat(String.valueOf(e.get("user"))).contains("7001"));
    world.awaitMessage("T0ACME", ts, "Google Calendar: done");
    assertThat(text(world.message("T0ACME", ts))).contains("Harvest: done");
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE status = 'completed'")).isEqualTo(4);
  }

  @Test
  void anAccountThatTracksTimesGetsStartAndEndTimes() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, LeaveWorld.recording(), s -> {
      LeaveWorld.seedRecording(s);
      s.harvest().setTimestampTimers(true);
    });
    announceAndConfirm("off on " + monday() + " afternoon");
    assertThat(world.slack.harvest().timeEntries()).singleElement().satisfies(e -> {
      assertThat(((Number) e.get("hours")).doubleValue()).isEqualTo(4.0);
      assertThat(e.get("started_time")).isEqualTo("1:00pm");
      assertThat(e.get("ended_time")).isEqualTo("5:00pm");
    });
  }

  @Test
  void aFailedCalendarWithHarvestDoneIsShownAndARetryRedoesOnlyTheCalendar() throws Exception {
    start();
    world.slack.calendar().fail("events.insert", 403, "forbidden", 1); // not a rate limit: failed at once
    String ts = announceAndConfirm("off on " + monday());
    assertThat(events()).isEmpty();
    assertThat(world.slack.harvest().timeEntries()).hasSize(1);
    String record = world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT id FROM leave_record WHERE calendar_status = 'failed' AND harvest_status = 'done'").mapTo(String.class).one());
    world.awaitMessage("T0ACME", ts, "Google Calendar failed");
    assertThat(text(world.message("T0ACME", ts))).contains("Harvest: done").contains("tandem leave retry " + record);

    assertThat(world.wiring.leave.steps().retry(record)).isTrue();
    await().atMost(WAIT).until(() -> events().size() == 1);
    await().atMost(WAIT).until(() -> world.count("SELECT COUNT(*) FROM leave_record WHERE calendar_status = 'done'") == 1);
    assertThat(world.slack.harvest().timeEntries()).as("no second Harvest entry").hasSize(1);
    world.awaitMessage("T0ACME", ts, "Google Calendar: done");
    assertThat(world.wiring.leave.steps().retry(record)).as("nothing failed any more").isFalse();
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE id = ? AND status = 'completed'", record)).isEqualTo(1);
  }

  @Test
  void transientFailuresAreRetriedByThemselves() throws Exception {
    start();
    world.slack.calendar().fail("events.insert", 403, "rateLimitExceeded", 2);
    world.slack.harvest().fail("time_entries.create", 503, 2);
    announceAndConfirm("off on " + monday());
    assertThat(world.slack.calendar().requests()).as("the rate limits were met").filteredOn(r -> r.status() == 403).hasSize(2);
    assertThat(world.slack.harvest().requests()).as("the outages were met").filteredOn(r -> r.status() == 503).hasSize(2);
    assertThat(events()).hasSize(1);
    assertThat(world.slack.harvest().timeEntries()).hasSize(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE calendar_status = 'done' AND harvest_status = 'done'")).isEqualTo(1);
  }

  @Test
  void announcingARecordedDayAgainCreatesNothingAndAnEventDeletedByHandIsNotRecreated() throws Exception {
    start();
    LocalDate monday = monday();
    announceAndConfirm("off on " + monday);
    assertThat(events()).hasSize(1);
    assertThat(world.slack.harvest().timeEntries()).hasSize(1);

    // a Harvest entry deleted by hand is not re-created by announcing the day again either
    world.slack.harvest().deleteByHand(((Number) world.slack.harvest().timeEntries().get(0).get("id")).longValue());
    announceAndConfirm("off on " + monday);
    assertThat(events()).hasSize(1);
    assertThat(world.slack.harvest().timeEntries()).isEmpty();

    // someone deletes the event in Google Calendar; the day is announced again as a sick day (a change): not re-created
    world.slack.calendar().deleteByHand(LeaveWorld.CALENDAR, (String) events().get(0).get("id"));
    announceAndConfirm("off sick on " + monday);
    assertThat(events()).isEmpty();
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE calendar_status = 'deleted_by_hand'")).isEqualTo(1);
  }

  @Test
  void cancellingTheMiddleDayOfARunSplitsTheEventAndRemovesThatDaysEntry() throws Exception {
    start();
    LocalDate monday = monday();
    announceAndConfirm("off " + monday + " to " + monday.plusDays(2));
    assertThat(events()).hasSize(1);
    assertThat(world.slack.harvest().timeEntries()).hasSize(3);

    announceAndConfirm("cancel my leave on " + monday.plusDays(1));
    assertThat(events()).extracting(e -> date(e, "start") + ".." + date(e, "end")).containsExactlyInAnyOrder(
        monday + ".." + monday.plusDays(1), monday.plusDays(2) + ".." + monday.plusDays(3));
    assertThat(world.slack.harvest().timeEntries()).extracting(e -> String.valueOf(e.get("spent_date")))
        .containsExactlyInAnyOrder(monday.toString(), monday.plusDays(2).toString());
  }

  @Test
  void aHalfDayOnTheDaylightSavingChangeLandsAtTheConfiguredLocalHours() throws Exception {
    start();
    // the last Sunday of next March: Europe/London moves from GMT to BST that night
    LocalDate change = LocalDate.of(LocalDate.now().getYear() + 1, 3, 31).with(TemporalAdjusters.lastInMonth(DayOfWeek.SUNDAY));
    announceAndConfirm("taking the afternoon of " + change + " off");
    Map<String, Object> event = events().get(0);
    assertThat(date(event, "start")).as("15:00 BST").isEqualTo(change + "T15:00:00+01:00");
    assertThat(date(event, "end")).as("19:00 BST").isEqualTo(change + "T19:00:00+01:00");
    assertThat(((Map<?, ?>) event.get("start")).get("timeZone")).isEqualTo("Europe/London");
  }

  @Test
  void onePersonPostingInTwoWorkspacesBooksEachDayOnce() throws Exception {
    start();
    LocalDate monday = monday();
    String acme = world.post("T0ACME", "U0DAVEA", "off on " + monday, null);
    world.press("T0ACME", "U0DAVEA", world.awaitReply("T0ACME", acme, 1), RequestMessages.CONFIRM);
    String globex = world.post("T0GLOBEX", "U0DAVEG", "off on " + monday + " and " + monday.plusDays(1), null);
    world.press("T0GLOBEX", "U0DAVEG", world.awaitReply("T0GLOBEX", globex, 1), RequestMessages.CONFIRM);
    await().atMost(WAIT).until(() -> world.count("SELECT COUNT(*) FROM leave_request WHERE status = 'completed'") == 2);
    assertThat(events()).singleElement().satisfies(e -> {
      assertThat(date(e, "start")).isEqualTo(monday.toString());
      assertThat(date(e, "end")).isEqualTo(monday.plusDays(2).toString());
    });
    assertThat(world.slack.harvest().timeEntries()).extracting(e -> String.valueOf(e.get("spent_date")))
        .containsExactlyInAnyOrder(monday.toString(), monday.plusDays(1).toString());
    assertThat(world.slack.harvest().timeEntries()).allSatisfy(e -> assertThat(String.valueOf(e.get("user"))).contains("7002"));
  }

  @Test
  void aDayReTypedFromFullToAMorningIsRecordedAgainAsAMorning() throws Exception {
    start();
    LocalDate monday = monday();
    announceAndConfirm("off on " + monday);
    announceAndConfirm("off on the morning of " + monday + ", not the whole day");
    assertThat(events()).singleElement().satisfies(e -> assertThat(((Map<?, ?>) e.get("start")).containsKey("dateTime")).isTrue());
    assertThat(world.slack.harvest().timeEntries()).singleElement()
        .satisfies(e -> assertThat(((Number) e.get("hours")).doubleValue()).isEqualTo(4.0));
  }

  @Test
  void daysWhoseEventWasDeletedByHandStayOffTheCalendarWhenTheRunGrowsOrShrinks() throws Exception {
    start();
    LocalDate monday = monday();
    announceAndConfirm("off " + monday + " to " + monday.plusDays(1));
    world.slack.calendar().deleteByHand(LeaveWorld.CALENDAR, (String) events().get(0).get("id"));
    // a day added at the end of the deleted run gets its own event; the deleted days are not brought back
    announceAndConfirm("off on " + monday.plusDays(2) + " too");
    assertThat(events()).singleElement().satisfies(e -> {
      assertThat(date(e, "start")).isEqualTo(monday.plusDays(2).toString());
      assertThat(date(e, "end")).isEqualTo(monday.plusDays(3).toString());
    });
    // cancelling the deleted run's first day does not re-create the rest of it
    announceAndConfirm("cancel my leave on " + monday);
    assertThat(events()).singleElement().satisfies(e -> assertThat(date(e, "start")).isEqualTo(monday.plusDays(2).toString()));
  }

  @Test
  void settingsAnAdminStoresApplyWithoutARestart() throws Exception {
    start();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    world.wiring.leave.config().set(dev.tandem.leave.LeaveConfig.SPAN_WEEKENDS, json.readTree("true"), "admin@acme.example");
    world.wiring.leave.config().set(dev.tandem.leave.LeaveConfig.HALF_DAY_WINDOWS, json.readTree("{\"afternoon\":\"14:00-18:00\"}"),
        "admin@acme.example");
    world.wiring.leave.config().set(dev.tandem.leave.LeaveConfig.HOURS, json.readTree("{\"full\":7.5,\"half\":3.75}"), "admin@acme.example");
    LocalDate friday = monday().plusDays(4);
    announceAndConfirm("off on " + friday + " and " + friday.plusDays(3) + ", and the afternoon of " + friday.plusDays(4));
    assertThat(events()).extracting(e -> date(e, "start").substring(0, 10) + ".." + date(e, "end").substring(0, 10))
        .as("Friday and Monday in one event").contains(friday + ".." + friday.plusDays(4));
    Map<String, Object> afternoon = events().stream().filter(e -> ((Map<?, ?>) e.get("start")).containsKey("dateTime")).findFirst().orElseThrow();
    assertThat(date(afternoon, "start")).contains("T14:00:00");
    assertThat(world.slack.harvest().timeEntries()).extracting(e -> ((Number) e.get("hours")).doubleValue())
        .containsExactlyInAnyOrder(7.5, 7.5, 3.75);
  }
}
