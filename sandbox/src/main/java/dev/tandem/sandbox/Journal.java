package dev.tandem.sandbox;

import java.util.ArrayDeque;
import java.util.List;

/**
 * What the sandbox records for inspection (Web API calls, event deliveries): appends in constant
 * time from any thread, keeps the newest {@code capacity} entries so that a long-running demo does
 * not grow without bound, and counts every entry ever appended.
 *
 * <p>A copy-on-write list was used before: each append copied the whole record, which made a long
 * benchmark quadratic in its number of calls.
 */
final class Journal<T> {
  private final int capacity;
  private final ArrayDeque<T> entries = new ArrayDeque<>();
  private long appended;

  Journal(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    this.capacity = capacity;
  }

  synchronized void add(T entry) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(entry);
    appended++;
  }

  /** The entries kept, oldest first. */
  synchronized List<T> snapshot() {
    return List.copyOf(entries);
  }

  /** Forgets the entries kept (the count of appended entries stays). */
  synchronized void clear() {
    entries.clear();
  }

  /** How many entries were ever appended (including those no longer kept). */
  synchronized long appended() {
    return appended;
  }
}
