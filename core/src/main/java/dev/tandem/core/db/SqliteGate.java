package dev.tandem.core.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * One thread at a time uses SQLite in this process; a thread that already holds a connection may
 * open more.
 *
 * <p>Why: SQLite has one writer, and a writer that finds the database locked waits in SQLite's
 * native busy handler. A virtual thread waiting there pins its carrier; with a few carriers (one
 * per core), the waiting threads can occupy all of them while the thread that holds the lock is
 * unmounted and cannot run to release it: every writer then stalls for the whole busy timeout.
 * Waiting here instead, on a semaphore, unmounts the virtual thread. SQLite serialises writes
 * anyway, so nothing is lost; the busy timeout still covers other processes on the same file.
 */
final class SqliteGate implements DataSource {
  private final DataSource delegate;
  private final Semaphore permit = new Semaphore(1, true);
  private final Map<Thread, Integer> holders = new ConcurrentHashMap<>();

  SqliteGate(DataSource delegate) {
    this.delegate = delegate;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Thread me = Thread.currentThread();
    if (holders.merge(me, 1, Integer::sum) == 1) {
      try {
        permit.acquire();
      } catch (InterruptedException e) {
        holders.remove(me);
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for the SQLite connection", e);
      }
    }
    try {
      return gated(delegate.getConnection(), me);
    } catch (SQLException | RuntimeException e) {
      release(me);
      throw e;
    }
  }

  private void release(Thread owner) {
    if (holders.compute(owner, (t, n) -> n == null || n <= 1 ? null : n - 1) == null) {
      permit.release();
    }
  }

  private Connection gated(Connection connection, Thread owner) {
    boolean[] closed = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        synchronized (closed) {
          if (closed[0]) {
            return null;
          }
          closed[0] = true;
        }
        try {
          connection.close();
        } finally {
          release(owner);
        }
        return null;
      }
      try {
        return method.invoke(connection, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from the pool");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
