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
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies every module's Flyway migrations, each with its own history table.
 *
 * <p>Safe when several instances start at once: Flyway takes an advisory lock on PostgreSQL and
 * {@code GET_LOCK} on MySQL; on SQLite, which has neither, a file lock beside the database
 * serialises migrating processes.
 */
public final class Migrations {
  private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();
  private final Database database;

  public Migrations(Database database) {
    this.database = database;
  }

  /** What one module's migration run did. */
  public record Applied(String module, int migrationsApplied, String schemaVersion) {}

  public List<Applied> migrate(List<MigrationSet> sets) {
    if (database.dialect() == Dialect.SQLITE) {
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
    return migrateAll(sets);
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
