package dev.tandem.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlocksTest {
  @Test
  void aDeadlockVictimRunsAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();

    String result = Deadlocks.retry(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("wrapped", new SQLException("Deadlock found when trying to get lock", "40001", 1213));
      }
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertThat(calls).hasValue(3);
  }

  @Test
  void otherFailuresAreNotRetried() {
    AtomicInteger calls = new AtomicInteger();

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Deadlocks.retry(() -> {
      calls.incrementAndGet();
      throw new IllegalStateException("constraint", new SQLException("duplicate key", "23505"));
    }));

    assertThat(e.getMessage()).isEqualTo("constraint");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aPersistentDeadlockGivesUpAfterFiveAttempts() {
    AtomicInteger calls = new AtomicInteger();

    assertThrows(IllegalStateException.class, () -> Deadlocks.retry(() -> {
      calls.incrementAndGet();
      throw new IllegalStateException(new SQLException("deadlock detected", "40P01"));
    }));

    assertThat(calls).hasValue(5);
  }
}
