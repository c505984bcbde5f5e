package dev.tandem.core.jobs;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Core's recurring sweeps. */
public final class Sweeps {
  private static final Logger log = LoggerFactory.getLogger(Sweeps.class);

  private Sweeps() {}

  /** Deletes jobs that finished successfully more than {@code retention} ago; dead jobs stay for people to inspect. */
  public static JobHandler purgeFinishedJobs(Jdbi jdbi, Duration retention, Clock clock) {
    return job -> {
      int n = JobStore.purgeDone(jdbi, clock.millis() - retention.toMillis());
      if (n > 0) {
        log.info("purged {} finished jobs older than {}", n, retention);
      }
    };
  }
}
