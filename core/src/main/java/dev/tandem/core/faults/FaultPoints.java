package dev.tandem.core.faults;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named places in critical windows where a crash test can stop the process dead, as
 * {@code kill -9} would: no shutdown hooks, no rollback, no flushed buffers. Armed only by
 * {@code TANDEM_FAULT_POINT=name[:n]} (the n-th time the point is reached, default the first),
 * so the window is hit on every run instead of by luck. Unarmed, a point costs one volatile read.
 */
public final class FaultPoints {
  /** Exit status of a process stopped at a fault point (128 + SIGKILL, as after kill -9). */
  public static final int EXIT_STATUS = 137;
  private static volatile String armed;
  private static final AtomicInteger remaining = new AtomicInteger();

  private FaultPoints() {}

  /** Arms one point from its setting ({@code name} or {@code name:n}); blank disarms. */
  public static void arm(String spec) {
    if (spec == null || spec.isBlank()) {
      armed = null;
      return;
    }
    int colon = spec.lastIndexOf(':');
    int n = 1;
    String name = spec.strip();
    if (colon > 0) {
      n = Integer.parseInt(spec.substring(colon + 1).strip());
      name = spec.substring(0, colon).strip();
    }
    if (n < 1) {
      throw new IllegalArgumentException("fault point count must be >= 1: " + spec);
    }
    remaining.set(n);
    armed = name;
  }

  /** Marks a point as reached; halts the process if it is the armed one and its count is up. */
  public static void reached(String name) {
    String a = armed;
    if (a != null && a.equals(name) && remaining.decrementAndGet() == 0) {
      System.err.println("tandem: fault point " + name + " reached: halting as kill -9 would");
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }
}
