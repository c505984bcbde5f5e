package dev.tandem.leave.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.Inserts;
import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the bot asked people to confirm ({@code leave_request}). Status changes are conditional
 * updates ({@code WHERE status = 'pending'}), so a double click, a click racing the expiry sweep
 * or a superseding request settle on exactly one outcome.
 */
public final class LeaveRequests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;

  /** What confirming does; a request without dates is the bot's question which dates. */
  public enum Kind { CREATE, CANCEL }

  public enum Status { PENDING, CONFIRMED, PROCESSING, COMPLETED, CANCELLED, EXPIRED }

  /**
   * One request. {@code threadTs} is the thread's root (the message's own ts when it is not a reply);
   * {@code source} says which parser read it ("rules" or "llm"); {@code released} are days an
   * earlier confirmed request of the same thread recorded that this one, the thread's whole
   * amended request, no longer holds: confirming cancels them.
   */
  public record Request(String id, String eventId, String personId, String workspaceId, String userId, String channelId, String messageTs,
      String threadTs, Kind kind, Status status, Optional<String> statusNote, List<Day> dates, List<LocalDate> dropped,
      List<LocalDate> released, String source, Optional<String> botTs, Instant expiresAt) {
    public Optional<LocalDate> lastDay() {
      return dates.isEmpty() ? Optional.empty() : Optional.of(dates.get(dates.size() - 1).date());
    }
  }

  /** Why a request was cancelled or expired ({@code status_note}), or what confirming it changed ("changed:N"). */
  public static final String NOTE_POSTER = "poster";
  public static final String NOTE_EDITED = "edited";
  public static final String NOTE_DELETED = "deleted";
  public static final String NOTE_REFUSED = "refused";
  public static final String NOTE_TIMEOUT = "timeout";
  public static final String NOTE_SUPERSEDED = "superseded";
  private static final String CHANGED = "changed:";

  public static String changedNote(int days) {
    return CHANGED + days;
  }

  /** How many days confirming changed, from its note. */
  public static int changed(Optional<String> note) {
    return note.filter(n -> n.startsWith(CHANGED)).map(n -> Integer.parseInt(n.substring(CHANGED.length()))).orElse(0);
  }

  public LeaveRequests(Jdbi jdbi, Dialect dialect, Clock clock) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
  }

  /** Stores a new request in the caller's transaction; false when its event already made one. */
  public boolean insert(Handle h, Request r) {
    long now = clock.millis();
    return Inserts.ignoringDuplicate(h, dialect, "INSERT INTO leave_request (id, event_id, person_id, workspace_id, user_id, channel_id,"
        + " message_ts, thread_ts, kind, status, payload, last_day, expires_at, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)", "event_id",
        r.id(), r.eventId(), r.personId(), r.workspaceId(), r.userId(), r.channelId(), r.messageTs(), r.threadTs(), name(r.kind()),
        payload(r), r.lastDay().map(LocalDate::toString).orElse(null), r.expiresAt().toEpochMilli(), now, now) == 1;
  }

  public Optional<Request> byId(String id) {
    return one("SELECT * FROM leave_request WHERE id = :a", id);
  }

  /** The same, in the caller's transaction. */
  public Optional<Request> byId(Handle h, String id) {
    return h.createQuery("SELECT * FROM leave_request WHERE id = :a").bind("a", id).map((rs, ctx) -> request(rs)).findOne();
  }

  public Optional<Request> byEvent(String eventId) {
    return one("SELECT * FROM leave_request WHERE event_id = :a", eventId);
  }

  /** The newest request made from a message (its post or one of its edits). */
  public Optional<Request> latestForMessage(String channelId, String messageTs) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_request WHERE channel_id = :c AND message_ts = :m ORDER BY created_at DESC")
        .bind("c", channelId).bind("m", messageTs).map((rs, ctx) -> request(rs)).findFirst());
  }

  /** Whether any request was made from a message (the gate lets its edits and deletion through). */
  public boolean anyForMessage(String channelId, String messageTs) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM leave_request WHERE channel_id = :c AND message_ts = :m")
        .bind("c", channelId).bind("m", messageTs).mapTo(Long.class).one()) > 0;
  }

  /**
   * Whether the bot is in a conversation with this person in this thread: a request still
   * pending (or asking for dates), or one confirmed whose dates are not all past (the person may
   * amend or cancel it there).
   */
  public boolean activeInThread(String channelId, String threadTs, String userId, LocalDate today) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM leave_request WHERE channel_id = :c AND thread_ts = :t AND user_id = :u"
            + " AND (status = 'pending' OR (status IN ('confirmed', 'processing', 'completed') AND last_day >= :today))")
        .bind("c", channelId).bind("t", threadTs).bind("u", userId).bind("today", today.minusDays(1).toString())
        .mapTo(Long.class).one()) > 0;
  }

  /** Ids of this person's requests in this thread that were confirmed. */
  public List<String> confirmedInThread(String channelId, String threadTs, String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM leave_request WHERE channel_id = :c AND thread_ts = :t AND user_id = :u"
            + " AND status IN ('confirmed', 'processing', 'completed')")
        .bind("c", channelId).bind("t", threadTs).bind("u", userId).mapTo(String.class).list());
  }

  /** Ids of the requests made from one message (its post and its edits) that were confirmed. */
  public List<String> confirmedForMessage(String channelId, String messageTs) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM leave_request WHERE channel_id = :c AND message_ts = :m"
            + " AND status IN ('confirmed', 'processing', 'completed')")
        .bind("c", channelId).bind("m", messageTs).mapTo(String.class).list());
  }

  /** Pending requests of this person in this thread, except {@code exceptId}: a newer one supersedes them. */
  public List<Request> pendingInThread(Handle h, String channelId, String threadTs, String userId, String exceptId) {
    return h.createQuery("SELECT * FROM leave_request WHERE channel_id = :c AND thread_ts = :t AND user_id = :u AND status = 'pending'"
            + " AND id <> :x ORDER BY created_at")
        .bind("c", channelId).bind("t", threadTs).bind("u", userId).bind("x", exceptId).map((rs, ctx) -> request(rs)).list();
  }

  /** Pending requests whose time is up. */
  public List<Request> due(int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_request WHERE status = 'pending' AND expires_at <= :now"
            + " ORDER BY expires_at LIMIT " + limit)
        .bind("now", clock.millis()).map((rs, ctx) -> request(rs)).list());
  }

  /** Moves a request from {@code from} to {@code to}; false when it was not in {@code from} (someone else got there first). */
  public boolean transition(Handle h, String id, Status from, Status to, String note) {
    return h.execute("UPDATE leave_request SET status = ?, status_note = ?, updated_at = ? WHERE id = ? AND status = ?",
        name(to), note, clock.millis(), id, name(from)) == 1;
  }

  public boolean transition(String id, Status from, Status to, String note) {
    return jdbi.withHandle(h -> transition(h, id, from, to, note));
  }

  /** Records the bot's message of a request, unless one is recorded (the first message is the request's). */
  public boolean recordBotTs(String id, String ts) {
    return jdbi.withHandle(h -> h.execute("UPDATE leave_request SET bot_ts = ?, updated_at = ? WHERE id = ? AND bot_ts IS NULL",
        ts, clock.millis(), id)) == 1;
  }

  /** A pending request re-read from its edited message: new kind and dates; false when it is no longer pending. */
  public boolean amend(Handle h, String id, Kind kind, List<Day> dates, List<LocalDate> dropped, List<LocalDate> released, String source) {
    Request shape = new Request(id, "", "", "", "", "", "", "", kind, Status.PENDING, Optional.empty(), dates, dropped, released, source,
        Optional.empty(), Instant.EPOCH);
    return h.execute("UPDATE leave_request SET kind = ?, payload = ?, last_day = ?, updated_at = ?"
        + " WHERE id = ? AND status = 'pending'", name(kind), payload(shape), shape.lastDay().map(LocalDate::toString).orElse(null),
        clock.millis(), id) == 1;
  }

  static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private Optional<Request> one(String sql, String a) {
    return jdbi.withHandle(h -> h.createQuery(sql).bind("a", a).map((rs, ctx) -> request(rs)).findOne());
  }

  private static String payload(Request r) {
    ObjectNode root = JSON.createObjectNode().put("source", r.source());
    var dates = root.putArray("dates");
    r.dates().forEach(d -> dates.addObject().put("date", d.date().toString()).put("type", d.type().json()).put("category", d.category().json()));
    var dropped = root.putArray("dropped");
    r.dropped().forEach(d -> dropped.add(d.toString()));
    var released = root.putArray("released");
    r.released().forEach(d -> released.add(d.toString()));
    return root.toString();
  }

  private static Request request(ResultSet rs) throws SQLException {
    JsonNode payload;
    try {
      payload = JSON.readTree(rs.getString("payload"));
    } catch (IOException e) {
      throw new UncheckedIOException("leave_request " + rs.getString("id") + " has an unreadable payload", e);
    }
    List<Day> dates = new ArrayList<>();
    payload.path("dates").forEach(d -> dates.add(new Day(LocalDate.parse(d.path("date").asText()),
        Type.valueOf(d.path("type").asText().toUpperCase(Locale.ROOT)), Category.valueOf(d.path("category").asText().toUpperCase(Locale.ROOT)))));
    List<LocalDate> dropped = new ArrayList<>();
    payload.path("dropped").forEach(d -> dropped.add(LocalDate.parse(d.asText())));
    List<LocalDate> released = new ArrayList<>();
    payload.path("released").forEach(d -> released.add(LocalDate.parse(d.asText())));
    return new Request(rs.getString("id"), rs.getString("event_id"), rs.getString("person_id"), rs.getString("workspace_id"),
        rs.getString("user_id"), rs.getString("channel_id"), rs.getString("message_ts"), rs.getString("thread_ts"),
        Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
        Optional.ofNullable(rs.getString("status_note")), dates, dropped, released, payload.path("source").asText("rules"),
        Optional.ofNullable(rs.getString("bot_ts")), Instant.ofEpochMilli(rs.getLong("expires_at")));
  }
}
