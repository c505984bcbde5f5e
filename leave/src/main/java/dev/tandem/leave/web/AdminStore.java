package dev.tandem.leave.web;

import dev.tandem.leave.records.LeaveRecords;
import dev.tandem.leave.steps.LeaveSteps;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** What the admin reads and changes: people, leave records and their figures. Every change is audited. */
public final class AdminStore {
  /**
   * Records the admin shows: all but deleted ones, and deleted ones whose calendar event or
   * Harvest entry is still being removed (or failed to be: the error shows, and a retry).
   */
  private static final String VISIBLE = "(r.deleted_at IS NULL OR r.calendar_status IN ('pending', 'failed')"
      + " OR r.harvest_status IN ('pending', 'failed'))";
  static final Set<String> STATUSES = Set.of("confirmed", "completed", "failed", "cancelled");
  static final Set<String> CATEGORIES = Set.of("vacation", "sick");
  private final Jdbi jdbi;
  private final Clock clock;
  private final LeaveRecords records;
  private final LeaveSteps steps;
  private final AuditLog audit;

  public record Person(String id, String name, String email, String timeZone, Long harvestUserId, boolean active, List<String> slackUsers) {}

  public record Record(String id, String personId, String personName, String day, String type, String category, String status,
      String calendarStatus, String calendarError, String harvestStatus, String harvestError, String requestId, long updatedAt,
      boolean deleting) {
    public boolean failed() {
      return "failed".equals(calendarStatus) || "failed".equals(harvestStatus);
    }
  }

  /** Which records to list; any part may be null. */
  public record Filter(String personId, String status, String category, LocalDate from, LocalDate to) {
    public static Filter of(String personId, String status, String category, String from, String to) {
      String s = blank(status);
      String c = blank(category);
      if (s != null && !STATUSES.contains(s)) {
        throw AdminException.invalid("status must be one of " + new java.util.TreeSet<>(STATUSES) + ", not '" + s + "'");
      }
      if (c != null && !CATEGORIES.contains(c)) {
        throw AdminException.invalid("category must be vacation or sick, not '" + c + "'");
      }
      LocalDate f = date(from, "from");
      LocalDate t = date(to, "to");
      if (f != null && t != null && t.isBefore(f)) {
        throw AdminException.invalid("'to' (" + t + ") is before 'from' (" + f + ")");
      }
      return new Filter(blank(personId), s, c, f, t);
    }
  }

  public record Stats(long people, long activePeople, Map<String, Long> byStatus, Map<String, Long> byCategory, long failedRecords,
      long pendingRequests) {}

