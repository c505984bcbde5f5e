package dev.tandem.core.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The job kinds a worker process can run, and its recurring sweeps. */
public final class JobRegistry {
  private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
  private final Map<String, Duration> recurring = new LinkedHashMap<>();

  public JobRegistry handle(String kind, JobHandler handler) {
    if (handlers.putIfAbsent(kind, handler) != null) {
      throw new IllegalStateException("two handlers for job kind " + kind);
    }
    return this;
  }

  /**
   * Runs {@code handler} every {@code interval}, across all instances together (one run per
   * interval, never two at once).
   */
  public JobRegistry every(Duration interval, String kind, JobHandler handler) {
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval < 1 ms for " + kind + ": " + interval);
    }
    handle(kind, handler);
    recurring.put(kind, interval);
    return this;
  }

  Optional<JobHandler> handler(String kind) {
    return Optional.ofNullable(handlers.get(kind));
  }

  Set<String> kinds() {
    return Set.copyOf(handlers.keySet());
  }

  Map<String, Duration> recurring() {
    return Map.copyOf(recurring);
  }

  List<String> kindList() {
    return List.copyOf(handlers.keySet());
  }
}
