package dev.tandem.core.jobs;

import java.util.Optional;
import org.jdbi.v3.core.HandleConsumer;

/** One attempt of one job, as seen by its {@link JobHandler}. */
public final class JobContext {
  private final ClaimedJob job;
  private final JobStore store;
  private volatile boolean completed;
  private volatile boolean leaseLost;

  JobContext(ClaimedJob job, JobStore store) {
    this.job = job;
    this.store = store;
  }

  public long id() {
    return job.id();
  }

  public String kind() {
    return job.kind();
  }

  public String payload() {
    return job.payload();
  }

  /** 1 on the first attempt. */
  public int attempt() {
    return job.attempt();
  }

  public int maxAttempts() {
    return job.maxAttempts();
  }

  public Optional<String> orderingKey() {
    return job.orderingKey();
  }

  /** Whether another worker has claimed this job again (checked at each lease renewal). */
  public boolean leaseLost() {
    return leaseLost;
  }

  /**
   * Runs {@code work} in one transaction that also marks this job done, only if this attempt
   * still holds the job. A late attempt (its lease expired and the job was claimed again) is
   * rejected with {@link LeaseLostException} and its work rolled back: database side effects
   * committed here happen once.
   *
   * <p>Call it last: once it commits, the next job with the same ordering key may start.
   */
  public <X extends Exception> void complete(HandleConsumer<X> work) throws X {
    if (completed) {
      throw new IllegalStateException("job " + job.id() + " attempt " + job.attempt() + " is already complete");
    }
    store.completeWith(job, work);
    completed = true;
  }

  boolean completed() {
    return completed;
  }

  void markLeaseLost() {
    leaseLost = true;
  }

  ClaimedJob job() {
    return job;
  }
}