  public AdminStore(Jdbi jdbi, Clock clock, LeaveRecords records, LeaveSteps steps, AuditLog audit) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.records = records;
    this.steps = steps;
    this.audit = audit;
  }

  // ---- people

  public Page<Person> people(String search, Boolean active, int page, int size) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    String q = blank(search);
    if (q != null) {
      where.append(" AND (LOWER(name) LIKE :q ESCAPE '!' OR LOWER(email) LIKE :q ESCAPE '!')");
    }
    if (active != null) {
      where.append(" AND status = :st");
    }
    return jdbi.withHandle(h -> {
      Query count = h.createQuery("SELECT COUNT(*) FROM leave_person" + where);
      Query list = h.createQuery("SELECT * FROM leave_person" + where + " ORDER BY LOWER(name), id LIMIT :l OFFSET :o")
          .bind("l", size).bind("o", (page - 1) * size);
      for (Query x : List.of(count, list)) {
        if (q != null) {
          x.bind("q", "%" + q.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (active != null) {
          x.bind("st", active ? "active" : "inactive");
        }
      }
      long total = count.mapTo(Long.class).one();
      List<Person> items = list.map((rs, ctx) -> new Person(rs.getString("id"), rs.getString("name"), rs.getString("email"),
          rs.getString("time_zone"), nullableLong(rs, "harvest_user_id"), "active".equals(rs.getString("status")), List.of())).list();
      return new Page<>(withSlackUsers(h, items), page, size, total);
    });
  }

  public Person person(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_person WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> new Person(rs.getString("id"), rs.getString("name"), rs.getString("email"), rs.getString("time_zone"),
            nullableLong(rs, "harvest_user_id"), "active".equals(rs.getString("status")), List.of()))
        .findOne().map(p -> withSlackUsers(h, List.of(p)).getFirst()))
        .orElseThrow(() -> AdminException.notFound("no person " + id));
  }

  /** Changes what an admin may change of a person: Harvest user (null clears it), time zone, active. Absent parts stay. */
  public Person updatePerson(String id, Optional<Optional<Long>> harvestUserId, Optional<String> timeZone, Optional<Boolean> active, String by) {
    Person before = person(id);
    harvestUserId.flatMap(x -> x).filter(v -> v <= 0).ifPresent(v -> {
      throw AdminException.invalid("a Harvest user id is a positive number, not " + v);
    });
    String zone = timeZone.map(String::strip).map(z -> {
      try {
        return ZoneId.of(z).getId();
      } catch (DateTimeException e) {
        throw AdminException.invalid("'" + z + "' is not a time zone (use an IANA name such as Europe/Berlin)");
      }
    }).orElse(before.timeZone());
    Long harvest = harvestUserId.isPresent() ? harvestUserId.get().orElse(null) : before.harvestUserId();
    boolean isActive = active.orElse(before.active());
    jdbi.useHandle(h -> h.execute("UPDATE leave_person SET harvest_user_id = ?, time_zone = ?, status = ?, updated_at = ? WHERE id = ?",
        harvest, zone, isActive ? "active" : "inactive", clock.millis(), id));
    Person after = person(id);
    List<String> changes = new ArrayList<>();
    if (!java.util.Objects.equals(before.harvestUserId(), after.harvestUserId())) {
      changes.add("harvest_user_id " + before.harvestUserId() + " -> " + after.harvestUserId());
    }
    if (!before.timeZone().equals(after.timeZone())) {
      changes.add("time_zone " + before.timeZone() + " -> " + after.timeZone());
    }
    if (before.active() != after.active()) {
      changes.add(after.active() ? "activated" : "deactivated");
    }
    if (!changes.isEmpty()) {
      audit.record(by, "person.update", after.name() + " (" + id + ")", String.join("; ", changes));
    }
    return after;
  }

  private List<Person> withSlackUsers(org.jdbi.v3.core.Handle h, List<Person> people) {
    if (people.isEmpty()) {
      return people;
    }
    Map<String, List<String>> users = new LinkedHashMap<>();
    h.createQuery("SELECT person_id, workspace_id, user_id FROM leave_slack_user WHERE person_id IN (<ids>) ORDER BY workspace_id, user_id")
        .bindList("ids", people.stream().map(Person::id).toList())
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2) + "/" + rs.getString(3)))
        .forEach(e -> users.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return people.stream().map(p -> new Person(p.id(), p.name(), p.email(), p.timeZone(), p.harvestUserId(), p.active(),
        List.copyOf(users.getOrDefault(p.id(), List.of())))).toList();
  }

  // ---- leave records

  public Page<Record> records(Filter f, int page, int size) {
    String where = where(f);
    return jdbi.withHandle(h -> {
      Query count = bind(h.createQuery("SELECT COUNT(*) FROM leave_record r" + where), f);
      Query list = bind(h.createQuery("SELECT r.*, p.name AS person_name FROM leave_record r JOIN leave_person p ON p.id = r.person_id" + where
          + " ORDER BY r.day DESC, p.name, r.id LIMIT :l OFFSET :o"), f).bind("l", size).bind("o", (page - 1) * size);
      return new Page<>(list.map((rs, ctx) -> record(rs)).list(), page, size, count.mapTo(Long.class).one());
    });
  }

  /** All records the filter selects, oldest day first (the CSV export). */
  public void eachRecord(Filter f, java.util.function.Consumer<Record> sink) {
    jdbi.useHandle(h -> bind(h.createQuery("SELECT r.*, p.name AS person_name FROM leave_record r JOIN leave_person p ON p.id = r.person_id"
        + where(f) + " ORDER BY r.day, p.name, r.id"), f).map((rs, ctx) -> record(rs)).forEach(sink));
  }

  public Record record(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT r.*, p.name AS person_name FROM leave_record r JOIN leave_person p ON p.id = r.person_id"
        + " WHERE r.id = :id AND " + VISIBLE).bind("id", id).map((rs, ctx) -> record(rs)).findOne())
        .orElseThrow(() -> AdminException.notFound("no leave record " + id));
  }

  /** Makes the failed steps of a record run again; 409 when none failed. */
  public Record retry(String id, String by) {
    Record r = record(id);
    if (!steps.retry(id)) {
      throw AdminException.conflict("nothing to retry: neither the calendar nor the Harvest step of " + r.day() + " (" + r.personName()
          + ") has failed");
    }
    audit.record(by, "record.retry", r.personName() + " " + r.day() + " (" + id + ")",
        "calendar " + r.calendarStatus() + ", harvest " + r.harvestStatus());
    return record(id);
  }

  /** Cancels a record: its calendar event and Harvest entry are removed by the steps. 409 when it is cancelled already. */
  public Record cancel(String id, String by) {
    Record r = record(id);
    if ("cancelled".equals(r.status())) {
      throw AdminException.conflict("the leave of " + r.personName() + " on " + r.day() + " is cancelled already");
    }
    jdbi.useTransaction(h -> steps.recordsChanged(h, r.personId(), records.cancel(h, r.personId(), List.of(LocalDate.parse(r.day())),
        r.requestId())));
    audit.record(by, "record.cancel", r.personName() + " " + r.day() + " (" + id + ")", "was " + r.status());
    return record(id);
  }

  /**
   * Deletes a record: it is cancelled first, so the usual durable steps remove its calendar event
   * and Harvest entry; it stays listed as being deleted until they have, and disappears from
   * every list and the API then. A removal that fails keeps it listed with the error (and a
   * retry). 409 when it is being deleted already.
   */
  public Record delete(String id, String by) {
    Record r = record(id);
    if (r.deleting()) {
      throw AdminException.conflict("the leave of " + r.personName() + " on " + r.day() + " is being deleted already");
    }
    jdbi.useTransaction(h -> {
      if (!"cancelled".equals(r.status())) {
        steps.recordsChanged(h, r.personId(), records.cancel(h, r.personId(), List.of(LocalDate.parse(r.day())), r.requestId()));
      }
      h.execute("UPDATE leave_record SET deleted_at = ?, updated_at = ? WHERE id = ?", clock.millis(), clock.millis(), id);
    });
    audit.record(by, "record.delete", r.personName() + " " + r.day() + " (" + id + ")", "was " + r.status()
        + ("cancelled".equals(r.status()) ? "" : "; its calendar event and Harvest entry are being removed"));
    return jdbi.withHandle(h -> h.createQuery("SELECT r.*, p.name AS person_name FROM leave_record r JOIN leave_person p ON p.id = r.person_id"
        + " WHERE r.id = :id").bind("id", id).map((rs, ctx) -> record(rs)).one());
  }

  /** Whether a record is gone from the admin (deleted, and nothing of it left to remove). */
  public boolean gone(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM leave_record r WHERE r.id = :id AND " + VISIBLE).bind("id", id)
        .mapTo(Long.class).one()) == 0;
  }

  // ---- figures

  public Stats stats(LocalDate from, LocalDate to) {
    Filter f = new Filter(null, null, null, from, to);
    return jdbi.withHandle(h -> {
      Map<String, Long> byStatus = new LinkedHashMap<>();
      new java.util.TreeSet<>(STATUSES).forEach(s -> byStatus.put(s, 0L));
      bind(h.createQuery("SELECT r.status, COUNT(*) FROM leave_record r" + where(f) + " GROUP BY r.status"), f)
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> byStatus.put(e.getKey(), e.getValue()));
      Map<String, Long> byCategory = new LinkedHashMap<>();
      byCategory.put("sick", 0L);
      byCategory.put("vacation", 0L);
      bind(h.createQuery("SELECT r.category, COUNT(*) FROM leave_record r" + where(f) + " AND r.status <> 'cancelled' GROUP BY r.category"), f)
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> byCategory.put(e.getKey(), e.getValue()));
      long people = h.createQuery("SELECT COUNT(*) FROM leave_person").mapTo(Long.class).one();
      long active = h.createQuery("SELECT COUNT(*) FROM leave_person WHERE status = 'active'").mapTo(Long.class).one();
      long failed = bind(h.createQuery("SELECT COUNT(*) FROM leave_record r" + where(f) + " AND (r.calendar_status = 'failed'"
          + " OR r.harvest_status = 'failed')"), f).mapTo(Long.class).one();
      long pending = h.createQuery("SELECT COUNT(*) FROM leave_request WHERE status = 'pending'").mapTo(Long.class).one();
      return new Stats(people, active, byStatus, byCategory, failed, pending);
    });
  }

  /** Leave (not cancelled) on days from {@code from} to {@code to}, by day then name. */
  public List<Record> away(LocalDate from, LocalDate to) {
    Filter f = new Filter(null, null, null, from, to);
    return jdbi.withHandle(h -> bind(h.createQuery("SELECT r.*, p.name AS person_name FROM leave_record r JOIN leave_person p ON p.id = r.person_id"
        + where(f) + " AND r.status <> 'cancelled' ORDER BY r.day, p.name LIMIT 500"), f).map((rs, ctx) -> record(rs)).list());
  }

  /** The most recently changed records. */
  public List<Record> recent(int n) {
    return jdbi.withHandle(h -> h.createQuery("SELECT r.*, p.name AS person_name FROM leave_record r JOIN leave_person p ON p.id = r.person_id"
        + " WHERE " + VISIBLE + " ORDER BY r.updated_at DESC, r.id LIMIT " + n).map((rs, ctx) -> record(rs)).list());
  }

  private static String where(Filter f) {
    StringBuilder w = new StringBuilder(" WHERE " + VISIBLE);
    if (f.personId() != null) {
      w.append(" AND r.person_id = :person");
    }
    if (f.status() != null) {
      w.append(" AND r.status = :status");
    }
    if (f.category() != null) {
      w.append(" AND r.category = :category");
    }
    if (f.from() != null) {
      w.append(" AND r.day >= :from");
    }
    if (f.to() != null) {
      w.append(" AND r.day <= :to");
    }
    return w.toString();
  }

  private static Query bind(Query q, Filter f) {
    if (f.personId() != null) {
      q.bind("person", f.personId());
    }
    if (f.status() != null) {
      q.bind("status", f.status());
    }
    if (f.category() != null) {
      q.bind("category", f.category());
    }
    if (f.from() != null) {
      q.bind("from", f.from().toString());
    }
    if (f.to() != null) {
      q.bind("to", f.to().toString());
    }
    return q;
  }

  private static Record record(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Record(rs.getString("id"), rs.getString("person_id"), rs.getString("person_name"), rs.getString("day"), rs.getString("type"),
        rs.getString("category"), rs.getString("status"), rs.getString("calendar_status"), rs.getString("calendar_error"),
        rs.getString("harvest_status"), rs.getString("harvest_error"), rs.getString("request_id"), rs.getLong("updated_at"),
        nullableLong(rs, "deleted_at") != null);
  }

  /** A BIGINT column that may be NULL (the SQLite driver cannot map NULL to a Long itself). */
  static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static LocalDate date(String s, String name) {
    String v = blank(s);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      throw AdminException.invalid("'" + name + "' must be a date like 2026-03-11, not '" + v + "'");
    }
  }
}
