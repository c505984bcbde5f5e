package dev.tandem.core.jobs;

import dev.tandem.core.db.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;

/**
 * Enqueues durable jobs. Enqueue inside the caller's transaction so that a job exists exactly
 * when the state that caused it was committed; local worker pools are woken right after the
 * commit, and pools of other instances find the job at their next poll.
 */
public final class JobQueue {
  private final Database database;
  private final JobStore store;
  private final Clock clock;
  private final int defaultMaxAttempts;
  private final MeterRegistry metrics;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public JobQueue(Database database, JobSettings settings, Clock clock, MeterRegistry metrics) {
    this.database = database;
    this.store = new JobStore(database.jdbi(), database.dialect(), clock);
    this.clock = clock;
    this.defaultMaxAttempts = settings.maxAttempts();
    this.metrics = metrics;
  }

  /** Enqueues in the transaction of {@code h}; returns the job id. */
  public long enqueue(Handle h, JobRequest request) {
    long id = store.insert(h, request, defaultMaxAttempts, clock.millis());
    Counter.builder("tandem.jobs.enqueued").description("Jobs enqueued").tag("kind", request.kind())
        .register(metrics).increment();
    if (h.isInTransaction()) {
      h.afterCommit(this::wake);
    } else {
      wake();
    }
    return id;
  }

  /** Enqueues in a transaction of its own; returns the job id. */
  public long enqueue(JobRequest request) {
    return database.jdbi().inTransaction(h -> enqueue(h, request));
  }

  JobStore store() {
    return store;
  }

  Database database() {
    return database;
  }

  void onEnqueue(Runnable listener) {
    listeners.add(listener);
  }

  void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  private void wake() {
    listeners.forEach(Runnable::run);
  }
}
