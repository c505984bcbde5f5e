package dev.tandem.core.jobs;

/**
 * This attempt no longer owns its job: its lease expired and another worker claimed it again.
 * Whatever the attempt was about to commit is rolled back.
 */
public final class LeaseLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(long jobId, int attempt) {
    super("job " + jobId + " attempt " + attempt + " lost its lease: another worker has claimed it");
  }
}
