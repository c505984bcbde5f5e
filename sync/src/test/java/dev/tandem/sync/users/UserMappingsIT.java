package dev.tandem.sync.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.MutableClock;
import dev.tandem.core.testing.TestDatabases;
import dev.tandem.sync.users.UserMatching.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UserMappingsIT {
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void matchingReadsTheDirectoryAndNeverOverridesAManualMapping(Dialect dialect) {
    try (Database db = TestDatabases.fresh(dialect, dir)) {
      new Migrations(db).migrate(List.of(new MigrationSet("core"), new MigrationSet("sync")));
      MutableClock clock = MutableClock.atEpochDay();
      UserDirectory directory = new UserDirectory(db.jdbi(), clock);
      UserMappings mappings = new UserMappings(db.jdbi(), clock);
      Person dave = new Person("ACME", "U0DAVEA", Optional.of("Dave@Example.com"), "Dave Diaz", "dave", Optional.empty(), false);
      directory.upsert(dave);
      directory.upsert(new Person("GLOBEX", "U0DAVEG", Optional.of("dave@example.com"), "Dave Diaz", "dave", Optional.empty(), false));
      directory.upsert(new Person("GLOBEX", "U0ERIN", Optional.of("erin@globex.example"), "Erin Evans", "erin", Optional.empty(), false));

      var match = UserMatching.match(dave, directory.byEmail("GLOBEX", dave.email().orElseThrow()), directory.people("GLOBEX"));
      mappings.recordMatch(dave, "GLOBEX", match);
      mappings.setManual(dave, "GLOBEX", "U0ERIN");
      mappings.recordMatch(dave, "GLOBEX", match);

      assertThat(match).isEqualTo(new UserMatching.Match.Found(directory.find("GLOBEX", "U0DAVEG").orElseThrow(), Method.EMAIL));
      assertThat(mappings.find("ACME", "U0DAVEA", "GLOBEX")).hasValueSatisfying(m -> {
        assertThat(m.method()).isEqualTo(Method.MANUAL);
        assertThat(m.targetUserId()).contains("U0ERIN");
      });

      mappings.clearManual(dave, "GLOBEX");
      mappings.recordMatch(dave, "GLOBEX", match);
      assertThat(mappings.find("ACME", "U0DAVEA", "GLOBEX")).hasValueSatisfying(m -> {
        assertThat(m.method()).isEqualTo(Method.EMAIL);
        assertThat(m.targetUserId()).contains("U0DAVEG");
      });

      directory.remove("GLOBEX", "U0DAVEG");
      assertThat(directory.byEmail("GLOBEX", "dave@example.com")).isEmpty();
      directory.upsert(new Person("GLOBEX", "U0DAVEG", Optional.of("dave@example.com"), "Dave Diaz", "Dave D", Optional.empty(), false));
      assertThat(directory.find("GLOBEX", "U0DAVEG")).hasValueSatisfying(p -> assertThat(p.displayName()).isEqualTo("Dave D"));
    }
  }
}
