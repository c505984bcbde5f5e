package dev.tandem.leave.web;

import java.util.List;

/** One page of a list: its items, its number (from 1), its size and how many there are in all. */
public record Page<T>(List<T> items, int page, int pageSize, long total) {
  public static final int MAX_SIZE = 200;

  public int pages() {
    return (int) Math.max(1, (total + pageSize - 1) / pageSize);
  }

  public boolean hasNext() {
    return (long) page * pageSize < total;
  }
}
