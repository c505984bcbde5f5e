package dev.tandem.core.db;

import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** An insert that does nothing when the row exists, on every dialect. */
public final class Inserts {
  private static final int MYSQL_DUPLICATE_KEY = 1062;

  private Inserts() {}

  /**
   * Runs {@code insert} (a plain {@code INSERT ... VALUES (?, ...)}) and returns 1, or 0 when a row
   * with the same {@code conflictColumns} exists. PostgreSQL and SQLite use
   * {@code ON CONFLICT DO NOTHING}; MySQL has no such clause that reports 0 rows, and
   * {@code INSERT IGNORE} would also swallow real errors (a truncated value), so its duplicate-key
   * error is caught instead: it leaves the transaction usable.
   */
  public static int ignoringDuplicate(Handle h, Dialect dialect, String insert, String conflictColumns, Object... args) {
    if (dialect != Dialect.MYSQL) {
      return h.execute(insert + " ON CONFLICT (" + conflictColumns + ") DO NOTHING", args);
    }
    try {
      return h.execute(insert, args);
    } catch (UnableToExecuteStatementException e) {
      if (e.getCause() instanceof SQLException sql && sql.getErrorCode() == MYSQL_DUPLICATE_KEY) {
        return 0;
      }
      throw e;
    }
  }
}
