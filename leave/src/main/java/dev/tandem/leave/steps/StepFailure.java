package dev.tandem.leave.steps;

/**
 * A Calendar or Harvest call that failed: {@code transient} when trying again later can help
 * (5xx, 429, Google's 403 rate limits, timeouts), so the job retries it for a while; otherwise
 * the step is failed at once and waits for a person.
 */
public final class StepFailure extends Exception {
  private final boolean transientFailure;
  private final int status;

  public StepFailure(String message, int status, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.transientFailure = transientFailure;
  }

  public boolean isTransient() {
    return transientFailure;
  }

  /** The HTTP status, 0 when there was no answer. */
  public int status() {
    return status;
  }
}
