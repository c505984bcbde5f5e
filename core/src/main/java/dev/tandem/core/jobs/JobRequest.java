package dev.tandem.core.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A unit of work to enqueue.
 *
 * @param kind which {@link JobHandler} runs it
 * @param payload handler input, usually small JSON
 * @param orderingKey jobs with the same key never run concurrently and run in enqueue order
 * @param uniqueKey at most one job with this key is ever enqueued; a second enqueue returns the first
 * @param runAt not before this instant (default: now)
 * @param maxAttempts overrides {@code TANDEM_JOB_MAX_ATTEMPTS}
 */
public record JobRequest(
    String kind,
    String payload,
    Optional<String> orderingKey,
    Optional<String> uniqueKey,
    Optional<Instant> runAt,
    OptionalInt maxAttempts) {

  public JobRequest {
    if (kind == null || kind.isBlank() || kind.length() > 100) {
      throw new IllegalArgumentException("job kind must be 1..100 characters: " + kind);
    }
    if (payload == null) {
      throw new IllegalArgumentException("job payload is null (use \"{}\" for none)");
    }
    orderingKey.ifPresent(k -> checkKey("orderingKey", k));
    uniqueKey.ifPresent(k -> checkKey("uniqueKey", k));
  }

  public static JobRequest of(String kind, String payload) {
    return new JobRequest(kind, payload, Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty());
  }

  public JobRequest orderedBy(String key) {
    return new JobRequest(kind, payload, Optional.of(key), uniqueKey, runAt, maxAttempts);
  }

  public JobRequest unique(String key) {
    return new JobRequest(kind, payload, orderingKey, Optional.of(key), runAt, maxAttempts);
  }

  public JobRequest at(Instant when) {
    return new JobRequest(kind, payload, orderingKey, uniqueKey, Optional.of(when), maxAttempts);
  }

  public JobRequest attempts(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxAttempts < 1: " + max);
    }
    return new JobRequest(kind, payload, orderingKey, uniqueKey, runAt, OptionalInt.of(max));
  }

  private static void checkKey(String name, String key) {
    if (key.isEmpty() || key.length() > 255) {
      throw new IllegalArgumentException(name + " must be 1..255 characters, got " + key.length());
    }
  }
}
