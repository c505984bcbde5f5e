package dev.tandem.core.web;

import dev.tandem.core.log.Redactor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs every registered {@link HealthCheck} in parallel, each with a time limit. */
public final class Readiness {
  private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
  private final Duration timeout;

  public Readiness(Duration timeout) {
    this.timeout = timeout;
  }

  public void register(HealthCheck check) {
    checks.add(check);
  }

  /** The overall outcome: ready unless some check is down. */
  public record Report(boolean ready, Map<String, HealthCheck.Status> checks) {}

  public Report check() {
    Map<String, Future<HealthCheck.Status>> running = new LinkedHashMap<>();
    // Not try-with-resources: close() would wait for a hung check past its time limit.
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (HealthCheck check : checks) {
        running.put(check.name(), executor.submit(check::check));
      }
      Map<String, HealthCheck.Status> results = new LinkedHashMap<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      for (var entry : running.entrySet()) {
        results.put(entry.getKey(), await(entry.getValue(), deadline));
      }
      boolean ready = results.values().stream().noneMatch(s -> s.state() == HealthCheck.State.DOWN);
      return new Report(ready, results);
    } finally {
      executor.shutdownNow();
    }
  }

  private HealthCheck.Status await(Future<HealthCheck.Status> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return HealthCheck.Status.down("no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return HealthCheck.Status.down(Redactor.redact(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HealthCheck.Status.down("interrupted");
    }
  }
}
