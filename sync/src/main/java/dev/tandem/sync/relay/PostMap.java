package dev.tandem.sync.relay;

import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.Inserts;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The post map ({@code sync_post}): every copy of one logical post, the source included, by
 * workspace, channel and ts. Edits, deletes, replies and reactions find the copies of the post
 * they refer to here. Recording a copy is idempotent: the same (workspace, channel, ts) is one row.
 */
public final class PostMap {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;

  public PostMap(Jdbi jdbi, Dialect dialect, Clock clock) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
  }

  /** What a copy is: the message itself, the reply that carries its files, or a "reacted with" notice. */
  public enum Kind { MESSAGE, FILE_REPLY, REACTION_NOTICE }

  /** One copy of a logical post. */
  public record Copy(String postId, String workspaceId, String channelId, String ts, Kind kind, Optional<String> threadTs) {}

  public static String newPostId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * Records a copy, in the caller's transaction; returns the post id the copy belongs to, which
   * is an earlier one when that (workspace, channel, ts) was recorded before.
   */
  public String record(Handle h, Copy copy) {
    recordCopy(h, copy);
    return h.createQuery("SELECT post_id FROM sync_post WHERE workspace_id = :ws AND channel_id = :c AND ts = :ts")
        .bind("ws", copy.workspaceId()).bind("c", copy.channelId()).bind("ts", copy.ts()).mapTo(String.class).one();
  }

  /** Records a copy of a post whose id is known (a target's copy), in the caller's transaction, without reading it back. */
  public void recordCopy(Handle h, Copy copy) {
    Inserts.ignoringDuplicate(h, dialect,
        "INSERT INTO sync_post (post_id, workspace_id, channel_id, ts, kind, thread_ts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        "workspace_id, channel_id, ts", copy.postId(), copy.workspaceId(), copy.channelId(), copy.ts(),
        copy.kind().name().toLowerCase(java.util.Locale.ROOT), copy.threadTs().orElse(null), clock.millis());
  }

  public String record(Copy copy) {
    return jdbi.inTransaction(h -> record(h, copy));
  }

  /** The logical post a message in a channel belongs to (as source or as a copy). */
  public Optional<String> postOf(String workspaceId, String channelId, String ts) {
    return jdbi.withHandle(h -> h.createQuery("SELECT post_id FROM sync_post WHERE workspace_id = :ws AND channel_id = :c AND ts = :ts")
        .bind("ws", workspaceId).bind("c", channelId).bind("ts", ts).mapTo(String.class).findOne());
  }

  /** Every copy of a logical post. */
  public List<Copy> copies(String postId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sync_post WHERE post_id = :p ORDER BY workspace_id, channel_id, ts")
        .bind("p", postId)
        .map((rs, ctx) -> new Copy(rs.getString("post_id"), rs.getString("workspace_id"), rs.getString("channel_id"), rs.getString("ts"),
            Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)), Optional.ofNullable(rs.getString("thread_ts"))))
        .list());
  }

  /** The copy of a post in one channel (the message, not its file reply), e.g. the parent of a reply. */
  public Optional<Copy> copyIn(String postId, String workspaceId, String channelId) {
    return copies(postId).stream()
        .filter(c -> c.workspaceId().equals(workspaceId) && c.channelId().equals(channelId) && c.kind() == Kind.MESSAGE)
        .findFirst();
  }
}
