package dev.tandem.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  private final Path base = Path.of("/srv/tandem");

  @Test
  void sqlitePathsResolveAgainstTheBaseDirectory() {
    DatabaseUrl url = DatabaseUrl.parse("sqlite:./data/tandem.db", base);

    assertThat(url.dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/srv/tandem/data/tandem.db");
    assertThat(url.sqliteFile()).contains(Path.of("/srv/tandem/data/tandem.db"));
  }

  @Test
  void postgresCredentialsAreSplitOutOfTheJdbcUrl() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://app:p%40ss@db.internal/tandem?sslmode=require", base);

    assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/tandem?sslmode=require");
    assertThat(url.user()).contains("app");
    assertThat(url.password().orElseThrow().reveal()).isEqualTo("p@ss");
    assertThat(url.toString()).doesNotContain("p@ss");
  }

  @Test
  void mysqlAndMariadbUseTheMariadbDriver() {
    assertThat(DatabaseUrl.parse("mysql://root@127.0.0.1/test", base).jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/test");
    assertThat(DatabaseUrl.parse("jdbc:mariadb://h:3307/x", base).dialect()).isEqualTo(Dialect.MYSQL);
  }

  @Test
  void unsupportedSchemesSayWhatIsExpected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("mongo://x", base));

    assertThat(e.getMessage()).isEqualTo("unsupported scheme 'mongo' (expected sqlite:, postgresql:, mysql: or mariadb:)");
  }

  @Test
  void serverUrlsNeedAHostAndADatabase() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("postgresql://db.internal", base));

    assertThat(e.getMessage()).isEqualTo("needs a host and a database (expected postgresql://user:password@host:port/database)");
  }
}
