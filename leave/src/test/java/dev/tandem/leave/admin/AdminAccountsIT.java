package dev.tandem.leave.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.MutableClock;
import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local admin accounts: hashed passwords (never stored as given), sign-in, refusals. */
class AdminAccountsIT {
  @TempDir Path dir;

  @Test
  void anAccountSignsInWithItsPasswordOnlyAndIsStoredHashed() {
    try (Database db = TestDatabases.fresh(Dialect.SQLITE, dir)) {
      new Migrations(db).migrate(List.of(new MigrationSet("core"), new MigrationSet("leave")));
      AdminAccounts accounts = new AdminAccounts(db.jdbi(), MutableClock.atEpochDay());
      accounts.create("Ada@Example.com", "Ada", "correct horse battery");
      assertThat(accounts.signIn("ada@example.com", "correct horse battery")).get().extracting(AdminAccounts.Admin::email)
          .isEqualTo("ada@example.com");
      assertThat(accounts.signIn("ada@example.com", "correct horse batterz")).isEmpty();
      assertThat(accounts.signIn("bob@example.com", "correct horse battery")).isEmpty();
      String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM leave_admin_user").mapTo(String.class).one());
      assertThat(stored).doesNotContain("correct").startsWith("pbkdf2-sha256$600000$");

      assertThatThrownBy(() -> accounts.create("ada@example.com", "Ada", "another long password")).hasMessageContaining("exists already");
      assertThatThrownBy(() -> accounts.create("eve@example.com", "Eve", "short")).hasMessageContaining("12 characters");
      assertThatThrownBy(() -> accounts.create("not-an-email", "X", "long enough password")).hasMessageContaining("not an email");
      assertThat(accounts.count()).isEqualTo(1);
    }
  }

  @Test
  void hashesAreSaltedAndTamperedOrForeignHashesNeverMatch() {
    String a = Passwords.hash("same password here");
    String b = Passwords.hash("same password here");
    assertThat(a).isNotEqualTo(b);
    assertThat(Passwords.matches("same password here", a)).isTrue();
    assertThat(Passwords.matches("same password here", a.substring(0, a.length() - 2) + "AA")).isFalse();
    assertThat(Passwords.matches("same password here", "$2a$10$somebcrypthash")).isFalse();
    assertThat(Passwords.matches("same password here", null)).isFalse();
    assertThat(Passwords.needsRehash(a.replace("$600000$", "$1000$"))).isTrue();
    assertThat(Passwords.needsRehash(a)).isFalse();
    assertThat(Passwords.generate()).hasSize(20).doesNotContain("0", "O", "l", "1", "I");
  }
}
