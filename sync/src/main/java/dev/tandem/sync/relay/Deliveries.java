package dev.tandem.sync.relay;

import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.Inserts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code sync_delivery} rows: what each delivery is, and how far it got. */
final class Deliveries {
  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private static final java.time.Duration ECHO_WAIT = java.time.Duration.ofSeconds(2);
  /**
   * The copy ts of creates this process recorded, for a while: the echo of that copy has nothing
   * to add, so it costs no database read or write (most echoes arrive after the record).
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, String> settled = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
      .maximumSize(100_000).expireAfterWrite(java.time.Duration.ofMinutes(1)).build();

  /**
   * Creates this process is recording now (Slack answered, the transaction is under way), by id:
   * the echo of such a post waits for the record instead of queueing for the row's lock.
   */
  private final java.util.concurrent.ConcurrentMap<String, Recording> recording = new java.util.concurrent.ConcurrentHashMap<>();

  /** A create whose copy {@code ts} is being recorded; {@link #close} when the attempt to record it has ended. */
  final class Recording implements AutoCloseable {
    private final String id;
    private final String ts;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    private Recording(String id, String ts) {
      this.id = id;
      this.ts = ts;
    }

    @Override
    public void close() {
      recording.remove(id, this);
      ended.countDown();
    }
  }

  /** Announces that this process is about to record {@code ts} as the copy of create {@code id}. */
  Recording recording(String id, String ts) {
    Recording r = new Recording(id, ts);
    recording.put(id, r);
    return r;
  }

