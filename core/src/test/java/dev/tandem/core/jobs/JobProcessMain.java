package dev.tandem.core.jobs;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.DatabaseUrl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process for the multi-process tests: {@code JobProcessMain <database url> <worker name> <lease ms>}.
 * Runs {@code probe.effect} (records the run, then commits the effect with the completion) and
 * {@code probe.block} (records the run, then blocks forever: the test kills the process).
 * Prints {@code ready} once its pool runs; exits when standard input closes.
 */
public final class JobProcessMain {
  private JobProcessMain() {}

  public static void main(String[] args) throws Exception {
    String worker = args[1];
    try (Database db = Database.open(DatabaseUrl.parse(args[0], Path.of("").toAbsolutePath()), 20, null)) {
      JobSettings settings = JobSettings.defaults()
          .withPollInterval(Duration.ofMillis(50))
          .withLease(Duration.ofMillis(Long.parseLong(args[2])))
          .withConcurrency(16);
      JobQueue queue = new JobQueue(db, settings, Clock.systemUTC(), new SimpleMeterRegistry());
      JobRegistry registry = new JobRegistry()
          .handle("probe.effect", job -> {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO probe_run (job_id, worker) VALUES (?, ?)", job.id(), worker));
            job.complete(h -> h.execute("INSERT INTO probe_effect (job_id, worker) VALUES (?, ?)", job.id(), worker));
          })
          .handle("probe.block", job -> {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO probe_run (job_id, worker) VALUES (?, ?)", job.id(), worker));
            new CountDownLatch(1).await();
          });
      JobWorkerPool pool = new JobWorkerPool(queue, registry, settings, Clock.systemUTC(), new SimpleMeterRegistry(), worker);
      pool.start();
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // run until the parent closes our standard input (or kills us)
      }
      pool.stop(Duration.ofSeconds(5));
    }
  }
}
