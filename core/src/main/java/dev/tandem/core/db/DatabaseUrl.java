package dev.tandem.core.db;

import dev.tandem.core.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A parsed {@code DATABASE_URL}: {@code sqlite:PATH}, {@code postgresql://user:pass@host:port/db?params}
 * ({@code postgres://} too), {@code mysql://…} or {@code mariadb://…}; a {@code jdbc:} prefix is accepted.
 * Credentials are split out of the JDBC URL so that it can be logged.
 */
public record DatabaseUrl(Dialect dialect, String jdbcUrl, Optional<String> user, Optional<Secret> password) {

  static final String EXPECTED = "expected sqlite:, postgresql:, mysql: or mariadb:";

  /** Parses {@code raw}; a relative SQLite path is resolved against {@code baseDir}. */
  public static DatabaseUrl parse(String raw, Path baseDir) {
    String url = raw.strip();
    if (url.startsWith("jdbc:")) {
      url = url.substring(5);
    }
    int colon = url.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a database URL: '" + url + "' (" + EXPECTED + ")");
    }
    String scheme = url.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    return switch (scheme) {
      case "sqlite" -> sqlite(url.substring(colon + 1), baseDir);
      case "postgresql", "postgres" -> server(Dialect.POSTGRESQL, "postgresql", url, 5432);
      case "mysql", "mariadb" -> server(Dialect.MYSQL, "mariadb", url, 3306);
      default -> throw new IllegalArgumentException("unsupported scheme '" + scheme + "' (" + EXPECTED + ")");
    };
  }

  /** The SQLite file, for SQLite URLs. */
  public Optional<Path> sqliteFile() {
    if (dialect != Dialect.SQLITE) {
      return Optional.empty();
    }
    String path = jdbcUrl.substring("jdbc:sqlite:".length());
    int q = path.indexOf('?');
    return Optional.of(Path.of(q >= 0 ? path.substring(0, q) : path));
  }

  @Override
  public String toString() {
    return jdbcUrl + user.map(u -> " (user " + u + ")").orElse("");
  }

  private static DatabaseUrl sqlite(String rest, Path baseDir) {
    String path = rest.startsWith("//") ? rest.substring(2) : rest;
    if (path.isBlank()) {
      throw new IllegalArgumentException("sqlite: URL without a file path (expected for example sqlite:./data/tandem.db)");
    }
    if (path.contains(":memory:")) {
      throw new IllegalArgumentException("in-memory SQLite is not supported (expected a file path, for example sqlite:./data/tandem.db)");
    }
    Path file = baseDir.resolve(path).toAbsolutePath().normalize();
    return new DatabaseUrl(Dialect.SQLITE, "jdbc:sqlite:" + file, Optional.empty(), Optional.empty());
  }

  private static DatabaseUrl server(Dialect dialect, String jdbcScheme, String url, int defaultPort) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed URL (" + e.getReason() + "; expected " + jdbcScheme + "://user:password@host:port/database)");
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() <= 1) {
      throw new IllegalArgumentException("needs a host and a database (expected " + jdbcScheme + "://user:password@host:port/database)");
    }
    Optional<String> user = Optional.empty();
    Optional<Secret> password = Optional.empty();
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = Optional.of(decode(parts[0])).filter(u -> !u.isEmpty());
      if (parts.length == 2) {
        password = Optional.of(Secret.of(decode(parts[1])));
      }
    }
    int port = uri.getPort() > 0 ? uri.getPort() : defaultPort;
    String jdbc = "jdbc:" + jdbcScheme + "://" + uri.getHost() + ":" + port + uri.getRawPath()
        + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    return new DatabaseUrl(dialect, jdbc, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
