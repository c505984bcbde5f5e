package dev.tandem.sync.home;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The user-mapping screen's data: how the people of the workspaces that share a group with this
 * one appear in it, by how they were matched, a page at a time (5,000 people are 250 pages).
 */
final class PeoplePages {
  static final int PAGE = 20;
  static final List<String> METHODS = List.of("none", "name", "email", "manual");
  private static final String PARTNERS = " AND m.source_workspace_id IN (SELECT o.workspace_id FROM sync_group_member me"
      + " JOIN sync_group_member o ON o.group_id = me.group_id AND o.workspace_id <> me.workspace_id"
      + " AND o.status = 'active' AND o.deleted_at IS NULL"
      + " WHERE me.workspace_id = :ws AND me.status = 'active' AND me.deleted_at IS NULL)";

  /** One person of another workspace and who they are here. */
  record Row(String sourceWorkspaceId, String sourceWorkspaceName, String sourceUserId, String name, Optional<String> targetUserId) {}

  private final Jdbi jdbi;

  PeoplePages(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** How many people there are per matching method. */
  Map<String, Long> counts(String workspaceId) {
    Map<String, Long> out = new LinkedHashMap<>();
    METHODS.forEach(m -> out.put(m, 0L));
    jdbi.useHandle(h -> h.createQuery("SELECT m.method, COUNT(*) AS n FROM sync_user_mapping m WHERE m.target_workspace_id = :ws"
            + PARTNERS + " GROUP BY m.method")
        .bind("ws", workspaceId).map((rs, ctx) -> Map.entry(rs.getString("method"), rs.getLong("n")))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  List<Row> page(String workspaceId, String method, int page) {
    return jdbi.withHandle(h -> h.createQuery("SELECT m.source_workspace_id, w.name AS workspace_name, m.source_user_id,"
            + " m.source_display_name, m.target_user_id FROM sync_user_mapping m JOIN sync_workspace w ON w.id = m.source_workspace_id"
            + " WHERE m.target_workspace_id = :ws AND m.method = :method" + PARTNERS
            + " ORDER BY LOWER(m.source_display_name), m.source_workspace_id, m.source_user_id LIMIT :limit OFFSET :offset")
        .bind("ws", workspaceId).bind("method", method).bind("limit", PAGE).bind("offset", Math.max(0, page) * PAGE)
        .map((rs, ctx) -> new Row(rs.getString("source_workspace_id"), rs.getString("workspace_name"), rs.getString("source_user_id"),
            Optional.ofNullable(rs.getString("source_display_name")).orElse(rs.getString("source_user_id")),
            Optional.ofNullable(rs.getString("target_user_id"))))
        .list());
  }

  /** Whether {@code sourceUserId} of {@code sourceWorkspaceId} is one of the people this screen shows for the workspace. */
  boolean shows(String workspaceId, String sourceWorkspaceId, String sourceUserId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sync_user_mapping m WHERE m.target_workspace_id = :ws"
            + " AND m.source_workspace_id = :sw AND m.source_user_id = :su" + PARTNERS)
        .bind("ws", workspaceId).bind("sw", sourceWorkspaceId).bind("su", sourceUserId).mapTo(Long.class).one() > 0);
  }
}
