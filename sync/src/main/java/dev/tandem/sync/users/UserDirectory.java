package dev.tandem.sync.users;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Each workspace's people ({@code sync_user}), filled from {@code users.list} crawls and kept
 * fresh by {@code team_join} and {@code user_profile_changed}. Matching reads it locally instead
 * of calling Slack per person.
 */
public final class UserDirectory {
  private final Jdbi jdbi;
  private final Clock clock;

  public UserDirectory(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Inserts or refreshes a person (and undeletes one who came back). */
  public void upsert(Person p) {
    long now = clock.millis();
    String update = "UPDATE sync_user SET email = :email, real_name = :real, display_name = :display, normalized_name = :norm,"
        + " avatar_url = :avatar, is_bot = :bot, updated_at = :now, deleted_at = NULL WHERE workspace_id = :ws AND user_id = :id";
    String insert = "INSERT INTO sync_user (workspace_id, user_id, email, real_name, display_name, normalized_name, avatar_url,"
        + " is_bot, updated_at) VALUES (:ws, :id, :email, :real, :display, :norm, :avatar, :bot, :now)";
    for (int attempt = 0; ; attempt++) {
      try {
        jdbi.useHandle(h -> {
          var bound = h.createUpdate(update);
          if (bind(bound, p, now).execute() == 0) {
            bind(h.createUpdate(insert), p, now).execute();
          }
        });
        return;
      } catch (UnableToExecuteStatementException raced) {
        if (attempt > 0) {
          throw raced; // a concurrent insert of the same person won once; the update now applies
        }
      }
    }
  }

  /** Marks a person gone (deactivated or no longer listed). */
  public void remove(String workspaceId, String userId) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_user SET deleted_at = ? WHERE workspace_id = ? AND user_id = ? AND deleted_at IS NULL",
        clock.millis(), workspaceId, userId));
  }

  public Optional<Person> find(String workspaceId, String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sync_user WHERE workspace_id = :ws AND user_id = :id AND deleted_at IS NULL")
        .bind("ws", workspaceId).bind("id", userId).map((rs, ctx) -> row(rs)).findOne());
  }

  /** The (non-bot) person with this email in the workspace, when there is exactly one. */
  public Optional<Person> byEmail(String workspaceId, String email) {
    List<Person> found = jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM sync_user WHERE workspace_id = :ws AND email = :email AND deleted_at IS NULL AND is_bot = 0")
        .bind("ws", workspaceId).bind("email", email.strip().toLowerCase(java.util.Locale.ROOT)).map((rs, ctx) -> row(rs)).list());
    return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
  }

  /** Everyone of the workspace, for matching by name. */
  public List<Person> people(String workspaceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sync_user WHERE workspace_id = :ws AND deleted_at IS NULL ORDER BY user_id")
        .bind("ws", workspaceId).map((rs, ctx) -> row(rs)).list());
  }

  private static org.jdbi.v3.core.statement.Update bind(org.jdbi.v3.core.statement.Update u, Person p, long now) {
    return u.bind("ws", p.workspaceId()).bind("id", p.userId())
        .bind("email", p.email().map(e -> e.strip().toLowerCase(java.util.Locale.ROOT)).orElse(null))
        .bind("real", p.realName()).bind("display", p.displayName())
        .bind("norm", Person.normalize(p.displayName().isBlank() ? p.realName() : p.displayName()))
        .bind("avatar", p.avatarUrl().orElse(null)).bind("bot", p.bot() ? 1 : 0).bind("now", now);
  }

  private static Person row(ResultSet rs) throws SQLException {
    return new Person(rs.getString("workspace_id"), rs.getString("user_id"), Optional.ofNullable(rs.getString("email")),
        rs.getString("real_name"), rs.getString("display_name"), Optional.ofNullable(rs.getString("avatar_url")),
        rs.getInt("is_bot") == 1);
  }
}
