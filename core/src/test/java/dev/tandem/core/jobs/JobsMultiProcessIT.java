package dev.tandem.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Worker pools in separate JVM processes sharing one database. */
@Tag("heavy")
class JobsMultiProcessIT {
  private static final int JOBS = 10_000;
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.multiInstanceDialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void tenThousandJobsOverTwoProcessesRunOnceEachAndNoneIsLost(Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, dir);
    try (Database db = TestDatabases.open(url, dir)) {
      JobsFixture.migrate(db);
      try {
        startWorker(url, "p1", 60_000);
        startWorker(url, "p2", 60_000);
        JobQueue queue = new JobQueue(db, JobSettings.defaults(), Clock.systemUTC(), new SimpleMeterRegistry());

        for (int batch = 0; batch < JOBS / 500; batch++) {
          db.jdbi().useTransaction(h -> {
            for (int i = 0; i < 500; i++) {
              queue.enqueue(h, JobRequest.of("probe.effect", "{}"));
            }
          });
        }

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
            .until(() -> count(db, "SELECT COUNT(*) FROM core_job WHERE status = 'done'") == JOBS);
        String twice = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT r.job_id, r.worker, j.attempts, j.leased_by, j.last_error FROM probe_run r JOIN core_job j ON j.id = r.job_id
                WHERE r.job_id IN (SELECT job_id FROM probe_run GROUP BY job_id HAVING COUNT(*) > 1)""")
            .mapToMap().list().toString());
        assertThat(count(db, "SELECT COUNT(*) FROM probe_run")).as("runs; run twice: %s", twice).isEqualTo(JOBS);
        assertThat(count(db, "SELECT COUNT(DISTINCT job_id) FROM probe_run")).as("distinct jobs run").isEqualTo(JOBS);
        assertThat(count(db, "SELECT COUNT(*) FROM probe_effect")).as("effects").isEqualTo(JOBS);
        assertThat(count(db, "SELECT MAX(attempts) FROM core_job")).as("attempts").isEqualTo(1);
        Map<String, Long> perWorker = new java.util.HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT worker, COUNT(*) AS n FROM probe_effect GROUP BY worker")
            .map((rs, ctx) -> Map.entry(rs.getString("worker"), rs.getLong("n"))).forEach(e -> perWorker.put(e.getKey(), e.getValue())));
        assertThat(perWorker).as("both processes worked").containsOnlyKeys("p1", "p2");
      } finally {
        stopAll();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aJobWhoseWorkerIsKilledRunsAgainAfterItsLeaseExpires(Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, dir);
    try (Database db = TestDatabases.open(url, dir)) {
      JobsFixture.migrate(db);
      JobQueue queue = new JobQueue(db, JobSettings.defaults(), Clock.systemUTC(), new SimpleMeterRegistry());
      long id = queue.enqueue(JobRequest.of("probe.block", "{}"));
      Process victim = startWorker(url, "victim", 60_000);

      await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "SELECT COUNT(*) FROM probe_run WHERE job_id = " + id) == 1);
      victim.destroyForcibly(); // SIGKILL in the middle of the handler
      assertThat(victim.waitFor()).isEqualTo(137);

      // A survivor whose clock is past the victim's lease: no waiting for wall-clock time.
      Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2));
      JobRegistry registry = new JobRegistry().handle("probe.block", job -> job.complete(
          h -> h.execute("INSERT INTO probe_effect (job_id, worker) VALUES (?, ?)", job.id(), "survivor")));
      JobSettings settings = JobSettings.defaults().withPollInterval(Duration.ofMillis(50));
      JobWorkerPool survivor = new JobWorkerPool(new JobQueue(db, settings, later, new SimpleMeterRegistry()), registry, settings, later,
          new SimpleMeterRegistry(), "survivor");
      survivor.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "SELECT COUNT(*) FROM probe_effect WHERE job_id = " + id) == 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> "done".equals(
            db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM core_job WHERE id = " + id).mapTo(String.class).one())));
        assertThat(count(db, "SELECT attempts FROM core_job WHERE id = " + id)).isEqualTo(2);
      } finally {
        survivor.stop(Duration.ofSeconds(5));
        stopAll();
      }
    }
  }

  private Process startWorker(String url, String name, long leaseMs) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dtandem.log.level=WARN", JobProcessMain.class.getName(), url, name, String.valueOf(leaseMs))
        .redirectError(dir.resolve(name + ".err").toFile());
    Process p = pb.start();
    processes.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    do {
      line = out.readLine();
    } while (line != null && !line.equals("ready"));
    if (line == null) {
      throw new IllegalStateException("worker " + name + " did not start (" + line + "); see " + dir.resolve(name + ".err"));
    }
    return p;
  }

  private void stopAll() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        try {
          p.getOutputStream().close();
        } catch (IOException ignored) {
          // already gone
        }
      }
    }
    for (Process p : processes) {
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static long count(Database db, String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
