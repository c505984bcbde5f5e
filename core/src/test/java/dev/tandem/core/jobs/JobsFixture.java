package dev.tandem.core.jobs;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A migrated database with the probe tables, and pools that are stopped after each test. */
final class JobsFixture implements AutoCloseable {
  static final JobSettings FAST = JobSettings.defaults()
      .withPollInterval(Duration.ofMillis(20))
      .withBackoff(Duration.ZERO, Duration.ZERO)
      .withConcurrency(8);

  final Database db;
  final MeterRegistry metrics = new SimpleMeterRegistry();
  private final List<JobWorkerPool> pools = new ArrayList<>();

  JobsFixture(Dialect dialect, Path dir) {
    this.db = TestDatabases.fresh(dialect, dir);
    migrate(db);
  }

  static void migrate(Database db) {
    new Migrations(db).migrate(List.of(new MigrationSet("core"), new MigrationSet("probe")));
  }

  JobQueue queue(Clock clock) {
    return new JobQueue(db, FAST, clock, metrics);
  }

  JobWorkerPool start(JobQueue queue, JobRegistry registry, JobSettings settings, Clock clock, String name) {
    JobWorkerPool pool = new JobWorkerPool(queue, registry, settings, clock, metrics, name);
    pools.add(pool);
    pool.start();
    return pool;
  }

  /** A handler that records each run and, with the job's completion, its one effect. */
  JobHandler recording(String worker) {
    return job -> {
      db.jdbi().useHandle(h -> h.execute("INSERT INTO probe_run (job_id, worker) VALUES (?, ?)", job.id(), worker));
      job.complete(h -> h.execute("INSERT INTO probe_effect (job_id, worker) VALUES (?, ?)", job.id(), worker));
    };
  }

  Map<String, Object> job(long id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT status, attempts, max_attempts, last_error, run_at FROM core_job WHERE id = :id")
        .bind("id", id).mapToMap().one());
  }

  String status(long id) {
    return (String) job(id).get("status");
  }

  long count(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  @Override
  public void close() {
    pools.forEach(p -> p.stop(Duration.ofSeconds(5)));
    db.close();
  }
}
