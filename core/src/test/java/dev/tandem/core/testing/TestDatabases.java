package dev.tandem.core.testing;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.DatabaseUrl;
import dev.tandem.core.db.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;

/**
 * Real databases for tests: a fresh SQLite file, a fresh database on an embedded PostgreSQL
 * started from the jar (one server per JVM), and a fresh database on MariaDB/MySQL when one is
 * reachable at {@code 127.0.0.1:3306} (root, empty password; override with
 * {@code TANDEM_TEST_MYSQL_URL}). MySQL-dialect tests are reported as skipped, with the reason,
 * where there is none.
 */
public final class TestDatabases {
  private static EmbeddedPostgres postgres;
  private static Boolean mysqlReachable;

  private TestDatabases() {}

  /** The dialects every repository and migration test runs against. */
  public static Stream<Named<Dialect>> dialects() {
    return Stream.of(Dialect.SQLITE, Dialect.POSTGRESQL, Dialect.MYSQL)
        .map(d -> Named.of(d.folder(), d));
  }

  /** The dialects that allow several instances. */
  public static Stream<Named<Dialect>> multiInstanceDialects() {
    return Stream.of(Dialect.POSTGRESQL, Dialect.MYSQL).map(d -> Named.of(d.folder(), d));
  }

  /** A URL to a fresh, empty database of {@code dialect}; skips the test when MySQL is unreachable. */
  public static String freshUrl(Dialect dialect, Path tempDir) {
    String name = "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    return switch (dialect) {
      case SQLITE -> "sqlite:" + tempDir.resolve(name + ".db");
      case POSTGRESQL -> {
        createDatabase(postgresAdminUrl(), "postgres", "CREATE DATABASE " + name);
        yield "postgresql://postgres@localhost:" + postgres().getPort() + "/" + name;
      }
      case MYSQL -> {
        assumeMysql();
        createDatabase(mysqlAdminUrl(), "root", "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        yield mysqlBase() + "/" + name;
      }
    };
  }

  public static Database open(String url, Path baseDir) {
    return Database.open(DatabaseUrl.parse(url, baseDir), 8, null);
  }

  public static Database fresh(Dialect dialect, Path tempDir) {
    return open(freshUrl(dialect, tempDir), tempDir);
  }

  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }));
    }
    return postgres;
  }

  public static void assumeMysql() {
    Assumptions.assumeTrue(mysqlReachable(), "MariaDB/MySQL not reachable at " + mysqlBase()
        + " (set TANDEM_TEST_MYSQL_URL, or start one): MySQL-dialect test skipped");
  }

  static synchronized boolean mysqlReachable() {
    if (mysqlReachable == null) {
      try (Connection c = DriverManager.getConnection(mysqlAdminUrl() + "&connectTimeout=2000", "root", "")) {
        mysqlReachable = c.isValid(2);
      } catch (SQLException e) {
        mysqlReachable = false;
      }
    }
    return mysqlReachable;
  }

  private static String mysqlBase() {
    String configured = System.getenv("TANDEM_TEST_MYSQL_URL");
    return configured != null ? configured.replaceAll("/+$", "") : "mariadb://root@127.0.0.1:3306";
  }

  private static String mysqlAdminUrl() {
    String base = mysqlBase().replaceFirst("^(mysql|mariadb)://([^@]*@)?", "jdbc:mariadb://");
    return base + "/?allowPublicKeyRetrieval=true";
  }

  private static String postgresAdminUrl() {
    return "jdbc:postgresql://localhost:" + postgres().getPort() + "/postgres";
  }

  private static void createDatabase(String adminUrl, String user, String sql) {
    try (Connection c = DriverManager.getConnection(adminUrl, user, "")) {
      c.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database with " + adminUrl.toLowerCase(Locale.ROOT), e);
    }
  }

  /** A scratch directory outside any test's {@code @TempDir}, for processes that outlive a test method. */
  public static Path scratch(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Dialect> all() {
    return List.of(Dialect.values());
  }
}
