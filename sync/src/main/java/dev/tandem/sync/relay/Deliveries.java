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
  /**
   * Deliveries this process recorded with their copy's ts, for a while: the echo of such a copy
   * has nothing to add, so it costs no database write (most echoes arrive after the record).
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> settled = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
      .maximumSize(100_000).expireAfterWrite(java.time.Duration.ofMinutes(2)).build();

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

  /** Slack answered; the copy (if any) is known. Returns false when it was already finished (by a catch-up). */
  boolean finish(Handle h, String id, Status status, Optional<String> targetTs, Optional<String> error) {
    if (targetTs.isPresent()) {
      Runnable settle = () -> settled.put(id, Boolean.TRUE);
      if (h.isInTransaction()) {
        h.afterCommit(settle);
      } else {
        settle.run();
      }
    }
    return h.execute("UPDATE sync_delivery SET status = ?, target_ts = COALESCE(target_ts, ?), error = ?, done_at = ?"
            + " WHERE id = ? AND status IN ('queued', 'posting')",
        status.name().toLowerCase(Locale.ROOT), targetTs.orElse(null), error.map(e -> e.length() > 1000 ? e.substring(0, 1000) : e)
            .orElse(null), clock.millis(), id) > 0;
  }

  /** Back to queued: Slack answered 429 or the budget was spent, so nothing was posted. */
  void queued(String id) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_delivery SET status = 'queued', posting_since = NULL WHERE id = ? AND status = 'posting'", id));
  }

  /** The ts of a delivery's copy, seen in Slack's echo of our post (only for the delivery's own target). */
  void echoed(String id, String workspaceId, String channelId, String ts) {
    if (settled.getIfPresent(id) != null) {
      return; // recorded here with its ts already: the update below would change nothing
    }
    String match = "id = ? AND target_workspace_id = ? AND target_channel_id = ? AND target_ts IS NULL";
    // PostgreSQL: a row locked now is being finished by its delivery, which records the ts itself;
    // waiting for that lock would hold up Slack's acknowledgement for nothing. (The echo's ts is a
    // shortcut only: an uncertain attempt falls back to the channel's history.)
    String sql = dialect == Dialect.POSTGRESQL
        ? "UPDATE sync_delivery SET target_ts = ? WHERE id IN (SELECT id FROM sync_delivery WHERE " + match + " FOR UPDATE SKIP LOCKED)"
        : "UPDATE sync_delivery SET target_ts = ? WHERE " + match;
    jdbi.useHandle(h -> h.execute(sql, ts, id, workspaceId, channelId));
  }

  void fileIds(String id, String fileIds) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_delivery SET file_ids = ? WHERE id = ?", fileIds, id));
  }

}
