package dev.tandem.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import dev.tandem.core.testing.MutableClock;
import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void anEnqueuedJobRunsOnceAndIsDone(Dialect dialect) {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      JobQueue queue = f.queue(Clock.systemUTC());
      f.start(queue, new JobRegistry().handle("probe.effect", f.recording("a")), JobsFixture.FAST, Clock.systemUTC(), "a");

      long id = queue.enqueue(JobRequest.of("probe.effect", "{\"n\":1}"));

      await().atMost(WAIT).until(() -> f.status(id).equals("done"));
      assertThat(f.count("SELECT COUNT(*) FROM probe_run")).isEqualTo(1);
      assertThat(f.count("SELECT COUNT(*) FROM probe_effect WHERE job_id = " + id)).isEqualTo(1);
      assertThat(f.job(id).get("attempts")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aJobEnqueuedInARolledBackTransactionDoesNotExist(Dialect dialect) {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      JobQueue queue = f.queue(Clock.systemUTC());

      try {
        f.db.jdbi().useTransaction(h -> {
          queue.enqueue(h, JobRequest.of("probe.effect", "{}"));
          throw new IllegalStateException("caller fails after enqueueing");
        });
      } catch (IllegalStateException expected) {
        // the caller's failure rolls the job back with it
      }

      assertThat(f.count("SELECT COUNT(*) FROM core_job")).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aUniqueKeyIsEnqueuedOnce(Dialect dialect) {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      JobQueue queue = f.queue(Clock.systemUTC());

      long first = queue.enqueue(JobRequest.of("probe.effect", "{}").unique("delivery:42:C1"));
      long second = queue.enqueue(JobRequest.of("probe.effect", "{}").unique("delivery:42:C1"));

      assertThat(second).isEqualTo(first);
      assertThat(f.count("SELECT COUNT(*) FROM core_job")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void sameKeyJobsRunOneAtATimeInEnqueueOrder(Dialect dialect) {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      JobQueue queue = f.queue(Clock.systemUTC());
      Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
      AtomicInteger overlaps = new AtomicInteger();
      AtomicInteger seq = new AtomicInteger();
      // "Running" spans the handler up to the commit of its completion: once that commits, the
      // job is done and the next job of its key may start.
      JobHandler ordered = job -> {
        String key = job.orderingKey().orElseThrow();
        AtomicInteger running = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
        if (running.incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        Thread.yield();
        int index = Integer.parseInt(job.payload());
        job.complete(h -> {
          h.execute("INSERT INTO probe_order (seq, job_key, job_index) VALUES (?, ?, ?)", seq.incrementAndGet(), key, index);
          running.decrementAndGet();
        });
      };
      f.start(queue, new JobRegistry().handle("probe.ordered", ordered), JobsFixture.FAST, Clock.systemUTC(), "a");
      f.start(queue, new JobRegistry().handle("probe.ordered", ordered), JobsFixture.FAST, Clock.systemUTC(), "b");
      int keys = 6;
      int perKey = 25;

      for (int i = 0; i < perKey; i++) {
        for (int k = 0; k < keys; k++) {
          queue.enqueue(JobRequest.of("probe.ordered", String.valueOf(i)).orderedBy("channel-" + k));
        }
      }

      await().atMost(WAIT).until(() -> f.count("SELECT COUNT(*) FROM probe_order") == keys * perKey);
      assertThat(overlaps).hasValue(0);
      for (int k = 0; k < keys; k++) {
        String key = "channel-" + k;
        List<Integer> indexes = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT job_index FROM probe_order WHERE job_key = :k ORDER BY seq").bind("k", key).mapTo(Integer.class).list());
        assertThat(indexes).isSorted().hasSize(perKey);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aJobThatKeepsFailingEndsInTheDeadLetterWithItsError(Dialect dialect) {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      JobQueue queue = f.queue(Clock.systemUTC());
      JobHandler failing = job -> {
        throw new IllegalStateException("Slack said invalid_auth on attempt " + job.attempt());
      };
      f.start(queue, new JobRegistry().handle("probe.failing", failing), JobsFixture.FAST, Clock.systemUTC(), "a");

      long id = queue.enqueue(JobRequest.of("probe.failing", "{}").attempts(3));

      await().atMost(WAIT).until(() -> f.status(id).equals("dead"));
      Map<String, Object> job = f.job(id);
      assertThat(job.get("attempts")).isEqualTo(3);
      assertThat((String) job.get("last_error")).isEqualTo("java.lang.IllegalStateException: Slack said invalid_auth on attempt 3");
      assertThat(f.metrics.get("tandem.jobs.dead").tag("kind", "probe.failing").counter().count()).isEqualTo(1.0);
      assertThat(f.metrics.get("tandem.jobs.failures").tag("kind", "probe.failing").counter().count()).isEqualTo(3.0);
      assertThat(f.metrics.get("tandem.jobs.queue.depth").tag("status", "dead").gauge().value()).isEqualTo(1.0);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void retryAfterHintsAndScheduledJobsWaitForTheirTime(Dialect dialect) {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      MutableClock clock = MutableClock.atEpochDay();
      JobQueue queue = f.queue(clock);
      JobHandler rateLimited = job -> {
        if (job.attempt() == 1) {
          throw new RetryLater(Duration.ofSeconds(30), "ratelimited, Retry-After 30");
        }
        f.recording("a").run(job);
      };
      f.start(queue, new JobRegistry().handle("probe.limited", rateLimited).handle("probe.effect", f.recording("a")),
          JobsFixture.FAST, clock, "a");
      long start = clock.millis();

      long limited = queue.enqueue(JobRequest.of("probe.limited", "{}"));
      long scheduled = queue.enqueue(JobRequest.of("probe.effect", "{}").at(clock.instant().plus(Duration.ofHours(1))));
      await().atMost(WAIT).until(() -> f.job(limited).get("attempts").equals(1) && f.status(limited).equals("queued"));
      runOneMarker(f, queue);

      assertThat(((Number) f.job(limited).get("run_at")).longValue()).isEqualTo(start + 30_000);
      assertThat(f.status(scheduled)).isEqualTo("queued");
      assertThat(f.job(scheduled).get("attempts")).isEqualTo(0);

      clock.advance(Duration.ofSeconds(30));
      runOneMarker(f, queue);
      await().atMost(WAIT).until(() -> f.status(limited).equals("done"));
      assertThat(f.status(scheduled)).isEqualTo("queued");

      clock.advance(Duration.ofHours(1));
      runOneMarker(f, queue);
      await().atMost(WAIT).until(() -> f.status(scheduled).equals("done"));
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void anExpiredLeaseLetsAnotherWorkerRunTheJobAndFencesTheLateCompletion(Dialect dialect) throws Exception {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      JobSettings settings = JobsFixture.FAST.withLease(Duration.ofMinutes(1));
      MutableClock stalledClock = MutableClock.atEpochDay();
      MutableClock laterClock = MutableClock.atEpochDay();
      laterClock.advance(Duration.ofMinutes(2));
      CountDownLatch firstStarted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<Throwable> lateOutcome = new ArrayList<>();
      JobHandler stalled = job -> {
        firstStarted.countDown();
        awaitUninterruptibly(release);
        try {
          job.complete(h -> h.execute("INSERT INTO probe_effect (job_id, worker) VALUES (?, ?)", job.id(), "stalled"));
        } catch (LeaseLostException e) {
          lateOutcome.add(e);
          throw e;
        }
      };
      JobQueue stalledQueue = f.queue(stalledClock);
      f.start(stalledQueue, new JobRegistry().handle("probe.effect", stalled), settings, stalledClock, "stalled");
      long id = stalledQueue.enqueue(JobRequest.of("probe.effect", "{}"));
      awaitUninterruptibly(firstStarted);

      JobQueue laterQueue = f.queue(laterClock);
      f.start(laterQueue, new JobRegistry().handle("probe.effect", f.recording("second")), settings, laterClock, "second");
      await().atMost(WAIT).until(() -> f.status(id).equals("done"));
      release.countDown();

      await().atMost(WAIT).until(() -> !lateOutcome.isEmpty());
      assertThat(lateOutcome.getFirst()).isInstanceOf(LeaseLostException.class)
          .hasMessage("job " + id + " attempt 1 lost its lease: another worker has claimed it");
      await().atMost(WAIT).until(() -> f.metrics.find("tandem.jobs.lease.lost").counter() != null);
      assertThat(f.count("SELECT COUNT(*) FROM probe_effect")).isEqualTo(1);
      String worker = f.db.jdbi().withHandle(h -> h.createQuery("SELECT worker FROM probe_effect").mapTo(String.class).one());
      assertThat(worker).isEqualTo("second");
      assertThat(f.job(id).get("attempts")).isEqualTo(2);
      assertThat(f.status(id)).isEqualTo("done");
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aRecurringSweepRunsOncePerIntervalAcrossPools(Dialect dialect) {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      MutableClock clock = MutableClock.atEpochDay();
      JobQueue queue = f.queue(clock);
      AtomicInteger sweeps = new AtomicInteger();
      for (String name : new String[] {"a", "b"}) {
        JobRegistry registry = new JobRegistry().every(Duration.ofHours(1), "probe.sweep", job -> sweeps.incrementAndGet())
            .handle("probe.effect", f.recording(name));
        f.start(queue, registry, JobsFixture.FAST, clock, name);
      }

      await().atMost(WAIT).until(() -> sweeps.get() == 1);
      runOneMarker(f, queue);
      runOneMarker(f, queue);
      assertThat(sweeps).hasValue(1);

      clock.advance(Duration.ofHours(1));
      await().atMost(WAIT).until(() -> sweeps.get() == 2);
      runOneMarker(f, queue);
      assertThat(sweeps).hasValue(2);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void shutdownHandsAnInterruptedJobBackWithoutChargingAnAttempt(Dialect dialect) {
    try (JobsFixture f = new JobsFixture(dialect, dir)) {
      JobQueue queue = f.queue(Clock.systemUTC());
      CountDownLatch started = new CountDownLatch(1);
      JobHandler slow = job -> {
        started.countDown();
        new CountDownLatch(1).await(); // until interrupted
      };
      JobWorkerPool pool = f.start(queue, new JobRegistry().handle("probe.slow", slow), JobsFixture.FAST, Clock.systemUTC(), "a");
      long id = queue.enqueue(JobRequest.of("probe.slow", "{}").attempts(1));
      awaitUninterruptibly(started);

      pool.stop(Duration.ofMillis(200));

      await().atMost(WAIT).until(() -> f.status(id).equals("queued"));
      Map<String, Object> job = f.job(id);
      assertThat(job.get("attempts")).isEqualTo(1);
      assertThat(job.get("max_attempts")).isEqualTo(2);
      assertThat(job.get("last_error")).isEqualTo("interrupted by shutdown");
    }
  }

  /** Enqueues a job and waits for it: afterwards every pool has made at least one claim pass. */
  private static void runOneMarker(JobsFixture f, JobQueue queue) {
    long marker = queue.enqueue(JobRequest.of("probe.effect", "{}"));
    await().atMost(WAIT).until(() -> f.status(marker).equals("done"));
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
