package dev.tandem.core.jobs;

import dev.tandem.core.log.Redactor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs durable jobs: one dispatcher thread claims jobs (up to {@code concurrency} at once) and
 * runs each attempt on its own virtual thread; a heartbeat renews the leases of running attempts.
 *
 * <p>Threads and locks: the dispatcher waits on {@link #signal} (released by local enqueues
 * and finished attempts) or the poll interval, whichever comes first. Claims take row locks
 * with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL and MySQL, so any number of pools in any
 * number of processes share one table; on SQLite immediate transactions serialise them. See
 * docs/ARCHITECTURE.md, "Durable jobs".
 */
public final class JobWorkerPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobWorkerPool.class);
  private static final Duration DEPTH_CACHE = Duration.ofSeconds(2);
  private static final Duration RECURRING_CHECK = Duration.ofSeconds(1);

  private final JobQueue queue;
  private final JobStore store;
  private final JobRegistry registry;
  private final JobSettings settings;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final String workerId;
  private final Backoff backoff;
  private final Semaphore slots;
  private final Semaphore signal = new Semaphore(0);
  private static final long CLAIM_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(3);
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final Runnable wake = this::wake;
  private final AtomicReference<Map.Entry<Long, Map<String, Long>>> depth = new AtomicReference<>();
  private volatile boolean stopping;
  private long recurringCheckedAt = Long.MIN_VALUE / 2;
  private Thread dispatcher;
  private Thread heartbeat;

  private record Running(JobContext context, Thread thread) {}

  public JobWorkerPool(JobQueue queue, JobRegistry registry, JobSettings settings, Clock clock, MeterRegistry metrics, String workerId) {
    this.queue = queue;
    this.store = queue.store();
    this.registry = registry;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.workerId = workerId;
    this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), new java.util.Random());
    this.slots = new Semaphore(settings.concurrency());
    for (String status : new String[] {JobStore.QUEUED, JobStore.RUNNING, JobStore.DEAD}) {
      Gauge.builder("tandem.jobs.queue.depth", () -> depth().getOrDefault(status, 0L))
          .description("Jobs in the table by status (done jobs are not counted)")
          .tag("status", status)
          .strongReference(true)
          .register(metrics);
    }
  }

  public synchronized void start() {
    if (dispatcher != null) {
      throw new IllegalStateException("worker pool " + workerId + " already started");
    }
    long now = clock.millis();
    registry.recurring().forEach((name, interval) -> store.registerRecurring(name, interval, now));
    queue.onEnqueue(wake);
    dispatcher = Thread.ofPlatform().name("jobs-dispatch-" + workerId).daemon(true).start(this::dispatch);
    heartbeat = Thread.ofPlatform().name("jobs-heartbeat-" + workerId).daemon(true).start(this::heartbeat);
    log.info("worker={} - job pool started: {} kinds, concurrency {}, lease {}", workerId, registry.kinds().size(),
        settings.concurrency(), settings.lease());
  }

  /** Stops claiming, waits up to {@code grace} for running attempts, then interrupts them. */
  public void stop(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    stopping = true;
    queue.removeListener(wake);
    wake();
    join(dispatcher, grace);
    try {
      if (!slots.tryAcquire(settings.concurrency(), Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        log.warn("worker={} - {} jobs still running after {}; interrupting (their leases will expire)", workerId, running.size(), grace);
        running.values().forEach(r -> r.thread().interrupt());
      } else {
        slots.release(settings.concurrency());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (heartbeat != null) {
      heartbeat.interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** Number of attempts running in this pool now. */
  public int runningCount() {
    return running.size();
  }

  private void dispatch() {
    long lastClaim = 0;
    while (!stopping) {
      try {
        runDueRecurring();
        // Wakes come with every enqueue and every finished job; claiming at most once per
        // CLAIM_GATHER gathers them into one query instead of one query per job.
        long sinceLast = System.nanoTime() - lastClaim;
        if (sinceLast < CLAIM_GATHER_NANOS) {
          TimeUnit.NANOSECONDS.sleep(CLAIM_GATHER_NANOS - sinceLast);
        }
        lastClaim = System.nanoTime();
        int free = slots.availablePermits();
        int claimed = 0;
        if (free > 0) {
          long now = clock.millis();
          var jobs = store.claim(registry.kinds(), free, workerId, now, now + settings.lease().toMillis());
          for (ClaimedJob job : jobs) {
            slots.acquireUninterruptibly();
            JobContext context = new JobContext(job, store);
            Thread thread = Thread.ofVirtual().name("job-" + job.kind() + "-" + job.id()).unstarted(() -> execute(context));
            running.put(job.id(), new Running(context, thread));
            thread.start();
          }
          claimed = jobs.size();
        }
        if (claimed == 0 || claimed < free) {
          signal.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          signal.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        Counter.builder("tandem.jobs.dispatch.errors").description("Failed claims (database unavailable?)").register(metrics).increment();
        log.error("worker={} - claiming jobs failed; retrying after {}", workerId, settings.pollInterval(), e);
        try {
          Thread.sleep(settings.pollInterval());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void execute(JobContext context) {
    ClaimedJob job = context.job();
    String kind = job.kind();
    Counter.builder("tandem.jobs.attempts").description("Job attempts started").tag("kind", kind).register(metrics).increment();
    long started = System.nanoTime();
    String outcome = "unrecorded";
    try {
      outcome = runAndRecord(context);
    } catch (RuntimeException e) {
      // The outcome could not be written (database unavailable): the lease expires and the job runs again.
      Counter.builder("tandem.jobs.unrecorded").description("Attempts whose outcome could not be stored")
          .tag("kind", kind).register(metrics).increment();
      log.error("job={} kind={} - could not record the outcome of attempt {}; it runs again when its lease expires",
          job.id(), kind, job.attempt(), e);
    } finally {
      Timer.builder("tandem.jobs.run").description("Job attempt run time").tag("kind", kind).tag("outcome", outcome)
          .register(metrics).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      running.remove(job.id());
      slots.release();
      wake();
    }
  }

  private String runAndRecord(JobContext context) {
    ClaimedJob job = context.job();
    try {
      JobHandler handler = registry.handler(job.kind()).orElseThrow(() -> new IllegalStateException("no handler for job kind " + job.kind()));
      handler.run(context);
      clearInterrupt();
      return context.completed() || store.complete(job, clock.millis()) ? "done" : leaseLost(job);
    } catch (LeaseLostException e) {
      return leaseLost(job);
    } catch (RetryLater e) {
      clearInterrupt();
      if (!e.charged()) {
        log.debug("job={} kind={} - waiting {} ms: {}", job.id(), job.kind(), e.delay().toMillis(), e.getMessage());
        long now = clock.millis();
        return store.reschedule(job, "waiting: " + Redactor.redact(String.valueOf(e.getMessage())), now + e.delay().toMillis(), now)
            ? "waiting" : leaseLost(job);
      }
      return failed(job, "retry requested: " + e.getMessage(), e.delay(), null);
    } catch (Exception | LinkageError | AssertionError e) {
      // An interrupt (shutdown, lost lease) must not linger: it would close the JDBC socket of
      // the bookkeeping below. The thread ends right after, so nothing else needs the flag.
      clearInterrupt();
      if (context.completed()) {
        // complete() committed: the job is done whatever the handler did afterwards
        log.warn("job={} kind={} - handler threw after completing; the job stays done", job.id(), job.kind(), e);
        return "done";
      }
      if (stopping && !context.leaseLost()) {
        // interrupted by shutdown: hand the job back without charging it an attempt
        log.info("job={} kind={} - interrupted by shutdown; queued again", job.id(), job.kind());
        return store.release(job, clock.millis()) ? "released" : leaseLost(job);
      }
      return failed(job, e.getClass().getName() + ": " + e.getMessage(), backoff.after(job.attempt()), e);
    }
  }

  private static void clearInterrupt() {
    Thread.interrupted();
  }

  private String failed(ClaimedJob job, String error, Duration delay, Throwable cause) {
    String message = Redactor.redact(error);
    Counter.builder("tandem.jobs.failures").description("Failed job attempts").tag("kind", job.kind()).register(metrics).increment();
    JobStore.Failure result = store.fail(job, message, delay, clock.millis());
    switch (result) {
      case DEAD -> {
        Counter.builder("tandem.jobs.dead").description("Jobs moved to the dead letter").tag("kind", job.kind()).register(metrics).increment();
        log.error("job={} kind={} - failed on its last attempt ({} of {}), moved to the dead letter: {}",
            job.id(), job.kind(), job.attempt(), job.maxAttempts(), message, cause);
        return "dead";
      }
      case RETRYING -> {
        log.warn("job={} kind={} - attempt {} of {} failed, retrying in {} ms: {}",
            job.id(), job.kind(), job.attempt(), job.maxAttempts(), delay.toMillis(), message);
        return "retry";
      }
      default -> {
        return leaseLost(job);
      }
    }
  }

  private String leaseLost(ClaimedJob job) {
    Counter.builder("tandem.jobs.lease.lost").description("Attempts that finished after losing their lease (outcome discarded)")
        .tag("kind", job.kind()).register(metrics).increment();
    log.warn("job={} kind={} - attempt {} finished after its lease was lost; its outcome is discarded", job.id(), job.kind(), job.attempt());
    return "lease_lost";
  }

  private void heartbeat() {
    long every = Math.max(10, settings.lease().toMillis() / 3);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      for (Running r : running.values()) {
        try {
          if (!store.renew(r.context().job(), clock.millis() + settings.lease().toMillis())) {
            r.context().markLeaseLost();
            r.thread().interrupt();
          }
        } catch (RuntimeException e) {
          log.warn("job={} - lease renewal failed: {}", r.context().id(), e.getMessage());
        }
      }
    }
  }

  private void runDueRecurring() {
    Map<String, Duration> recurring = registry.recurring();
    long now = clock.millis();
    // sweeps run every few minutes or hours: looking once a second is plenty, and under load the
    // dispatcher loops hundreds of times a second
    if (now - recurringCheckedAt < RECURRING_CHECK.toMillis() && now >= recurringCheckedAt) {
      return;
    }
    recurringCheckedAt = now;
    for (var due : store.dueRecurring(recurring.keySet(), now)) {
      String name = due.getKey();
      queue.database().jdbi().useTransaction(h -> {
        if (store.advanceRecurring(h, name, due.getValue(), now + recurring.get(name).toMillis())) {
          queue.enqueue(h, JobRequest.of(name, "{}").orderedBy("recurring:" + name).attempts(1));
        }
      });
    }
  }

  private Map<String, Long> depth() {
    var cached = depth.get();
    long now = System.nanoTime();
    if (cached == null || now - cached.getKey() > DEPTH_CACHE.toNanos()) {
      try {
        cached = Map.entry(now, store.depth());
        depth.set(cached);
      } catch (RuntimeException e) {
        return cached == null ? Map.of() : cached.getValue();
      }
    }
    return cached.getValue();
  }

  private void wake() {
    if (signal.availablePermits() == 0) {
      signal.release();
    }
  }

  private static void join(Thread t, Duration grace) {
    if (t == null) {
      return;
    }
    try {
      t.join(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
