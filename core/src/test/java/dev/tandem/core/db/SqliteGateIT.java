package dev.tandem.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteGateIT {
  @TempDir Path dir;

  @Test
  void manyVirtualThreadsWritingAtOnceAllFinishWhileOneHoldsAWriteTransaction() throws Exception {
    try (Database db = TestDatabases.fresh(Dialect.SQLITE, dir)) {
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE t (n INT)"));
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread holder = Thread.ofVirtual().start(() -> db.jdbi().useTransaction(h -> {
        h.execute("INSERT INTO t VALUES (0)");
        // a nested connection of the same thread is let through, not blocked behind itself
        db.jdbi().useHandle(inner -> inner.createQuery("SELECT COUNT(*) FROM t").mapTo(Integer.class).one());
        holding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

      // more writers than carrier threads: they wait on the gate (unmounted), not in SQLite's busy handler
      List<Thread> writers = new ArrayList<>();
      AtomicBoolean failed = new AtomicBoolean();
      for (int i = 1; i <= 4 * Runtime.getRuntime().availableProcessors() + 4; i++) {
        int n = i;
        writers.add(Thread.ofVirtual().start(() -> {
          try {
            db.jdbi().useTransaction(h -> h.execute("INSERT INTO t VALUES (?)", n));
          } catch (RuntimeException e) {
            failed.set(true);
          }
        }));
      }
      // the holder can still run and finish although every writer is waiting
      release.countDown();
      holder.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(holder.isAlive()).as("the holder finished").isFalse();
      for (Thread w : writers) {
        w.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(w.isAlive()).isFalse();
      }
      assertThat(failed).isFalse();
      int rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Integer.class).one());
      assertThat(rows).isEqualTo(writers.size() + 1);
    }
  }
}
