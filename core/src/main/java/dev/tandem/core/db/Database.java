package dev.tandem.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.tandem.core.web.HealthCheck;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool and JDBI for one {@code DATABASE_URL}. SQLite runs in WAL mode with a busy
 * timeout and immediate transactions, so writers queue instead of failing; it serves one instance,
 * whose threads take turns through a {@link SqliteGate}.
 */
public final class Database implements AutoCloseable {
  private final DatabaseUrl url;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private Database(DatabaseUrl url, HikariDataSource dataSource) {
    this.url = url;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(url.dialect() == Dialect.SQLITE ? new SqliteGate(dataSource) : dataSource);
  }

  /** Opens a pool; {@code metrics} may be null (no pool metrics). */
  public static Database open(DatabaseUrl url, int poolSize, MeterRegistry metrics) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("tandem-db");
    config.setJdbcUrl(url.jdbcUrl());
    url.user().ifPresent(config::setUsername);
    url.password().ifPresent(p -> config.setPassword(p.reveal()));
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    config.setInitializationFailTimeout(-1);
    if (url.dialect() == Dialect.SQLITE) {
      Path file = url.sqliteFile().orElseThrow();
      createParent(file);
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.addDataSourceProperty("busy_timeout", "30000");
      config.addDataSourceProperty("foreign_keys", "true");
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      config.addDataSourceProperty("date_class", "INTEGER");
    }
    if (metrics != null) {
      config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
    }
    return new Database(url, new HikariDataSource(config));
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public Dialect dialect() {
    return url.dialect();
  }

  public DatabaseUrl url() {
    return url;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Readiness: a round trip to the database. */
  public HealthCheck healthCheck() {
    return HealthCheck.of("database", () -> {
      jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
      return HealthCheck.Status.up(url.dialect().folder());
    });
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static void createParent(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of the SQLite database " + file, e);
    }
  }
}
