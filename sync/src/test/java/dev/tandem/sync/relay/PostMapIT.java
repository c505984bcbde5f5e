package dev.tandem.sync.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.MutableClock;
import dev.tandem.core.testing.TestDatabases;
import dev.tandem.sync.relay.PostMap.Copy;
import dev.tandem.sync.relay.PostMap.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PostMapIT {
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void copiesOfOnePostAreFoundFromAnyOfThemAndRecordingTwiceChangesNothing(Dialect dialect) {
    try (Database db = TestDatabases.fresh(dialect, dir)) {
      new Migrations(db).migrate(List.of(new MigrationSet("core"), new MigrationSet("sync")));
      PostMap posts = new PostMap(db.jdbi(), db.dialect(), MutableClock.atEpochDay());
      String post = PostMap.newPostId();

      posts.record(new Copy(post, "ACME", "C1", "1718264412.339219", Kind.MESSAGE, Optional.empty()));
      posts.record(new Copy(post, "GLOBEX", "C7", "1718264413.000100", Kind.MESSAGE, Optional.empty()));
      posts.record(new Copy(post, "GLOBEX", "C7", "1718264413.000200", Kind.FILE_REPLY, Optional.of("1718264413.000100")));
      String again = posts.record(new Copy(PostMap.newPostId(), "GLOBEX", "C7", "1718264413.000100", Kind.MESSAGE, Optional.empty()));

      assertThat(again).as("a retried delivery keeps the first post id").isEqualTo(post);
      assertThat(posts.copies(post)).hasSize(3);
      assertThat(posts.postOf("GLOBEX", "C7", "1718264413.000200")).contains(post);
      assertThat(posts.copyIn(post, "GLOBEX", "C7")).hasValueSatisfying(c -> assertThat(c.ts()).isEqualTo("1718264413.000100"));
      assertThat(posts.postOf("ACME", "C1", "1718264499.000000")).isEmpty();
    }
  }
}
