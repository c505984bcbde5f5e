package dev.tandem.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scripted failures of a service fake, per API method, used in order: the next {@code times} calls of the method
 * answer {@code status}, either instead of doing the work or after doing it (an answer lost on the way back, so
 * the caller cannot tell whether the change happened). Unlike Slack's random fault shares, these are exact, so a
 * test can say "the second insert fails" and nothing else. Thread-safe.
 */
final class Faults {
  /** One scripted failure; {@code reason} is the service's error reason (Google), null when it has none. */
  record Fault(int status, String reason, boolean afterProcessing) {}

  private final Set<String> methods;
  private final Map<String, Deque<Fault>> queued = new LinkedHashMap<>();

  Faults(List<String> methods) {
    this.methods = Set.copyOf(methods);
  }

  synchronized void add(String method, int status, String reason, boolean afterProcessing, int times) {
    if (!methods.contains(method)) {
      throw new IllegalArgumentException("unknown method '" + method + "'; expected one of " + methods);
    }
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a fault's status must be 4xx or 5xx: " + status);
    }
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    Deque<Fault> q = queued.computeIfAbsent(method, m -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.addLast(new Fault(status, reason, afterProcessing));
    }
  }

  /** The fault for this call of {@code method}, consumed; null when none is queued. */
  synchronized Fault next(String method) {
    Deque<Fault> q = queued.get(method);
    return q == null ? null : q.pollFirst();
  }

  synchronized void clear() {
    queued.clear();
  }

  /** What is still queued, per method, in order (for the control API). */
  synchronized Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    queued.forEach((method, q) -> {
      if (q.isEmpty()) return;
      List<Object> list = new ArrayList<>();
      q.forEach(f -> list.add(Json.obj("status", f.status(), "reason", f.reason(), "after_processing", f.afterProcessing())));
      out.put(method, list);
    });
    return out;
  }
}
