package dev.tandem.leave.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@code perAccount} failed sign-ins for one email from one
 * address, or {@code perAddress} from one address for any email, within the window, further
 * attempts are refused until the oldest failure leaves the window. Kept per process: with several
 * web instances an attacker gets that many times the budget, still far from a useful guess rate.
 */
final class SignInLimiter {
  private final Clock clock;
  private final Duration window;
  private final int perAccount;
  private final int perAddress;
  private final ConcurrentHashMap<String, Deque<Long>> failures = new ConcurrentHashMap<>();

  SignInLimiter(Clock clock, Duration window, int perAccount, int perAddress) {
    this.clock = clock;
    this.window = window;
    this.perAccount = perAccount;
    this.perAddress = perAddress;
  }

  /** How long the caller must wait before trying again; empty when they may try now. */
  Optional<Duration> wait(String address, String email) {
    long now = clock.millis();
    long a = waitFor("addr:" + address, perAddress, now);
    long b = waitFor("acct:" + address + "|" + email, perAccount, now);
    long ms = Math.max(a, b);
    return ms > 0 ? Optional.of(Duration.ofMillis(ms)) : Optional.empty();
  }

  void failed(String address, String email) {
    long now = clock.millis();
    add("addr:" + address, now);
    add("acct:" + address + "|" + email, now);
    if (failures.size() > 100_000) {
      failures.entrySet().removeIf(e -> { synchronized (e.getValue()) { return e.getValue().isEmpty() || e.getValue().peekLast() < now - window.toMillis(); } });
    }
  }

  void succeeded(String address, String email) {
    failures.remove("acct:" + address + "|" + email);
  }

  private void add(String key, long now) {
    Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (times) {
      times.addLast(now);
    }
  }

  private long waitFor(String key, int limit, long now) {
    Deque<Long> times = failures.get(key);
    if (times == null) {
      return 0;
    }
    synchronized (times) {
      while (!times.isEmpty() && times.peekFirst() <= now - window.toMillis()) {
        times.removeFirst();
      }
      if (times.size() < limit) {
        return 0;
      }
      return times.peekFirst() + window.toMillis() - now;
    }
  }
}
