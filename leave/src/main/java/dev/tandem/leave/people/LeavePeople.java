package dev.tandem.leave.people;

import dev.tandem.leave.LeaveIds;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The people the Leave app knows. A person is one email across workspaces: each of their Slack
 * users is an alias ({@code leave_slack_user}), so the same day is never booked twice for one
 * person posting from two workspaces.
 */
public final class LeavePeople {
  private final Jdbi jdbi;
  private final Clock clock;

  /** A person; {@code zone} is where their days begin and end. */
  public record Person(String id, String name, Optional<String> email, ZoneId zone, Optional<Long> harvestUserId, boolean active) {}

  /** What Slack says about a user (users.info). */
  public record Profile(String name, Optional<String> email, Optional<String> timeZone) {}

  public LeavePeople(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public Optional<Person> bySlackUser(String workspaceId, String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT p.* FROM leave_person p JOIN leave_slack_user u ON u.person_id = p.id"
            + " WHERE u.workspace_id = :w AND u.user_id = :u")
        .bind("w", workspaceId).bind("u", userId).map((rs, ctx) -> person(rs)).findOne());
  }

  public Optional<Person> byId(String personId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_person WHERE id = :id").bind("id", personId)
        .map((rs, ctx) -> person(rs)).findOne());
  }

  /**
   * Records a Slack user: as an alias of the person with the same email when there is one,
   * else as a new active person. Returns the person; registering a known user changes nothing.
   */
  public Person register(String workspaceId, String userId, Profile profile, ZoneId defaultZone) {
    return jdbi.inTransaction(h -> {
      Optional<String> known = h.createQuery("SELECT person_id FROM leave_slack_user WHERE workspace_id = :w AND user_id = :u")
          .bind("w", workspaceId).bind("u", userId).mapTo(String.class).findOne();
      String personId = known.orElseGet(() -> {
        String id = profile.email().flatMap(e -> byEmail(h, e)).orElseGet(() -> create(h, profile, defaultZone));
        h.execute("INSERT INTO leave_slack_user (workspace_id, user_id, person_id, created_at) VALUES (?, ?, ?, ?)",
            workspaceId, userId, id, clock.millis());
        return id;
      });
      return h.createQuery("SELECT * FROM leave_person WHERE id = :id").bind("id", personId).map((rs, ctx) -> person(rs)).one();
    });
  }

  /** A Slack user's profile as we keep it: the full name (calendar titles, the admin), else the display name, else the handle. */
  public static Profile profileOf(com.slack.api.model.User u) {
    String name = Optional.ofNullable(u.getRealName()).filter(s -> !s.isBlank())
        .or(() -> Optional.ofNullable(u.getProfile()).map(p -> p.getRealName()).filter(s -> s != null && !s.isBlank()))
        .or(() -> Optional.ofNullable(u.getProfile()).map(p -> p.getDisplayName()).filter(s -> s != null && !s.isBlank()))
        .orElse(u.getName());
    Optional<String> email = Optional.ofNullable(u.getProfile()).map(p -> p.getEmail()).filter(s -> s != null && !s.isBlank());
    return new Profile(name, email, Optional.ofNullable(u.getTz()));
  }

  /**
   * Brings a known person's name and time zone up to date with their Slack profile (an import);
   * true when something changed.
   */
  public boolean refresh(String personId, Profile profile) {
    Optional<Person> p = byId(personId);
    if (p.isEmpty()) {
      return false;
    }
    String zone = profile.timeZone().filter(LeavePeople::validZone).orElse(p.get().zone().getId());
    if (p.get().name().equals(profile.name()) && p.get().zone().getId().equals(zone)) {
      return false;
    }
    jdbi.useHandle(h -> h.execute("UPDATE leave_person SET name = ?, time_zone = ?, updated_at = ? WHERE id = ?", profile.name(), zone,
        clock.millis(), personId));
    return true;
  }

  /** Records a person's Harvest user (found by their email, or set by an admin). */
  public void setHarvestUserId(String personId, long harvestUserId) {
    jdbi.useHandle(h -> h.execute("UPDATE leave_person SET harvest_user_id = ?, updated_at = ? WHERE id = ?", harvestUserId, clock.millis(),
        personId));
  }

  private Optional<String> byEmail(Handle h, String email) {
    return h.createQuery("SELECT id FROM leave_person WHERE email = :e ORDER BY created_at").bind("e", normal(email))
        .mapTo(String.class).findFirst();
  }

  private String create(Handle h, Profile profile, ZoneId defaultZone) {
    String id = LeaveIds.newId();
    String zone = profile.timeZone().filter(LeavePeople::validZone).orElse(defaultZone.getId());
    long now = clock.millis();
    h.execute("INSERT INTO leave_person (id, name, email, time_zone, harvest_user_id, status, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, NULL, 'active', ?, ?)", id, profile.name(), profile.email().map(LeavePeople::normal).orElse(null), zone, now, now);
    return id;
  }

  private static boolean validZone(String zone) {
    try {
      ZoneId.of(zone);
      return true;
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }

  private static String normal(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }

  private static Person person(ResultSet rs) throws SQLException {
    long harvest = rs.getLong("harvest_user_id");
    Optional<Long> harvestId = rs.wasNull() ? Optional.empty() : Optional.of(harvest);
    return new Person(rs.getString("id"), rs.getString("name"), Optional.ofNullable(rs.getString("email")),
        ZoneId.of(rs.getString("time_zone")), harvestId, "active".equals(rs.getString("status")));
  }
}
