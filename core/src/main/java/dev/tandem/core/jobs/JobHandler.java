package dev.tandem.core.jobs;

/**
 * Runs one attempt of a job, on its own virtual thread.
 *
 * <p>Returning normally completes the job; throwing {@link RetryLater} retries after the given
 * delay (for example Slack's {@code Retry-After}); any other exception retries with exponential
 * backoff and jitter until the job's attempts are spent, then dead-letters it with the error.
 *
 * <p>An attempt may run again after a crash, so handlers must be idempotent. Database side
 * effects that must happen exactly once belong in {@link JobContext#complete}, which commits
 * them together with the job's completion, fenced by the attempt number.
 */
@FunctionalInterface
public interface JobHandler {
  void run(JobContext job) throws Exception;
}
