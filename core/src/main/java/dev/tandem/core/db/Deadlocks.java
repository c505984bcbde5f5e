package dev.tandem.core.db;

import java.sql.SQLException;
import java.util.concurrent.Callable;

/**
 * Runs a short transaction again when the database chose it as a deadlock victim (or, on
 * PostgreSQL, a serialisation failure): InnoDB in particular picks victims among perfectly
 * ordinary concurrent statements, and a victim's work was rolled back entirely, so running it
 * again is always safe.
 */
public final class Deadlocks {
  private static final int ATTEMPTS = 5;

  private Deadlocks() {}

  public static <T, X extends Exception> T retry(Callable<T> transaction) throws X {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.call();
      } catch (Exception e) {
        if (attempt >= ATTEMPTS || !isDeadlock(e)) {
          throw Deadlocks.<X>sneaky(e);
        }
      }
    }
  }

  /** Whether {@code e} (or a cause) is a deadlock or serialisation failure. */
  public static boolean isDeadlock(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state) || sql.getErrorCode() == 1213) {
          return true;
        }
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <X extends Exception> RuntimeException sneaky(Exception e) throws X {
    throw (X) e;
  }
}
