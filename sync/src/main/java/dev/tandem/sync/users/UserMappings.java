package dev.tandem.sync.users;

import dev.tandem.sync.users.UserMatching.Match;
import dev.tandem.sync.users.UserMatching.Method;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Who a person of one workspace is in another ({@code sync_user_mapping}): one row per source
 * person and target workspace. Automatic matches never overwrite a manual mapping.
 */
public final class UserMappings {
  private final Jdbi jdbi;
  private final Clock clock;

  public UserMappings(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** One stored mapping. */
  public record Mapping(String sourceWorkspaceId, String sourceUserId, String targetWorkspaceId, Optional<String> targetUserId,
      Method method, Instant matchedAt) {}

  public Optional<Mapping> find(String sourceWorkspaceId, String sourceUserId, String targetWorkspaceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sync_user_mapping WHERE source_workspace_id = :sw AND source_user_id = :su"
            + " AND target_workspace_id = :tw")
        .bind("sw", sourceWorkspaceId).bind("su", sourceUserId).bind("tw", targetWorkspaceId)
        .map((rs, ctx) -> new Mapping(rs.getString("source_workspace_id"), rs.getString("source_user_id"),
            rs.getString("target_workspace_id"), Optional.ofNullable(rs.getString("target_user_id")),
            Method.valueOf(rs.getString("method").toUpperCase(Locale.ROOT)), Instant.ofEpochMilli(rs.getLong("matched_at"))))
        .findOne());
  }

  /** Stores an automatic match for {@code source} in {@code targetWorkspaceId}, unless a person set it by hand. */
  public void recordMatch(Person source, String targetWorkspaceId, Match match) {
    Optional<String> target = match instanceof Match.Found found ? Optional.of(found.target().userId()) : Optional.empty();
    save(source, targetWorkspaceId, target, match.method(), false);
  }

  /** A mapping set by an admin: it wins over every automatic match until removed. */
  public void setManual(Person source, String targetWorkspaceId, String targetUserId) {
    save(source, targetWorkspaceId, Optional.of(targetUserId), Method.MANUAL, true);
  }

  /** Removes a manual mapping: the person is unmatched until matching runs again. */
  public void clearManual(Person source, String targetWorkspaceId) {
    save(source, targetWorkspaceId, Optional.empty(), Method.NONE, true);
  }

  private void save(Person source, String targetWorkspaceId, Optional<String> target, Method method, boolean overrideManual) {
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      int n = h.createUpdate("UPDATE sync_user_mapping SET target_user_id = :tu, method = :m, source_display_name = :name, matched_at = :now"
              + " WHERE source_workspace_id = :sw AND source_user_id = :su AND target_workspace_id = :tw"
              + (overrideManual ? "" : " AND method <> 'manual'"))
          .bind("tu", target.orElse(null)).bind("m", method.column()).bind("name", source.shownName()).bind("now", now)
          .bind("sw", source.workspaceId()).bind("su", source.userId()).bind("tw", targetWorkspaceId)
          .execute();
      boolean exists = n > 0 || h.createQuery("SELECT COUNT(*) FROM sync_user_mapping WHERE source_workspace_id = :sw"
              + " AND source_user_id = :su AND target_workspace_id = :tw")
          .bind("sw", source.workspaceId()).bind("su", source.userId()).bind("tw", targetWorkspaceId).mapTo(Long.class).one() > 0;
      if (!exists) {
        h.execute("INSERT INTO sync_user_mapping (source_workspace_id, source_user_id, target_workspace_id, target_user_id, method,"
                + " source_display_name, matched_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            source.workspaceId(), source.userId(), targetWorkspaceId, target.orElse(null), method.column(), source.shownName(), now);
      }
    });
  }

  /** People of {@code sourceWorkspaceId} who have a match (automatic or manual) in {@code targetWorkspaceId}. */
  public java.util.List<String> matched(String sourceWorkspaceId, String targetWorkspaceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT source_user_id FROM sync_user_mapping WHERE source_workspace_id = :sw"
            + " AND target_workspace_id = :tw AND method <> 'none'")
        .bind("sw", sourceWorkspaceId).bind("tw", targetWorkspaceId).mapTo(String.class).list());
  }

  /**
   * Drops the automatic mappings of a person, as source or as target, so they are matched again
   * on next use (their profile changed, they joined or left). Manual mappings stay.
   */
  public void forget(String workspaceId, String userId) {
    jdbi.useHandle(h -> {
      h.execute("DELETE FROM sync_user_mapping WHERE source_workspace_id = ? AND source_user_id = ? AND method <> 'manual'", workspaceId, userId);
      h.execute("DELETE FROM sync_user_mapping WHERE target_workspace_id = ? AND target_user_id = ? AND method <> 'manual'", workspaceId, userId);
      // a newcomer may be the match that earlier misses lacked
      h.execute("DELETE FROM sync_user_mapping WHERE target_workspace_id = ? AND method = 'none'", workspaceId);
    });
  }
}