  Deliveries(Jdbi jdbi, Dialect dialect, Clock clock) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
  }

  enum Op { CREATE, EDIT, DELETE, REACT, FILES }

  enum Status { QUEUED, POSTING, DONE, SKIPPED, FAILED }

  record Delivery(String id, String eventId, Op op, String postId, String sourceWorkspaceId, String sourceChannelId, String sourceTs,
      String targetWorkspaceId, String targetChannelId, Optional<String> detail, Status status, int attempt, Optional<Long> postingSince,
      Optional<String> targetTs, Optional<String> fileIds, long receivedAt) {
    String orderingKey() {
      return "sync:" + targetWorkspaceId + ":" + targetChannelId;
    }
  }

  /** A delivery id derived from what caused it, so that a repeated fan-out lands on the same row. */
  static String id(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(p.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Inserts the delivery unless it exists; returns whether it is new. */
  boolean insert(Handle h, Delivery d) {
    return Inserts.ignoringDuplicate(h, dialect, """
            INSERT INTO sync_delivery (id, event_id, op, post_id, source_workspace_id, source_channel_id, source_ts,
              target_workspace_id, target_channel_id, detail, status, attempt, received_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)""", "id",
        d.id(), d.eventId(), d.op().name().toLowerCase(Locale.ROOT), d.postId(), d.sourceWorkspaceId(), d.sourceChannelId(), d.sourceTs(),
        d.targetWorkspaceId(), d.targetChannelId(), d.detail().orElse(null), d.receivedAt(), clock.millis()) > 0;
  }

  Optional<Delivery> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  Optional<Delivery> find(Handle h, String id) {
    return h.createQuery("SELECT * FROM sync_delivery WHERE id = :id").bind("id", id).map((rs, ctx) -> {
      long since = rs.getLong("posting_since");
      Optional<Long> postingSince = rs.wasNull() ? Optional.empty() : Optional.of(since);
      return new Delivery(rs.getString("id"), rs.getString("event_id"), Op.valueOf(rs.getString("op").toUpperCase(Locale.ROOT)),
          rs.getString("post_id"), rs.getString("source_workspace_id"), rs.getString("source_channel_id"), rs.getString("source_ts"),
          rs.getString("target_workspace_id"), rs.getString("target_channel_id"), Optional.ofNullable(rs.getString("detail")),
          Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getInt("attempt"), postingSince,
          Optional.ofNullable(rs.getString("target_ts")), Optional.ofNullable(rs.getString("file_ids")), rs.getLong("received_at"));
    }).findOne();
  }

  /** The create delivery of a post towards a channel (what edits, replies and reactions wait for). */
  Optional<Delivery> creation(String postId, String workspaceId, String channelId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM sync_delivery WHERE post_id = :p AND target_workspace_id = :w"
            + " AND target_channel_id = :c AND op = 'create'")
        .bind("p", postId).bind("w", workspaceId).bind("c", channelId).mapTo(String.class).findOne().flatMap(id -> find(h, id)));
  }

  /** Queued creates of earlier (or the same) top-level messages of the same source channel towards the same target, oldest first. */
  java.util.List<Delivery> earlierQueuedCreates(Delivery d) {
    return jdbi.withHandle(h -> earlierQueuedCreates(h, d));
  }

  /** A delivery and, for a create, the queued creates it must catch up first: one connection for both. */
  record Loaded(Delivery delivery, java.util.List<Delivery> earlier) {}

  Optional<Loaded> load(String id) {
    return jdbi.withHandle(h -> find(h, id).map(d -> new Loaded(d,
        d.op() == Op.CREATE && (d.status() == Status.QUEUED || d.status() == Status.POSTING) ? earlierQueuedCreates(h, d)
            : java.util.List.of())));
  }

  private java.util.List<Delivery> earlierQueuedCreates(Handle h, Delivery d) {
    return h.createQuery("""
            SELECT id FROM sync_delivery WHERE target_workspace_id = :tw AND target_channel_id = :tc AND status = 'queued'
              AND op = 'create' AND detail IS NULL AND source_workspace_id = :sw AND source_channel_id = :sc AND source_ts <= :ts AND id <> :id
            ORDER BY source_ts LIMIT 50""")
        .bind("tw", d.targetWorkspaceId()).bind("tc", d.targetChannelId()).bind("sw", d.sourceWorkspaceId())
        .bind("sc", d.sourceChannelId()).bind("ts", d.sourceTs()).bind("id", d.id()).mapTo(String.class).list()
        .stream().map(id -> find(h, id).orElseThrow()).toList();
  }

  /**
   * Committed before posting a copy on behalf of another delivery's job (a catch-up): from here on
   * its outcome may be unknown until the copy is found.
   */
  void posting(String id) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_delivery SET status = 'posting', posting_since = ? WHERE id = ?", clock.millis(), id));
  }

  /** Attempts up to {@code attempt} of this delivery's job are known to have stopped before posting. */
  void clean(String id, int attempt) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_delivery SET attempt = ? WHERE id = ? AND attempt < ?", attempt, id, attempt));
  }

  /** Slack answered; the outcome is known. Returns false when it was already finished (by a catch-up). */
  boolean finish(Handle h, String id, Status status, Optional<String> targetTs, Optional<String> error) {
    return h.execute("UPDATE sync_delivery SET status = ?, target_ts = COALESCE(target_ts, ?), error = ?, done_at = ?"
            + " WHERE id = ? AND status IN ('queued', 'posting')",
        status.name().toLowerCase(Locale.ROOT), targetTs.orElse(null), error.map(e -> e.length() > 1000 ? e.substring(0, 1000) : e)
            .orElse(null), clock.millis(), id) > 0;
  }

  /**
   * A create (or a reaction notice) found or made the message {@code ts}: records it as the copy, unless an echo already
   * recorded another message of this delivery (an earlier attempt's post whose answer was lost),
   * which then stays the copy. Returns the copy's ts; when it is not {@code ts}, that message is a
   * duplicate for the caller to remove. The copy's ts never changes once stored.
   */
  String finishCreate(Handle h, String id, String ts, Optional<String> note) {
    long now = clock.millis();
    int won = h.execute("UPDATE sync_delivery SET status = 'done', target_ts = ?, error = ?, done_at = ?"
        + " WHERE id = ? AND status IN ('queued', 'posting') AND (target_ts IS NULL OR target_ts = ?)", ts, note.orElse(null), now, id, ts);
    String copy = ts;
    if (won == 0) {
      copy = h.createQuery("SELECT target_ts FROM sync_delivery WHERE id = :id").bind("id", id).mapTo(String.class).findOne().orElse(ts);
      h.execute("UPDATE sync_delivery SET status = 'done', target_ts = ?, done_at = ? WHERE id = ? AND status IN ('queued', 'posting')",
          copy, now, id);
    }
    String settledTs = copy;
    h.afterCommit(() -> settled.put(id, settledTs));
    return copy;
  }

  /** Back to queued: Slack answered 429 or the budget was spent, so nothing was posted. */
  void queued(String id) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_delivery SET status = 'queued', posting_since = NULL WHERE id = ? AND status = 'posting'", id));
  }

  /**
   * Slack's echo of a message we posted for create {@code id}: notes its ts as the copy when none
   * is recorded yet. Returns whether the echoed message may be a duplicate (another message is, or
   * may become, the copy), for {@link Duplicates} to settle.
   */
  boolean echoed(String id, String workspaceId, String channelId, String ts) {
    Recording underway = recording.get(id);
    if (underway != null && underway.ts.equals(ts)) {
      // the echo of the post being recorded here right now: wait for the record (not acknowledged
      // before it, so a crash in between leaves Slack to send this echo again)
      try {
        underway.ended.await(ECHO_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the copy of delivery " + id + " was being recorded", e);
      }
    }
    String known = settled.getIfPresent(id);
    if (known != null) {
      return !known.equals(ts);
    }
    return jdbi.withHandle(h -> {
      if (h.execute("UPDATE sync_delivery SET target_ts = ? WHERE id = ? AND target_workspace_id = ? AND target_channel_id = ?"
          + " AND target_ts IS NULL", ts, id, workspaceId, channelId) == 1) {
        return false;
      }
      Optional<String> copy = h.createQuery("SELECT target_ts FROM sync_delivery WHERE id = :id").bind("id", id)
          .mapTo(String.class).findOne();
      return copy.isEmpty() || !copy.get().equals(ts);
    });
  }

  void fileIds(String id, String fileIds) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_delivery SET file_ids = ? WHERE id = ?", fileIds, id));
  }
}
