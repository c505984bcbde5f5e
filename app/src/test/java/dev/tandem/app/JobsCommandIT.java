package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.jobs.JobWorkerPool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsCommandIT {
  @TempDir Path dir;

  @Test
  void deadJobsAreListedWithTheirErrorAndCanBeRetried() {
    Map<String, String> env = Map.of("TANDEM_DATA_DIR", dir.toString(), "TANDEM_JOB_POLL_INTERVAL", "20ms");
    long id;
    try (Wiring wiring = new Wiring(Settings.read(new ConfigReader(env, Map.of())), Clock.systemUTC())) {
      wiring.migrate();
      JobQueue queue = wiring.queue;
      JobWorkerPool pool = new JobWorkerPool(queue, new JobRegistry().handle("demo.failing", job -> {
        throw new IllegalStateException("Harvest answered 422: project archived");
      }), wiring.settings.core().jobs(), Clock.systemUTC(), wiring.metrics.registry(), "test");
      pool.start();
      id = queue.enqueue(JobRequest.of("demo.failing", "{}").attempts(1));
      await().atMost(Duration.ofSeconds(30)).until(() -> wiring.database.jdbi().withHandle(h ->
          h.createQuery("SELECT status FROM core_job WHERE id = " + id).mapTo(String.class).one()).equals("dead"));
      pool.stop(Duration.ofSeconds(5));
    }

    CliFixture.Result list = CliFixture.run(env, dir, "jobs", "list");
    CliFixture.Result retry = CliFixture.run(env, dir, "jobs", "retry", String.valueOf(id));
    CliFixture.Result again = CliFixture.run(env, dir, "jobs", "retry", String.valueOf(id));
    CliFixture.Result missing = CliFixture.run(env, dir, "jobs", "retry", "999999");
    CliFixture.Result queued = CliFixture.run(env, dir, "jobs", "list", "--status", "queued");

    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).containsPattern(id + "\\s+demo.failing\\s+dead\\s+1/1 .*IllegalStateException: Harvest answered 422: project archived");
    assertThat(retry.exitCode()).isZero();
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("job " + id + " is not dead");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no job 999999");
    assertThat(queued.out()).containsPattern(id + "\\s+demo.failing\\s+queued\\s+1/11 ");
  }

  @Test
  void anUnknownStatusIsAUsageError() {
    CliFixture.Result r = CliFixture.run(Map.of("TANDEM_DATA_DIR", dir.toString()), dir, "jobs", "list", "--status", "lost");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Invalid value for option '--status'").contains("but was 'lost'");
  }
}
