package dev.tandem.core.db;

import dev.tandem.core.config.ConfigReader;
import java.nio.file.Path;
import java.util.Optional;

/** {@code DATABASE_URL} and the pool size. */
public record DatabaseSettings(Optional<DatabaseUrl> url, int poolSize) {

  public static DatabaseSettings read(ConfigReader config, Path dataDir) {
    Path cwd = Path.of("").toAbsolutePath();
    String defaultUrl = "sqlite:" + dataDir.resolve("tandem.db");
    Optional<DatabaseUrl> url = config.parse("DATABASE_URL", defaultUrl,
        "Database: sqlite:PATH, postgresql://user:password@host:5432/db, mysql://… or mariadb://… (default: an SQLite file in the data directory).",
        false, raw -> DatabaseUrl.parse(raw, cwd));
    int pool = config.integer("DATABASE_POOL_SIZE", 20, 1, 200, "Largest number of open database connections per process.");
    return new DatabaseSettings(url, pool);
  }

  /** The URL; only absent after a configuration problem was reported. */
  public DatabaseUrl requireUrl() {
    return url.orElseThrow(() -> new IllegalStateException("DATABASE_URL is invalid"));
  }
}
