package dev.tandem.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MigrationsIT {
  private static final List<MigrationSet> SETS = List.of(new MigrationSet("core"), new MigrationSet("probe"));
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void appliesEveryModuleOnceAndThenNothing(Dialect dialect) {
    try (Database db = TestDatabases.fresh(dialect, dir)) {
      Migrations migrations = new Migrations(db);

      List<Migrations.Applied> first = migrations.migrate(SETS);
      List<Migrations.Applied> second = migrations.migrate(SETS);

      int core = scripts("core", dialect);
      assertThat(first).containsExactly(new Migrations.Applied("core", core, String.valueOf(lastVersion("core", dialect))),
          new Migrations.Applied("probe", 2, "2"));
      assertThat(second).extracting(Migrations.Applied::migrationsApplied).containsExactly(0, 0);
      assertThat(count(db, "core_job") + count(db, "core_secret") + count(db, "probe_effect")).isZero();
      assertThat(count(db, "core_schema_history")).isPositive();
      assertThat(count(db, "probe_schema_history")).isPositive();
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void concurrentMigrationsBothSucceed(Dialect dialect) throws Exception {
    String url = TestDatabases.freshUrl(dialect, dir);
    try (Database a = TestDatabases.open(url, dir); Database b = TestDatabases.open(url, dir);
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Callable<List<Migrations.Applied>> runA = () -> new Migrations(a).migrate(SETS);
      Callable<List<Migrations.Applied>> runB = () -> new Migrations(b).migrate(SETS);

      Future<List<Migrations.Applied>> fa = pool.submit(runA);
      Future<List<Migrations.Applied>> fb = pool.submit(runB);
      int applied = Stream.of(fa.get(), fb.get()).flatMap(List::stream).mapToInt(Migrations.Applied::migrationsApplied).sum();

      assertThat(applied).isEqualTo(scripts("core", dialect) + 2);
      assertThat(new Migrations(a).migrate(SETS)).extracting(Migrations.Applied::migrationsApplied).containsExactly(0, 0);
    }
  }

  static int scripts(String module, Dialect dialect) {
    return versions(module, dialect).size();
  }

  static int lastVersion(String module, Dialect dialect) {
    return versions(module, dialect).stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** The versions of a module's migration scripts for a dialect (common and dialect folders). */
  static java.util.List<Integer> versions(String module, Dialect dialect) {
    java.util.List<Integer> n = new java.util.ArrayList<>();
    for (String folder : new String[] {"common", dialect.folder()}) {
      try {
        var url = MigrationsIT.class.getResource("/db/" + module + "/" + folder);
        if (url != null) {
          try (var files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.matches("V\\d+__.*\\.sql"))
                .forEach(f -> n.add(Integer.parseInt(f.substring(1, f.indexOf("__")))));
          }
        }
      } catch (java.io.IOException | java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return n;
  }

  private static long count(Database db, String table) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }
}
