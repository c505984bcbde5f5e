package dev.tandem.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JournalTest {
  @Test
  void keepsTheNewestEntriesAndCountsEveryOne() {
    Journal<Integer> journal = new Journal<>(3);
    IntStream.rangeClosed(1, 5).forEach(journal::add);

    assertThat(journal.snapshot()).containsExactly(3, 4, 5);
    assertThat(journal.appended()).isEqualTo(5);
  }

  @Test
  void concurrentAppendsAreAllKept() throws InterruptedException {
    Journal<Integer> journal = new Journal<>(100_000);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int base = t * 1_000;
      threads.add(Thread.ofVirtual().start(() -> IntStream.range(base, base + 1_000).forEach(journal::add)));
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(journal.appended()).isEqualTo(8_000);
    assertThat(journal.snapshot()).hasSize(8_000).doesNotHaveDuplicates();
  }
}
