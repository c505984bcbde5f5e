package dev.tandem.core.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies every module's Flyway migrations, each with its own history table.
 *
 * <p>Safe when several instances start at once: the whole run holds an advisory lock on
 * PostgreSQL, {@code GET_LOCK} on MySQL, and on SQLite, which has neither, a file lock beside
 * the database.
 */
public final class Migrations {
  /** PostgreSQL advisory lock key of migrations ("tandem" in ASCII). */
  private static final long ADVISORY_KEY = 0x74616e64656dL;
  private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();
  private final Database database;

  public Migrations(Database database) {
    this.database = database;
  }

  /** What one module's migration run did. */
  public record Applied(String module, int migrationsApplied, String schemaVersion) {}

  public List<Applied> migrate(List<MigrationSet> sets) {
    return switch (database.dialect()) {
      case SQLITE -> underFileLock(sets);
      case POSTGRESQL -> underDatabaseLock(sets, "SELECT pg_advisory_lock(" + ADVISORY_KEY + ")",
          "SELECT pg_advisory_unlock(" + ADVISORY_KEY + ")");
      case MYSQL -> underDatabaseLock(sets, "SELECT GET_LOCK('tandem.migrate', 600)", "SELECT RELEASE_LOCK('tandem.migrate')");
    };
  }

  /**
   * Flyway locks while it applies migrations, but not while it decides whether to create or
   * baseline a module's history table; two processes starting on a fresh database can both try
   * (seen on MariaDB: "Unable to baseline schema history table ... as it already exists"). So
   * the whole run holds one lock of ours, on a connection of its own.
   */
  private List<Applied> underDatabaseLock(List<MigrationSet> sets, String lock, String unlock) {
    try (Handle h = database.jdbi().open()) {
      // pg_advisory_lock returns void; GET_LOCK returns 1 when granted, 0 on timeout, NULL on error
      Object granted = h.createQuery(lock).map((rs, ctx) -> rs.getObject(1)).list().get(0);
      if (database.dialect() == Dialect.MYSQL && !(granted instanceof Number n && n.intValue() == 1)) {
        throw new IllegalStateException("could not take the migration lock within 600 s: another migration is still running");
      }
      try {
        return migrateAll(sets);
      } finally {
        h.createQuery(unlock).map((rs, ctx) -> rs.getObject(1)).list();
      }
    }
  }

  private List<Applied> underFileLock(List<MigrationSet> sets) {
    Path lockFile = Path.of(database.url().sqliteFile().orElseThrow() + ".migrate.lock");
    // A file lock excludes other processes; within this JVM a plain lock must queue threads first.
    ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
    local.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      return migrateAll(sets);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + lockFile + " for migrations", e);
    } finally {
      local.unlock();
    }
  }

  private List<Applied> migrateAll(List<MigrationSet> sets) {
    List<Applied> applied = new ArrayList<>();
    for (MigrationSet set : sets) {
      MigrateResult result = flyway(set).migrate();
      applied.add(new Applied(set.module(), result.migrationsExecuted,
          result.targetSchemaVersion != null ? result.targetSchemaVersion : String.valueOf(result.initialSchemaVersion)));
    }
    return applied;
  }

  private Flyway flyway(MigrationSet set) {
    return Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(database.dataSource())
        .table(set.historyTable())
        .locations(set.locations(database.dialect()))
        .failOnMissingLocations(false)
        // Modules share one schema, so a module's first run finds other modules' tables:
        // baseline at 0 so that its V1 still runs.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .validateMigrationNaming(true)
        .load();
  }
}
