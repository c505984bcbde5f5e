package dev.tandem.leave.records;

import dev.tandem.leave.LeaveIds;
import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** One leave record per (person, day) ({@code leave_record}). */
public final class LeaveRecords {
  private final Jdbi jdbi;
  private final Clock clock;

  public enum Status { CONFIRMED, COMPLETED, FAILED, CANCELLED }

  /** A day of someone's leave as recorded. */
  public record Record(String id, String personId, Day day, Status status, String requestId) {}

  public LeaveRecords(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** The person's records on these days that are not cancelled. */
  public List<Record> onDays(String personId, Collection<LocalDate> days) {
    if (days.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_record WHERE person_id = :p AND status <> 'cancelled' AND day IN (<days>)"
            + " ORDER BY day")
        .bind("p", personId).bindList("days", days.stream().map(LocalDate::toString).toList()).map((rs, ctx) -> record(rs)).list());
  }

  /** The person's records made by these requests that are not cancelled. */
  public List<Record> ofRequests(String personId, Collection<String> requestIds) {
    if (requestIds.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_record WHERE person_id = :p AND status <> 'cancelled'"
            + " AND request_id IN (<ids>) ORDER BY day")
        .bind("p", personId).bindList("ids", List.copyOf(requestIds)).map((rs, ctx) -> record(rs)).list());
  }

  /** Where one record's steps stand ({@code null} statuses: not started). */
  public record Steps(String recordId, Day day, String calendarStatus, String calendarError, String harvestStatus, String harvestError) {}

  /** The steps of the records a request made or changed. */
  public List<Steps> stepsOf(String requestId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_record WHERE request_id = :r ORDER BY day").bind("r", requestId)
        .map((rs, ctx) -> new Steps(rs.getString("id"), record(rs).day(), rs.getString("calendar_status"), rs.getString("calendar_error"),
            rs.getString("harvest_status"), rs.getString("harvest_error"))).list());
  }

  /** The person's leave from {@code from} on that is not cancelled, soonest first. */
  public List<Record> from(String personId, LocalDate from, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_record WHERE person_id = :p AND status <> 'cancelled' AND day >= :d"
            + " ORDER BY day LIMIT " + limit)
        .bind("p", personId).bind("d", from.toString()).map((rs, ctx) -> record(rs)).list());
  }

  /**
   * Records confirmed leave, in the caller's transaction: a new day is inserted; a day already
   * recorded with the same type and category is left as it is (announcing it again changes
   * nothing); a different type or category, or a cancelled day, is updated and confirmed again.
   * Returns the ids of the records that changed.
   */
  public List<String> confirm(Handle h, String personId, List<Day> days, String requestId) {
    long now = clock.millis();
    List<String> changed = new java.util.ArrayList<>();
    for (Day d : days) {
      var existing = h.createQuery("SELECT * FROM leave_record WHERE person_id = :p AND day = :d").bind("p", personId)
          .bind("d", d.date().toString()).map((rs, ctx) -> record(rs)).findOne();
      if (existing.isEmpty()) {
        String id = LeaveIds.newId();
        h.execute("INSERT INTO leave_record (id, person_id, day, type, category, status, request_id, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, 'confirmed', ?, ?, ?)", id, personId, d.date().toString(), d.type().json(),
            d.category().json(), requestId, now, now);
        changed.add(id);
      } else if (existing.get().status() == Status.CANCELLED || !existing.get().day().equals(d)) {
        h.execute("UPDATE leave_record SET type = ?, category = ?, status = 'confirmed', request_id = ?, deleted_at = NULL, updated_at = ?"
            + " WHERE id = ?",
            d.type().json(), d.category().json(), requestId, now, existing.get().id());
        changed.add(existing.get().id());
      }
    }
    return changed;
  }

  /** Cancels the person's records on these days, in the caller's transaction; returns the ids of those cancelled. */
  public List<String> cancel(Handle h, String personId, Collection<LocalDate> days, String requestId) {
    if (days.isEmpty()) {
      return List.of();
    }
    List<String> ids = h.createQuery("SELECT id FROM leave_record WHERE person_id = :p AND status <> 'cancelled' AND day IN (<days>)")
        .bind("p", personId).bindList("days", days.stream().map(LocalDate::toString).toList()).mapTo(String.class).list();
    if (!ids.isEmpty()) {
      h.createUpdate("UPDATE leave_record SET status = 'cancelled', request_id = :r, updated_at = :now WHERE id IN (<ids>)")
          .bind("r", requestId).bind("now", clock.millis()).bindList("ids", ids).execute();
    }
    return ids;
  }

  private static Record record(java.sql.ResultSet rs) throws java.sql.SQLException {
    Day day = new Day(LocalDate.parse(rs.getString("day")), Type.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
        Category.valueOf(rs.getString("category").toUpperCase(Locale.ROOT)));
    return new Record(rs.getString("id"), rs.getString("person_id"), day, Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
        rs.getString("request_id"));
  }
}
