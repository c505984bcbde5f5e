package dev.tandem.sync.home;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * SyncBot's limit on wrong invite codes (5 per workspace per 15 minutes), counted in the database
 * so that every instance enforces the same count. An attempt is written (and committed) before it
 * is judged and counted after, so two instances racing both see each other: the limit can refuse
 * early, never late.
 */
final class JoinAttempts {
  static final int LIMIT = 5;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final Jdbi jdbi;
  private final Clock clock;

  JoinAttempts(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** An attempt by {@code workspaceId}, to be settled with {@link #succeeded} or left as a failure; false when over the limit. */
  Attempt begin(String workspaceId) {
    long now = clock.millis();
    jdbi.useHandle(h -> h.execute("INSERT INTO sync_join_attempt (workspace_id, attempted_at) VALUES (?, ?)", workspaceId, now));
    long recent = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sync_join_attempt WHERE workspace_id = :w AND attempted_at > :since")
        .bind("w", workspaceId).bind("since", now - WINDOW.toMillis()).mapTo(Long.class).one());
    return new Attempt(workspaceId, now, recent <= LIMIT);
  }

  /** A right code does not count against the workspace. */
  void succeeded(Attempt attempt) {
    jdbi.useHandle(h -> h.execute("DELETE FROM sync_join_attempt WHERE workspace_id = ? AND attempted_at = ?",
        attempt.workspaceId(), attempt.at()));
  }

  /** Drops attempts older than the window (a sweep). */
  int purge() {
    return jdbi.withHandle(h -> h.execute("DELETE FROM sync_join_attempt WHERE attempted_at < ?", clock.millis() - WINDOW.toMillis()));
  }

  record Attempt(String workspaceId, long at, boolean allowed) {}
}
