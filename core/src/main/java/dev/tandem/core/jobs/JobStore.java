package dev.tandem.core.jobs;

import dev.tandem.core.db.Deadlocks;
import dev.tandem.core.db.Dialect;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The SQL of the job table. Every state change after a claim is fenced by the attempt number:
 * an attempt whose job was claimed again changes nothing.
 */
final class JobStore {
  static final String QUEUED = "queued";
  static final String RUNNING = "running";
  static final String DONE = "done";
  static final String DEAD = "dead";
  private static final int MAX_ERROR_CHARS = 4000;
  private static final java.security.SecureRandom CLAIM_TOKENS = new java.security.SecureRandom();

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;

  JobStore(Jdbi jdbi, Dialect dialect, Clock clock) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
  }

  /** Inserts a job in the caller's transaction; returns its id (the existing one for a repeated unique key). */
  long insert(Handle h, JobRequest req, int defaultMaxAttempts, long now) {
    String columns = "(kind, payload, ordering_key, unique_key, status, attempts, max_attempts, run_at, created_at, updated_at)";
    String values = "(:kind, :payload, :orderingKey, :uniqueKey, 'queued', 0, :maxAttempts, :runAt, :now, :now)";
    String sql = "INSERT INTO core_job " + columns + " VALUES " + values;
    if (req.uniqueKey().isPresent()) {
      // MySQL: LAST_INSERT_ID(id) makes a duplicate report the existing id, read with the latest
      // committed data rather than through this transaction's REPEATABLE READ snapshot.
      sql += dialect == Dialect.MYSQL ? " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)" : " ON CONFLICT (unique_key) DO NOTHING";
    }
    var update = h.createUpdate(sql)
        .bind("kind", req.kind())
        .bind("payload", req.payload())
        .bind("orderingKey", req.orderingKey().orElse(null))
        .bind("uniqueKey", req.uniqueKey().orElse(null))
        .bind("maxAttempts", req.maxAttempts().orElse(defaultMaxAttempts))
        .bind("runAt", req.runAt().map(java.time.Instant::toEpochMilli).orElse(now))
        .bind("now", now);
    if (req.uniqueKey().isEmpty()) {
      return update.executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }
    if (dialect == Dialect.MYSQL) {
      update.execute();
      return h.createQuery("SELECT LAST_INSERT_ID()").mapTo(Long.class).one();
    }
    // PostgreSQL and SQLite return the new row's id; only a repeated key needs a second read
    Optional<Long> inserted = update.executeAndReturnGeneratedKeys("id").mapTo(Long.class).findOne();
    if (inserted.isPresent()) {
      return inserted.get();
    }
    return h.createQuery("SELECT id FROM core_job WHERE unique_key = :k").bind("k", req.uniqueKey().get()).mapTo(Long.class).one();
  }

  /**
   * Claims up to {@code limit} runnable jobs of {@code kinds}: due queued jobs and running jobs whose
   * lease has expired, skipping any job behind an unfinished job with the same ordering key.
   * Expired jobs that have used all their attempts go to the dead letter instead.
   */
  List<ClaimedJob> claim(Collection<String> kinds, int limit, String workerId, long now, long leaseUntil) {
    if (kinds.isEmpty() || limit <= 0) {
      return List.of();
    }
    return Deadlocks.retry(() -> inClaimTransaction(h -> {
      // Two reads, each served by a partial index in order (PostgreSQL, SQLite): expired leases,
      // then due queued jobs oldest first, stopping at the limit instead of sorting every queued job.
      // A job is blocked while another job with its ordering key runs, or waits with a smaller id.
      String blocked = """
          j.ordering_key IS NOT NULL AND EXISTS (
            SELECT 1 FROM core_job p
            WHERE p.ordering_key = j.ordering_key AND p.status IN ('queued', 'running') AND p.id <> j.id
              AND (p.status = 'running' OR p.id < j.id))""";
      String lock = dialect.multiInstance() ? " FOR UPDATE SKIP LOCKED" : "";
      List<Map<String, Object>> rows = new ArrayList<>(h.createQuery(
              "SELECT id, status, attempts, max_attempts FROM core_job j WHERE j.status = 'running' AND j.lease_until < :now"
                  + " AND j.kind IN (<kinds>) AND NOT (" + blocked + ") ORDER BY j.lease_until, j.id LIMIT :limit" + lock)
          .bindList("kinds", List.copyOf(kinds)).bind("now", now).bind("limit", limit)
          .mapToMap().list());
      if (rows.size() < limit) {
        rows.addAll(h.createQuery(
                "SELECT id, status, attempts, max_attempts FROM core_job j WHERE j.status = 'queued' AND j.run_at <= :now"
                    + " AND j.kind IN (<kinds>) AND NOT (" + blocked + ") ORDER BY j.run_at, j.id LIMIT :limit" + lock)
            .bindList("kinds", List.copyOf(kinds)).bind("now", now).bind("limit", limit - rows.size())
            .mapToMap().list());
      }
      List<Long> claim = new ArrayList<>();
      for (Map<String, Object> row : rows) {
        long id = ((Number) row.get("id")).longValue();
        int attempts = ((Number) row.get("attempts")).intValue();
        int max = ((Number) row.get("max_attempts")).intValue();
        if (RUNNING.equals(row.get("status")) && attempts >= max) {
          h.createUpdate("UPDATE core_job SET status = 'dead', lease_until = NULL, finished_at = :now, updated_at = :now,"
                  + " last_error = :error WHERE id = :id")
              .bind("id", id).bind("now", now)
              .bind("error", "lease expired on attempt " + attempts + " of " + max + ": the worker crashed or stalled")
              .execute();
        } else {
          claim.add(id);
        }
      }
      if (claim.isEmpty()) {
        return List.of();
      }
      // The update repeats the claim condition and marks its rows with a token of this claim:
      // whatever the locking read returned, only rows still claimable at the write are taken
      // (a guard against a row seen by two claims at once, observed once in 10,000 on MariaDB).
      String token = (workerId.length() > 80 ? workerId.substring(0, 80) : workerId) + "#" + Long.toHexString(CLAIM_TOKENS.nextLong());
      h.createUpdate("UPDATE core_job SET status = 'running', attempts = attempts + 1, lease_until = :until,"
              + " leased_by = :token, updated_at = :now WHERE id IN (<ids>)"
              + " AND ((status = 'queued' AND run_at <= :now) OR (status = 'running' AND lease_until < :now))")
          .bindList("ids", claim).bind("until", leaseUntil).bind("token", token).bind("now", now)
          .execute();
      return h.createQuery("SELECT id, kind, payload, attempts, max_attempts, ordering_key FROM core_job"
              + " WHERE id IN (<ids>) AND leased_by = :token ORDER BY run_at, id")
          .bindList("ids", claim).bind("token", token)
          .map((rs, ctx) -> new ClaimedJob(rs.getLong("id"), rs.getString("kind"), rs.getString("payload"),
              rs.getInt("attempts"), rs.getInt("max_attempts"), Optional.ofNullable(rs.getString("ordering_key"))))
          .list();
    }));
  }

  /** Marks the attempt done; false when it no longer holds the job. */
  boolean complete(ClaimedJob job, long now) {
    return Deadlocks.retry(() -> jdbi.withHandle(h -> markDone(h, job, now)));
  }

  /** The work and the completion in one transaction, run again if it loses a deadlock. */
  <X extends Exception> void completeWith(ClaimedJob job, HandleConsumer<X> work) throws X {
    Deadlocks.<Void, X>retry(() -> {
      jdbi.useTransaction(h -> {
        if (!markDone(h, job, clock.millis())) {
          throw new LeaseLostException(job.id(), job.attempt());
        }
        work.useHandle(h);
      });
      return null;
    });
  }

  private static boolean markDone(Handle h, ClaimedJob job, long now) {
    return h.createUpdate("UPDATE core_job SET status = 'done', lease_until = NULL, finished_at = :now, updated_at = :now"
            + " WHERE id = :id AND attempts = :attempt AND status = 'running'")
        .bind("id", job.id()).bind("attempt", job.attempt()).bind("now", now)
        .execute() == 1;
  }

  /** The outcome of a failed attempt. */
  enum Failure { RETRYING, DEAD, LEASE_LOST }

  Failure fail(ClaimedJob job, String error, Duration delay, long now) {
    String message = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
    boolean dead = job.attempt() >= job.maxAttempts();
    String sql = dead
        ? "UPDATE core_job SET status = 'dead', lease_until = NULL, last_error = :error, finished_at = :now, updated_at = :now"
            + " WHERE id = :id AND attempts = :attempt AND status = 'running'"
        : "UPDATE core_job SET status = 'queued', lease_until = NULL, last_error = :error, run_at = :runAt, updated_at = :now"
            + " WHERE id = :id AND attempts = :attempt AND status = 'running'";
    int n = Deadlocks.retry(() -> jdbi.withHandle(h -> h.createUpdate(sql)
        .bind("error", message).bind("now", now).bind("runAt", now + delay.toMillis())
        .bind("id", job.id()).bind("attempt", job.attempt())
        .execute()));
    return n == 0 ? Failure.LEASE_LOST : dead ? Failure.DEAD : Failure.RETRYING;
  }

  /** Puts a running attempt back in the queue until {@code runAt} with its attempt refunded (a wait, not a failure). */
  boolean reschedule(ClaimedJob job, String reason, long runAt, long now) {
    return Deadlocks.retry(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE core_job SET status = 'queued', lease_until = NULL,"
            + " run_at = :runAt, updated_at = :now, max_attempts = max_attempts + 1, last_error = :reason"
            + " WHERE id = :id AND attempts = :attempt AND status = 'running'")
        .bind("runAt", runAt).bind("now", now).bind("reason", reason.length() > MAX_ERROR_CHARS ? reason.substring(0, MAX_ERROR_CHARS) : reason)
        .bind("id", job.id()).bind("attempt", job.attempt())
        .execute() == 1));
  }

  /** Hands a running attempt back to the queue (shutdown) with its attempt refunded; false when it no longer holds the job. */
  boolean release(ClaimedJob job, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE core_job SET status = 'queued', lease_until = NULL, run_at = :now,"
            + " updated_at = :now, max_attempts = max_attempts + 1, last_error = 'interrupted by shutdown'"
            + " WHERE id = :id AND attempts = :attempt AND status = 'running'")
        .bind("now", now).bind("id", job.id()).bind("attempt", job.attempt())
        .execute() == 1);
  }

  /** Extends the lease of a running attempt; false when it no longer holds the job. */
  boolean renew(ClaimedJob job, long leaseUntil) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE core_job SET lease_until = :until"
            + " WHERE id = :id AND attempts = :attempt AND status = 'running'")
        .bind("until", leaseUntil).bind("id", job.id()).bind("attempt", job.attempt())
        .execute() == 1);
  }

  /** Jobs per status, for the queue depth gauges (finished jobs are not counted). */
  Map<String, Long> depth() {
    return jdbi.withHandle(h -> {
      Map<String, Long> out = new java.util.HashMap<>(Map.of(QUEUED, 0L, RUNNING, 0L, DEAD, 0L));
      h.createQuery("SELECT status, COUNT(*) AS n FROM core_job WHERE status IN ('queued', 'running', 'dead') GROUP BY status")
          .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n")))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    });
  }

  /** Deletes done jobs finished before {@code before}; returns how many. */
  static int purgeDone(Jdbi jdbi, long before) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM core_job WHERE status = 'done' AND finished_at < :before")
        .bind("before", before).execute());
  }

  /** Registers a recurring sweep, due at once when new. */
  void registerRecurring(String name, Duration interval, long now) {
    jdbi.useTransaction(h -> {
      int updated = h.createUpdate("UPDATE core_recurring SET interval_ms = :interval WHERE name = :name")
          .bind("name", name).bind("interval", interval.toMillis()).execute();
      if (updated == 0) {
        String insert = dialect == Dialect.MYSQL
            ? "INSERT IGNORE INTO core_recurring (name, interval_ms, next_run_at) VALUES (:name, :interval, :now)"
            : "INSERT INTO core_recurring (name, interval_ms, next_run_at) VALUES (:name, :interval, :now) ON CONFLICT (name) DO NOTHING";
        h.createUpdate(insert).bind("name", name).bind("interval", interval.toMillis()).bind("now", now).execute();
      }
    });
  }

  /** Sweeps that are due, with the due time read (the compare-and-set token). */
  List<Map.Entry<String, Long>> dueRecurring(Collection<String> names, long now) {
    if (names.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT name, next_run_at FROM core_recurring WHERE name IN (<names>) AND next_run_at <= :now")
        .bindList("names", List.copyOf(names)).bind("now", now)
        .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getLong("next_run_at")))
        .list());
  }

  /** Advances a sweep's due time if nobody else did; true when this caller won the run. */
  boolean advanceRecurring(Handle h, String name, long seenDue, long nextDue) {
    return h.createUpdate("UPDATE core_recurring SET next_run_at = :next WHERE name = :name AND next_run_at = :seen")
        .bind("next", nextDue).bind("name", name).bind("seen", seenDue).execute() == 1;
  }

  /**
   * MySQL claims in READ COMMITTED (its default, REPEATABLE READ, takes gap locks that make
   * concurrent claims deadlock). PostgreSQL's default is already READ COMMITTED and SQLite's
   * transactions are serializable; asking JDBI for a level there costs a round trip to read the
   * current level and two to set and restore it, on every claim.
   */
  private <R> R inClaimTransaction(org.jdbi.v3.core.HandleCallback<R, RuntimeException> work) {
    return dialect == Dialect.MYSQL
        ? jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, work)
        : jdbi.inTransaction(work);
  }
}
