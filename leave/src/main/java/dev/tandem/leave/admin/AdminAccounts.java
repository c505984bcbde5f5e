package dev.tandem.leave.admin;

import dev.tandem.leave.LeaveIds;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The web admin's local accounts ({@code leave_admin_user}), for installations without Google sign-in. */
public final class AdminAccounts {
  /** A hash to compare against when the email is unknown, so that unknown and known emails take as long to refuse. */
  private static final String DECOY = Passwords.hash(Passwords.generate());
  private final Jdbi jdbi;
  private final Clock clock;

  /** An account as the admin needs it. */
  public record Admin(String id, String email, String name) {}

  /** An account as the accounts page lists it. */
  public record Account(String id, String email, String name, boolean active, boolean mustChangePassword, long createdAt, Long lastLoginAt) {}

  public AdminAccounts(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Creates an account; refused (IllegalArgumentException) for an email that has one, or a password under 12 characters. */
  public Admin create(String email, String name, String password) {
    String normal = normal(email);
    if (!normal.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
      throw new IllegalArgumentException("'" + email + "' is not an email address");
    }
    if (password.length() < 12) {
      throw new IllegalArgumentException("a password needs at least 12 characters");
    }
    if (find(normal).isPresent()) {
      throw new IllegalArgumentException("an admin account for " + normal + " exists already");
    }
    String id = LeaveIds.newId();
    long now = clock.millis();
    jdbi.useHandle(h -> h.execute("INSERT INTO leave_admin_user (id, email, name, password_hash, status, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, 'active', ?, ?)", id, normal, name, Passwords.hash(password), now, now));
    return new Admin(id, normal, name);
  }

  /**
   * On first run (no account at all): creates {@code email}'s account with a generated one-time
   * password, which must be changed at first sign-in. Returns the password, to be shown once; empty
   * when an account exists (also when another instance created the first one at the same moment).
   */
  public Optional<String> createFirst(String email) {
    if (count() > 0) {
      return Optional.empty();
    }
    String password = Passwords.generate();
    try {
      Admin admin = create(email, "Admin", password);
      jdbi.useHandle(h -> h.execute("UPDATE leave_admin_user SET must_change_password = 1 WHERE id = ?", admin.id()));
      return Optional.of(password);
    } catch (IllegalArgumentException | org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      return Optional.empty();
    }
  }

  /** Sets a new password (at least 12 characters) and lifts the must-change mark. */
  public void changePassword(String email, String password) {
    resetPassword(email, password, false);
  }

  /** Sets a new password (at least 12 characters); {@code oneTime}: it must be changed at the next sign-in. */
  public void resetPassword(String email, String password, boolean oneTime) {
    if (password.length() < 12) {
      throw new IllegalArgumentException("a password needs at least 12 characters");
    }
    int n = jdbi.withHandle(h -> h.execute("UPDATE leave_admin_user SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE email = ?",
        Passwords.hash(password), oneTime ? 1 : 0, clock.millis(), normal(email)));
    if (n == 0) {
      throw new IllegalArgumentException("no admin account for " + email);
    }
  }

  /** The active account with this email and password; empty otherwise (taking as long either way). */
  public Optional<Admin> signIn(String email, String password) {
    String normal = normal(email);
    var row = jdbi.withHandle(h -> h.createQuery("SELECT id, email, name, password_hash FROM leave_admin_user"
            + " WHERE email = :e AND status = 'active'").bind("e", normal).mapToMap().findOne());
    if (row.isEmpty()) {
      Passwords.matches(password, DECOY);
      return Optional.empty();
    }
    String stored = (String) row.get().get("password_hash");
    if (!Passwords.matches(password, stored)) {
      return Optional.empty();
    }
    String id = (String) row.get().get("id");
    long now = clock.millis();
    jdbi.useHandle(h -> h.execute("UPDATE leave_admin_user SET last_login_at = ? WHERE id = ?", now, id));
    if (Passwords.needsRehash(stored)) {
      jdbi.useHandle(h -> h.execute("UPDATE leave_admin_user SET password_hash = ?, updated_at = ? WHERE id = ?", Passwords.hash(password),
          now, id));
    }
    return Optional.of(new Admin(id, (String) row.get().get("email"), (String) row.get().get("name")));
  }

  /** Every local account, by email. */
  public java.util.List<Account> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_admin_user ORDER BY email").map((rs, ctx) -> {
      long last = rs.getLong("last_login_at");
      Long lastLogin = rs.wasNull() ? null : last;
      return new Account(rs.getString("id"), rs.getString("email"), rs.getString("name"), "active".equals(rs.getString("status")),
          rs.getInt("must_change_password") != 0, rs.getLong("created_at"), lastLogin);
    }).list());
  }

  public Optional<Account> byId(String id) {
    return list().stream().filter(a -> a.id().equals(id)).findFirst();
  }

  /** Enables or disables an account (a disabled one cannot sign in); false when it was so already. */
  public boolean setActive(String id, boolean active) {
    return jdbi.withHandle(h -> h.execute("UPDATE leave_admin_user SET status = ?, updated_at = ? WHERE id = ? AND status <> ?",
        active ? "active" : "disabled", clock.millis(), id, active ? "active" : "disabled")) == 1;
  }

  public long count() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM leave_admin_user").mapTo(Long.class).one());
  }

  private Optional<String> find(String email) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM leave_admin_user WHERE email = :e").bind("e", email).mapTo(String.class)
        .findOne());
  }

  private static String normal(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }
}
