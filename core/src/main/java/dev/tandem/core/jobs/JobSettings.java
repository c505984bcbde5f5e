package dev.tandem.core.jobs;

import dev.tandem.core.config.ConfigReader;
import java.time.Duration;

/** Durable job settings; see docs/ARCHITECTURE.md, "Durable jobs". */
public record JobSettings(
    int concurrency,
    Duration pollInterval,
    Duration lease,
    int maxAttempts,
    Duration backoffInitial,
    Duration backoffMax,
    Duration retention) {

  public JobSettings {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency < 1: " + concurrency);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
    }
  }

  public static JobSettings defaults() {
    return new JobSettings(16, Duration.ofSeconds(1), Duration.ofMinutes(2), 10, Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofDays(7));
  }

  public static JobSettings read(ConfigReader config) {
    JobSettings d = defaults();
    return new JobSettings(
        config.integer("TANDEM_JOB_CONCURRENCY", d.concurrency(), 1, 1000, "Jobs one worker process runs at once (each on a virtual thread)."),
        config.duration("TANDEM_JOB_POLL_INTERVAL", d.pollInterval(), Duration.ofMillis(10),
            "How often a worker looks for jobs enqueued by other instances (local enqueues wake it at once)."),
        config.duration("TANDEM_JOB_LEASE", d.lease(), Duration.ofSeconds(1),
            "How long a claimed job is reserved; renewed while it runs, and claimed again after a crashed worker's lease ends."),
        config.integer("TANDEM_JOB_MAX_ATTEMPTS", d.maxAttempts(), 1, 1000, "Attempts before a failing job goes to the dead letter (status dead) with its last error."),
        config.duration("TANDEM_JOB_BACKOFF_INITIAL", d.backoffInitial(), Duration.ZERO, "Delay before the first retry; doubled on each further attempt, with jitter."),
        config.duration("TANDEM_JOB_BACKOFF_MAX", d.backoffMax(), Duration.ZERO, "Longest delay between two attempts."),
        config.duration("TANDEM_JOB_RETENTION", d.retention(), Duration.ofMinutes(1), "How long finished jobs are kept before the purge sweep deletes them (dead jobs are kept)."));
  }

  public JobSettings withPollInterval(Duration d) {
    return new JobSettings(concurrency, d, lease, maxAttempts, backoffInitial, backoffMax, retention);
  }

  public JobSettings withLease(Duration d) {
    return new JobSettings(concurrency, pollInterval, d, maxAttempts, backoffInitial, backoffMax, retention);
  }

  public JobSettings withConcurrency(int n) {
    return new JobSettings(n, pollInterval, lease, maxAttempts, backoffInitial, backoffMax, retention);
  }

  public JobSettings withMaxAttempts(int n) {
    return new JobSettings(concurrency, pollInterval, lease, n, backoffInitial, backoffMax, retention);
  }

  public JobSettings withBackoff(Duration initial, Duration max) {
    return new JobSettings(concurrency, pollInterval, lease, maxAttempts, initial, max, retention);
  }
}
