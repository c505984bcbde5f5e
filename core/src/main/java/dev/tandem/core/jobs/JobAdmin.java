package dev.tandem.core.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** What operators do with jobs: list them (the dead letter above all) and retry dead ones. */
public final class JobAdmin {
  private final Jdbi jdbi;
  private final Clock clock;
  private final int retryAttempts;

  public JobAdmin(Jdbi jdbi, JobSettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.retryAttempts = settings.maxAttempts();
  }

  /** One job as an operator sees it. */
  public record JobView(long id, String kind, String status, int attempts, int maxAttempts, Optional<String> orderingKey,
      Instant runAt, Instant updatedAt, Optional<String> lastError) {}

  public List<JobView> list(Optional<String> status, int limit) {
    String where = status.map(s -> " WHERE status = :status").orElse("");
    return jdbi.withHandle(h -> {
      var query = h.createQuery("SELECT id, kind, status, attempts, max_attempts, ordering_key, run_at, updated_at, last_error"
          + " FROM core_job" + where + " ORDER BY id DESC LIMIT :limit").bind("limit", limit);
      status.ifPresent(s -> query.bind("status", s));
      return query.map((rs, ctx) -> new JobView(rs.getLong("id"), rs.getString("kind"), rs.getString("status"),
              rs.getInt("attempts"), rs.getInt("max_attempts"), Optional.ofNullable(rs.getString("ordering_key")),
              Instant.ofEpochMilli(rs.getLong("run_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
              Optional.ofNullable(rs.getString("last_error"))))
          .list();
    });
  }

  /** The outcome of a retry request. */
  public enum Retry { QUEUED, NOT_FOUND, NOT_DEAD }

  /**
   * Queues a dead job again with a fresh budget of attempts. Attempt numbers keep counting up,
   * so a long-stalled earlier attempt can never complete the retried job.
   */
  public Retry retry(long id) {
    return jdbi.inTransaction(h -> {
      int n = h.createUpdate("UPDATE core_job SET status = 'queued', run_at = :now, updated_at = :now, finished_at = NULL,"
              + " max_attempts = attempts + :budget WHERE id = :id AND status = 'dead'")
          .bind("now", clock.millis()).bind("budget", retryAttempts).bind("id", id).execute();
      if (n == 1) {
        return Retry.QUEUED;
      }
      boolean exists = h.createQuery("SELECT COUNT(*) FROM core_job WHERE id = :id").bind("id", id).mapTo(Long.class).one() > 0;
      return exists ? Retry.NOT_DEAD : Retry.NOT_FOUND;
    });
  }
}
