package dev.tandem.leave.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import dev.tandem.core.faults.FaultPoints;
import dev.tandem.core.jobs.JobContext;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.web.HealthCheck;
import dev.tandem.leave.LeaveConfig;
import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import dev.tandem.leave.people.LeavePeople;
import dev.tandem.leave.people.LeavePeople.Person;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records confirmed leave in Google Calendar and Harvest, each step on its own and exactly once.
 *
 * <p>Harvest: one entry per record ({@value #HARVEST_JOB}, per record), created with our record id
 * as its external reference, so an entry whose id was not stored (a crash) is found, not made
 * again. Calendar: a reconcile per person ({@value #CALENDAR_JOB}, ordered per person): the events
 * the person should have ({@link CalendarPlan}) against those we own; our event ids are
 * deterministic, so an insert repeated after a crash answers 409 and the event is adopted, and an
 * event deleted by hand (its id stays taken) is not re-created. Transient failures are retried for
 * a short while; then the step is failed, shown in Slack, and waits for a person ({@code tandem
 * leave retry}).
 */
public final class LeaveSteps {
  public static final String CALENDAR_JOB = "leave.calendar";
  public static final String HARVEST_JOB = "leave.harvest";
  /** Crash tests stop the process here: the event exists in Google, its row does not. */
  public static final String AFTER_EVENT_INSERT = "leave.after_event_insert";
  static final int ATTEMPTS = 6;
  private static final Logger log = LoggerFactory.getLogger(LeaveSteps.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

  private final Jdbi jdbi;
  private final JobQueue queue;
  private final StepSettings settings;
  private final LeavePeople people;
  private final Clock clock;
  private final Optional<GoogleCalendar> calendar;
  private final Optional<HarvestClient> harvest;
  private final BiConsumer<Handle, String> requestChanged;
  private final java.util.function.Supplier<LeaveConfig.Recording> recording;

  /**
   * @param recording the half-day windows, hours and weekend spanning in force (admins change them at run time)
   * @param requestChanged called (in the transaction) when a request's steps moved on: its message is rendered again
   */
  public LeaveSteps(Jdbi jdbi, JobQueue queue, StepSettings settings, java.util.function.Supplier<LeaveConfig.Recording> recording,
      LeavePeople people, Clock clock, BiConsumer<Handle, String> requestChanged) {
    this.recording = recording;
    this.jdbi = jdbi;
    this.queue = queue;
    this.settings = settings;
    this.people = people;
    this.clock = clock;
    this.calendar = settings.calendar().map(GoogleCalendar::new);
    this.harvest = settings.harvest().map(HarvestClient::new);
    this.requestChanged = requestChanged;
  }

  /**
   * Records of a person changed (confirmed, re-typed or cancelled), in the caller's transaction:
   * their steps become pending and the jobs that carry them out are enqueued with them.
   */
  public void recordsChanged(Handle h, String personId, List<String> recordIds) {
    if (recordIds.isEmpty()) {
      return;
    }
    long now = clock.millis();
    for (String id : recordIds) {
      h.execute("UPDATE leave_record SET calendar_status = ?, calendar_error = ?, harvest_status = ?, harvest_error = ?,"
              + " harvest_gen = harvest_gen + 1, updated_at = ? WHERE id = ?",
          calendar.isPresent() ? "pending" : "skipped", calendar.isPresent() ? null : "Google Calendar is not configured",
          harvest.isPresent() ? "pending" : "skipped", harvest.isPresent() ? null : "Harvest is not configured", now, id);
      harvest.ifPresent(x -> queue.enqueue(h, JobRequest.of(HARVEST_JOB, json("record", id)).orderedBy(HARVEST_JOB + ":" + id)
          .attempts(ATTEMPTS)));
    }
    calendar.ifPresent(x -> queue.enqueue(h, JobRequest.of(CALENDAR_JOB, json("person", personId)).orderedBy(CALENDAR_JOB + ":" + personId)
        .attempts(ATTEMPTS)));
    if (calendar.isEmpty() && harvest.isEmpty()) {
      complete(h, recordIds, false); // nowhere to record: the request is complete as it stands (its caller renders it)
    }
  }

  /** Makes the failed steps of a record pending again and enqueues them; false when none had failed (or none can run: not configured). */
  public boolean retry(String recordId) {
    return jdbi.inTransaction(h -> {
      var row = h.createQuery("SELECT person_id, calendar_status, harvest_status FROM leave_record WHERE id = :id").bind("id", recordId)
          .mapToMap().findOne();
      if (row.isEmpty()) {
        throw new IllegalArgumentException("no leave record " + recordId);
      }
      boolean calendarFailed = "failed".equals(row.get().get("calendar_status"));
      boolean harvestFailed = "failed".equals(row.get().get("harvest_status"));
      String person = (String) row.get().get("person_id");
      if (calendarFailed && calendar.isPresent()) {
        h.execute("UPDATE leave_record SET calendar_status = 'pending', calendar_error = NULL WHERE id = ?", recordId);
        queue.enqueue(h, JobRequest.of(CALENDAR_JOB, json("person", person)).orderedBy(CALENDAR_JOB + ":" + person).attempts(ATTEMPTS));
      }
      if (harvestFailed && harvest.isPresent()) {
        h.execute("UPDATE leave_record SET harvest_status = 'pending', harvest_error = NULL, harvest_gen = harvest_gen + 1 WHERE id = ?",
            recordId);
        queue.enqueue(h, JobRequest.of(HARVEST_JOB, json("record", recordId)).orderedBy(HARVEST_JOB + ":" + recordId).attempts(ATTEMPTS));
      }
      settle(h, List.of(recordId));
      return (calendarFailed && calendar.isPresent()) || (harvestFailed && harvest.isPresent());
    });
  }

  /**
   * Harvest's active users by lower-cased email, for mapping people; empty when Harvest is not
   * configured. Throws IllegalStateException with Harvest's answer when it cannot be read.
   */
  public Optional<java.util.Map<String, Long>> harvestUsers() {
    if (harvest.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(harvest.get().activeUsers());
    } catch (StepFailure e) {
      throw new IllegalStateException("Harvest's users could not be read: " + e.getMessage(), e);
    }
  }

  public void registerJobs(JobRegistry jobs) {
    jobs.handle(CALENDAR_JOB, this::calendarJob);
    jobs.handle(HARVEST_JOB, this::harvestJob);
  }

  public List<HealthCheck> healthChecks() {
    return List.of(
        HealthCheck.of("leave.calendar", () -> calendar.isEmpty() ? HealthCheck.Status.notConfigured("TANDEM_LEAVE_GOOGLE_* not set")
            : HealthCheck.Status.up("calendar " + calendar.get().check())),
        HealthCheck.of("leave.harvest", () -> harvest.isEmpty() ? HealthCheck.Status.notConfigured("TANDEM_LEAVE_HARVEST_* not set")
            : HealthCheck.Status.up("token of " + harvest.get().check())));
  }

  // ---- Harvest ----

  /** One record's row as the Harvest step needs it; {@code gen} is the generation the job works for. */
  private record HarvestRow(String id, String personId, Day day, boolean cancelled, String harvestStatus, Optional<Long> entryId, int gen,
      String requestId, String permalink) {}

  private void harvestJob(JobContext job) throws Exception {
    String id = JSON.readTree(job.payload()).path("record").asText();
    Optional<HarvestRow> found = jdbi.withHandle(h -> h.createQuery("SELECT r.*, q.channel_id, q.message_ts FROM leave_record r"
        + " JOIN leave_request q ON q.id = r.request_id WHERE r.id = :id").bind("id", id).map((rs, ctx) -> {
          long entry = rs.getLong("harvest_entry_id");
          Optional<Long> entryId = rs.wasNull() ? Optional.empty() : Optional.of(entry);
          return new HarvestRow(rs.getString("id"), rs.getString("person_id"), day(rs), "cancelled".equals(rs.getString("status")),
              rs.getString("harvest_status"), entryId, rs.getInt("harvest_gen"), rs.getString("request_id"),
              permalink(rs.getString("channel_id"), rs.getString("message_ts")));
        }).findOne());
    if (found.isEmpty() || !"pending".equals(found.get().harvestStatus())) {
      return;
    }
    HarvestRow r = found.get();
    if (harvest.isEmpty()) {
      finishHarvest(r, "skipped", null, "Harvest is not configured");
      return;
    }
    try {
      harvestStep(r);
    } catch (StepFailure | RuntimeException e) {
      if ((!(e instanceof StepFailure f) || f.isTransient()) && job.attempt() < job.maxAttempts()) {
        throw e;
      }
      log.warn("leave: Harvest step of record {} failed: {}", r.id(), e.toString());
      finishHarvest(r, "failed", r.entryId().orElse(null), String.valueOf(e.getMessage()));
    }
  }

  /**
   * Makes Harvest hold exactly what the record says: the entries made for it (the stored one, and
   * any made under its reference whose id was lost) are kept when they match, deleted otherwise
   * (a cancelled day, a re-typed one), and the one missing is created.
   */
  private void harvestStep(HarvestRow r) throws StepFailure {
    HarvestClient client = harvest.get();
    Person person = people.byId(r.personId()).orElseThrow();
    long task = r.day().category() == Category.SICK ? client.settings().sickTaskId() : client.settings().vacationTaskId();
    LeaveConfig.Recording now = recording.get();
    double hours = r.day().type() == Type.FULL ? now.fullDayHours() : now.halfDayHours();
    List<HarvestClient.Entry> made = client.findByReference(r.id());
    Optional<HarvestClient.Entry> keep = r.cancelled() ? Optional.empty()
        : made.stream().filter(e -> e.taskId() == task && Math.abs(e.hours() - hours) < 0.001).findFirst();
    java.util.Set<Long> extra = new java.util.LinkedHashSet<>();
    r.entryId().ifPresent(extra::add);
    made.forEach(e -> extra.add(e.id()));
    keep.ifPresent(k -> extra.remove(k.id()));
    for (long entry : extra) {
      client.delete(entry); // one deleted by hand already is fine
    }
    if (r.cancelled()) {
      finishHarvest(r, "removed", null, null);
      return;
    }
    if (keep.isPresent()) {
      finishHarvest(r, "done", keep.get().id(), null);
      return;
    }
    Optional<Long> harvestUser = person.harvestUserId();
    if (harvestUser.isEmpty() && person.email().isPresent()) {
      harvestUser = client.userByEmail(person.email().get()); // mapped by email, once
      harvestUser.ifPresent(mapped -> people.setHarvestUserId(person.id(), mapped));
    }
    if (harvestUser.isEmpty()) {
      finishHarvest(r, "skipped", null, "no Harvest user for " + person.name() + person.email().map(e -> " <" + e + ">").orElse("")
          + ": an admin sets their Harvest id");
      return;
    }
    long entry = client.create(harvestUser.get(), task, r.day().date(), r.day().type() == Type.HALF_PM, hours, notes(r.day()), r.id(),
        r.requestId(), r.permalink());
    finishHarvest(r, "done", entry, null);
  }

  /** Records the step's outcome, unless the record changed since the job read it (its newer job carries on). */
  private void finishHarvest(HarvestRow r, String status, Long entryId, String error) {
    jdbi.useTransaction(h -> {
      int updated = h.execute("UPDATE leave_record SET harvest_status = ?, harvest_entry_id = ?, harvest_error = ?,"
          + " harvest_attempts = harvest_attempts + 1, updated_at = ? WHERE id = ? AND harvest_gen = ?", status, entryId,
          error == null ? null : cut(error), clock.millis(), r.id(), r.gen());
      if (updated == 1) {
        settle(h, List.of(r.id()));
      } else {
        log.info("leave: record {} changed while its Harvest step ran; its newer step carries on", r.id());
      }
    });
  }

  private static String notes(Day d) {
    String half = switch (d.type()) {
      case FULL -> "";
      case HALF_AM -> " (morning)";
      case HALF_PM -> " (afternoon)";
    };
    return (d.category() == Category.SICK ? "Sick leave" : "Vacation") + half + ", recorded by Tandem";
  }

  // ---- Calendar ----

  /** An event we own, as stored. */
  private record Owned(String id, LocalDate first, LocalDate last, Type type, String status, String fingerprint) {}

  private void calendarJob(JobContext job) throws Exception {
    String personId = JSON.readTree(job.payload()).path("person").asText();
    try {
      if (calendar.isEmpty()) {
        throw new StepFailure("Google Calendar is not configured", 0, false, null);
      }
      reconcile(people.byId(personId).orElseThrow());
    } catch (StepFailure | RuntimeException e) {
      if ((!(e instanceof StepFailure f) || f.isTransient()) && job.attempt() < job.maxAttempts()) {
        throw e;
      }
      log.warn("leave: calendar step of person {} failed: {}", personId, e.toString());
      jdbi.useTransaction(h -> {
        List<String> pending = h.createQuery("SELECT id FROM leave_record WHERE person_id = :p AND calendar_status = 'pending'")
            .bind("p", personId).mapTo(String.class).list();
        for (String id : pending) {
          h.execute("UPDATE leave_record SET calendar_status = 'failed', calendar_error = ?, calendar_attempts = calendar_attempts + 1,"
              + " updated_at = ? WHERE id = ?", cut(String.valueOf(e.getMessage())), clock.millis(), id);
        }
        settle(h, pending);
      });
    }
  }

  /** Brings the person's events in line with their active records. */
  private void reconcile(Person person) throws StepFailure {
    GoogleCalendar google = calendar.get();
    List<CalendarPlan.Entry> active = new ArrayList<>();
    Map<String, String> links = new HashMap<>();
    List<Owned> owned = new ArrayList<>();
    List<CalendarPlan.Planned> plan;
    do {
      active.clear();
      owned.clear();
      jdbi.useHandle(h -> h.createQuery("SELECT r.*, q.channel_id, q.message_ts FROM leave_record r JOIN leave_request q ON q.id = r.request_id"
              // days whose event a person deleted by hand stay off the calendar, whatever is announced next to them
              + " WHERE r.person_id = :p AND r.status <> 'cancelled' AND (r.calendar_status IS NULL OR r.calendar_status <> 'deleted_by_hand')")
          .bind("p", person.id())
          .map((rs, ctx) -> {
            links.put(rs.getString("id"), permalink(rs.getString("channel_id"), rs.getString("message_ts")));
            return new CalendarPlan.Entry(rs.getString("id"), day(rs));
          }).forEach(active::add));
      owned.addAll(jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_calendar_event WHERE person_id = :p ORDER BY created_at")
          .bind("p", person.id()).map((rs, ctx) -> new Owned(rs.getString("id"), LocalDate.parse(rs.getString("first_day")),
              LocalDate.parse(rs.getString("last_day")), Type.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)), rs.getString("status"),
              rs.getString("fingerprint")))
          .list()));
      plan = CalendarPlan.plan(person.id(), active, recording.get().spanWeekends());
    } while (foundDeletedByHand(google, plan, owned));
    List<String> keep = new ArrayList<>();
    for (CalendarPlan.Planned p : plan) {
      // the newest event we made for this first day and type decides: live (patch), gone (deleted by hand), deleted by us (a new id)
      Optional<Owned> latest = owned.stream().filter(o -> o.first().equals(p.first()) && o.type() == p.type()).reduce((a, b) -> b);
      String id = latest.isPresent() && (latest.get().status().equals("deleted") || latest.get().status().equals("deleting"))
          ? CalendarPlan.eventId(person.id(), p.first(), p.type()) + Long.toString(owned.stream()
              .filter(o -> o.first().equals(p.first()) && o.type() == p.type()).count(), 32)
          : p.id();
      Event desired = event(id, p, person, links.get(p.recordIds().get(0)));
      String outcome;
      if (latest.isPresent() && latest.get().status().equals("gone")) {
        outcome = "deleted_by_hand";
      } else if (latest.isPresent() && latest.get().status().equals("live")) {
        Owned o = latest.get();
        // unchanged when it shows the same days, category and records as when it was last written
        boolean unchanged = fingerprint(p).equals(o.fingerprint());
        outcome = unchanged || (live(google, o.id()) && google.patch(o.id(), desired.clone().setId(null))) ? "done" : "deleted_by_hand";
        id = o.id();
      } else if (google.insert(desired)) {
        FaultPoints.reached(AFTER_EVENT_INSERT);
        outcome = "done";
      } else {
        // the id is taken: our own insert whose answer or row was lost (adopt it), or an event deleted by hand
        outcome = live(google, id) && google.patch(id, desired.clone().setId(null)) ? "done" : "deleted_by_hand";
      }
      storeEvent(person.id(), id, p, outcome.equals("done") ? "live" : "gone", fingerprint(p));
      keep.add(id);
      String eventId = id;
      jdbi.useTransaction(h -> {
        List<String> moved = new ArrayList<>(); // only records whose step changes: old requests are not rendered again for nothing
        for (String record : p.recordIds()) {
          int updated = h.execute("UPDATE leave_record SET calendar_status = ?, calendar_event_id = ?, calendar_error = ?,"
                  + " calendar_attempts = calendar_attempts + 1, updated_at = ? WHERE id = ? AND (calendar_status IS NULL"
                  + " OR calendar_status <> ? OR calendar_event_id IS NULL OR calendar_event_id <> ?)", outcome, eventId,
              outcome.equals("done") ? null : "the calendar event was deleted in Google Calendar; it is not re-created", clock.millis(), record,
              outcome, eventId);
          if (updated == 1) {
            moved.add(record);
          }
        }
        settle(h, moved);
      });
    }
    for (Owned o : owned) {
      // marked first: a crash between the two leaves 'deleting', which the next reconcile finishes (never "deleted by hand")
      if ((o.status().equals("live") && !keep.contains(o.id())) || o.status().equals("deleting")) {
        jdbi.useHandle(h -> h.execute("UPDATE leave_calendar_event SET status = 'deleting', updated_at = ? WHERE id = ?", clock.millis(), o.id()));
        google.delete(o.id());
        jdbi.useHandle(h -> h.execute("UPDATE leave_calendar_event SET status = 'deleted', updated_at = ? WHERE id = ?", clock.millis(), o.id()));
      }
    }
    // cancelled days no event shows any more
    jdbi.useTransaction(h -> {
      List<String> removed = h.createQuery("SELECT id FROM leave_record WHERE person_id = :p AND status = 'cancelled'"
          + " AND calendar_status = 'pending'").bind("p", person.id()).mapTo(String.class).list();
      for (String id : removed) {
        h.execute("UPDATE leave_record SET calendar_status = 'removed', calendar_event_id = NULL, updated_at = ? WHERE id = ?",
            clock.millis(), id);
      }
      settle(h, removed);
    });
  }

  /**
   * Before an event of ours is changed: if a person deleted it by hand, the days it showed are
   * marked so (and stay off the calendar) and the plan is made again without them, so that days
   * announced next to them get events of their own. True when one was found.
   */
  private boolean foundDeletedByHand(GoogleCalendar google, List<CalendarPlan.Planned> plan, List<Owned> owned) throws StepFailure {
    for (CalendarPlan.Planned p : plan) {
      Optional<Owned> latest = owned.stream().filter(o -> o.first().equals(p.first()) && o.type() == p.type()).reduce((a, b) -> b);
      if (latest.isPresent() && latest.get().status().equals("live") && !fingerprint(p).equals(latest.get().fingerprint())
          && !live(google, latest.get().id())) {
        String gone = latest.get().id();
        jdbi.useTransaction(h -> {
          h.execute("UPDATE leave_calendar_event SET status = 'gone', updated_at = ? WHERE id = ?", clock.millis(), gone);
          List<String> shown = h.createQuery("SELECT id FROM leave_record WHERE calendar_event_id = :e AND status <> 'cancelled'")
              .bind("e", gone).mapTo(String.class).list();
          for (String id : shown) {
            h.execute("UPDATE leave_record SET calendar_status = 'deleted_by_hand', calendar_error = ?, updated_at = ? WHERE id = ?",
                "the calendar event was deleted in Google Calendar; it is not re-created", clock.millis(), id);
          }
          settle(h, shown);
        });
        return true;
      }
    }
    return false;
  }

  /** Whether the event exists and is not deleted (Google keeps deleted events, as "cancelled", and refuses to patch them). */
  private static boolean live(GoogleCalendar google, String id) throws StepFailure {
    return google.get(id).map(e -> !"cancelled".equals(e.getStatus())).orElse(false);
  }

  private void storeEvent(String personId, String id, CalendarPlan.Planned p, String status, String fingerprint) {
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      int updated = h.execute("UPDATE leave_calendar_event SET first_day = ?, last_day = ?, status = ?, fingerprint = ?, updated_at = ?"
          + " WHERE id = ?", p.first().toString(), p.last().toString(), status, fingerprint, now, id);
      if (updated == 0) {
        h.execute("INSERT INTO leave_calendar_event (id, person_id, calendar_id, first_day, last_day, type, status, fingerprint, created_at,"
            + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, personId, calendar.get().calendarId(), p.first().toString(),
            p.last().toString(), p.type().json(), status, fingerprint, now, now);
      }
    });
  }

  /** What an event shows: its days, type, category and records. */
  private static String fingerprint(CalendarPlan.Planned p) {
    return Integer.toHexString((p.first() + "|" + p.last() + "|" + p.type() + "|" + p.category() + "|" + String.join(",", p.recordIds()))
        .hashCode());
  }

  private Event event(String id, CalendarPlan.Planned p, Person person, String link) {
    String what = p.category() == Category.SICK ? "Sick leave" : "Vacation";
    Event e = new Event().setId(id).setTransparency("opaque");
    if (p.type() == Type.FULL) {
      e.setSummary(what + ": " + person.name())
          .setStart(new EventDateTime().setDate(new com.google.api.client.util.DateTime(p.first().toString())))
          .setEnd(new EventDateTime().setDate(new com.google.api.client.util.DateTime(p.last().plusDays(1).toString())));
    } else {
      StepSettings.Window w = p.type() == Type.HALF_AM ? recording.get().morning() : recording.get().afternoon();
      String zone = person.zone().getId();
      e.setSummary(what + (p.type() == Type.HALF_AM ? " (morning)" : " (afternoon)") + ": " + person.name())
          .setStart(new EventDateTime().setDateTime(rfc3339(ZonedDateTime.of(p.first(), w.start(), person.zone()))).setTimeZone(zone))
          .setEnd(new EventDateTime().setDateTime(rfc3339(ZonedDateTime.of(p.first(), w.end(), person.zone()))).setTimeZone(zone));
    }
    String days = p.first().equals(p.last()) ? DAY.format(p.first()) : DAY.format(p.first()) + " to " + DAY.format(p.last());
    e.setDescription(person.name() + " is on " + what.toLowerCase(Locale.ROOT) + ": " + days + ".\nAnnounced in Slack: " + link
        + "\nRecorded by Tandem.");
    String records = String.join(",", p.recordIds());
    Map<String, String> ours = new HashMap<>(); // mutable: the client library copies events through reflection
    ours.put("tandem_person", person.id());
    ours.put("tandem_event", id);
    ours.put("tandem_records", records.length() <= 1000 ? records : records.substring(0, records.lastIndexOf(',', 1000)));
    e.setExtendedProperties(new Event.ExtendedProperties().setPrivate(ours));
    return e;
  }

  private static com.google.api.client.util.DateTime rfc3339(ZonedDateTime t) {
    return new com.google.api.client.util.DateTime(t.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
  }

  // ---- both ----

  /**
   * Moves the requests of these records on: completed when every step of every record of theirs has
   * ended (done, skipped, removed, failed, deleted by hand), processing while some are pending;
   * their messages are rendered again.
   */
  private void settle(Handle h, List<String> recordIds) {
    complete(h, recordIds, true);
  }

  private void complete(Handle h, List<String> recordIds, boolean render) {
    if (recordIds.isEmpty()) {
      return;
    }
    // the requests first, locked (before any read of this transaction): two steps ending together must not both see the other pending
    h.createUpdate("UPDATE leave_request SET updated_at = :now WHERE id IN (SELECT request_id FROM leave_record WHERE id IN (<ids>))")
        .bind("now", clock.millis()).bindList("ids", recordIds).execute();
    // a record is completed when both its steps have ended well (done, skipped, removed), failed when one failed
    h.createUpdate("UPDATE leave_record SET status = CASE WHEN calendar_status = 'failed' OR harvest_status = 'failed' THEN 'failed'"
            + " ELSE 'completed' END WHERE id IN (<ids>) AND status IN ('confirmed', 'completed', 'failed')"
            + " AND calendar_status <> 'pending' AND harvest_status <> 'pending'")
        .bindList("ids", recordIds).execute();
    List<String> requests = h.createQuery("SELECT DISTINCT request_id FROM leave_record WHERE id IN (<ids>)").bindList("ids", recordIds)
        .mapTo(String.class).list();
    for (String request : requests) {
      long open = h.createQuery("SELECT COUNT(*) FROM leave_record WHERE request_id = :r AND (calendar_status = 'pending'"
          + " OR harvest_status = 'pending')").bind("r", request).mapTo(Long.class).one();
      h.execute("UPDATE leave_request SET status = ?, updated_at = ? WHERE id = ? AND status IN ('confirmed', 'processing', 'completed')",
          open == 0 ? "completed" : "processing", clock.millis(), request);
      if (render) {
        requestChanged.accept(h, request);
      }
    }
  }

  private static Day day(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Day(LocalDate.parse(rs.getString("day")), Type.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
        Category.valueOf(rs.getString("category").toUpperCase(Locale.ROOT)));
  }

  /** Slack's link to a message, which works for anyone in the workspace. */
  static String permalink(String channel, String ts) {
    return "https://slack.com/archives/" + channel + "/p" + ts.replace(".", "");
  }

  private static String json(String key, String value) {
    return JSON.createObjectNode().put(key, value).toString();
  }

  private static String cut(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 999) + "…";
  }
}
