package dev.tandem.sync.link;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Who syncs with whom: workspaces, groups, syncs and the channels linked to them. The question
 * the message path asks is {@link #peersOf}: for a channel that received a message, the other
 * live channels of its sync.
 */
public final class SyncTopology {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final Jdbi jdbi;
  private final Clock clock;

  public SyncTopology(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** A channel of a sync, as the message path needs it. */
  public record LinkedChannel(String linkId, String syncId, String workspaceId, String channelId, boolean active) {}

  /** Why a channel could not be linked. */
  public sealed interface LinkResult {
    record Linked(String linkId) implements LinkResult {}

    record AlreadyInASync(String syncId) implements LinkResult {}
  }

  /** Why a channel is paused while its workspace is uninstalled; a reinstall resumes exactly these. */
  public static final String UNINSTALLED = "Tandem Sync was uninstalled from that workspace";

  /**
   * An uninstall: the workspace is soft-deleted and its active channels are paused. Returns the
   * channels paused (empty when it was already uninstalled).
   */
  public List<LinkedChannel> uninstall(String workspaceId) {
    long now = clock.millis();
    return jdbi.inTransaction(h -> {
      if (h.execute("UPDATE sync_workspace SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL", now, now, workspaceId) == 0) {
        return List.<LinkedChannel>of();
      }
      List<LinkedChannel> active = h.createQuery("SELECT * FROM sync_channel WHERE workspace_id = :w AND live_channel_id IS NOT NULL"
              + " AND status = 'active'").bind("w", workspaceId).map((rs, ctx) -> row(rs)).list();
      h.execute("UPDATE sync_channel SET status = 'paused', paused_reason = ? WHERE workspace_id = ? AND live_channel_id IS NOT NULL"
          + " AND status = 'active'", UNINSTALLED, workspaceId);
      return active;
    });
  }

  /** After a reinstall within the retention period: channels paused by the uninstall are active again; returns them. */
  public List<LinkedChannel> restore(String workspaceId) {
    return jdbi.inTransaction(h -> {
      List<LinkedChannel> paused = h.createQuery("SELECT * FROM sync_channel WHERE workspace_id = :w AND live_channel_id IS NOT NULL"
              + " AND status = 'paused' AND paused_reason = :r").bind("w", workspaceId).bind("r", UNINSTALLED).map((rs, ctx) -> row(rs)).list();
      h.execute("UPDATE sync_channel SET status = 'active', paused_reason = NULL WHERE workspace_id = ? AND live_channel_id IS NOT NULL"
          + " AND status = 'paused' AND paused_reason = ?", workspaceId, UNINSTALLED);
      return paused;
    });
  }

  /** Workspaces uninstalled before {@code before} whose data is not purged yet. */
  public List<String> uninstalledBefore(long before) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM sync_workspace WHERE deleted_at IS NOT NULL AND deleted_at < :b AND purged_at IS NULL")
        .bind("b", before).mapTo(String.class).list());
  }

  /**
   * Purges an uninstalled workspace: its channel links, group memberships, people, mappings (both
   * ways) and post map; syncs it published that have no other channel end. Returns the channels
   * of other workspaces that synced with it, to be told. The workspace row stays, marked purged.
   */
  public List<LinkedChannel> purge(String workspaceId) {
    long now = clock.millis();
    return jdbi.inTransaction(h -> {
      List<LinkedChannel> partners = h.createQuery("SELECT o.* FROM sync_channel m JOIN sync_channel o ON o.sync_id = m.sync_id"
              + " AND o.workspace_id <> m.workspace_id AND o.live_channel_id IS NOT NULL"
              + " WHERE m.workspace_id = :w AND m.live_channel_id IS NOT NULL")
          .bind("w", workspaceId).map((rs, ctx) -> row(rs)).list();
      h.execute("UPDATE sync_channel SET deleted_at = ?, live_channel_id = NULL WHERE workspace_id = ? AND live_channel_id IS NOT NULL",
          now, workspaceId);
      h.execute("UPDATE sync_sync SET deleted_at = ? WHERE publisher_workspace_id = ? AND deleted_at IS NULL AND NOT EXISTS"
          + " (SELECT 1 FROM sync_channel c WHERE c.sync_id = sync_sync.id AND c.live_channel_id IS NOT NULL)", now, workspaceId);
      h.execute("UPDATE sync_group_member SET status = 'inactive', deleted_at = ? WHERE workspace_id = ? AND deleted_at IS NULL", now, workspaceId);
      h.execute("DELETE FROM sync_user_mapping WHERE source_workspace_id = ? OR target_workspace_id = ?", workspaceId, workspaceId);
      h.execute("DELETE FROM sync_user WHERE workspace_id = ?", workspaceId);
      h.execute("DELETE FROM sync_post WHERE workspace_id = ?", workspaceId);
      h.execute("UPDATE sync_workspace SET purged_at = ? WHERE id = ?", now, workspaceId);
      return partners;
    });
  }

  /** Records (or restores) the workspace of an installation; true when it had been uninstalled (and not purged). */
  public boolean upsertWorkspace(String id, String installKey, String teamId, String name, String domain) {
    long now = clock.millis();
    return jdbi.inTransaction(h -> {
      boolean wasUninstalled = h.createQuery("SELECT COUNT(*) FROM sync_workspace WHERE id = :id AND deleted_at IS NOT NULL AND purged_at IS NULL")
          .bind("id", id).mapTo(Long.class).one() > 0;
      int n = h.execute("UPDATE sync_workspace SET name = ?, domain = COALESCE(?, domain), updated_at = ?, deleted_at = NULL, purged_at = NULL"
          + " WHERE id = ?", name, domain, now, id);
      if (n == 0) {
        h.execute("INSERT INTO sync_workspace (id, install_key, team_id, name, domain, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            id, installKey, teamId, name, domain, now, now);
      }
      return wasUninstalled;
    });
  }

  /** A new group created by {@code workspaceId}, which becomes its first member; returns the group id. */
  public String createGroup(String name, String workspaceId) {
    String id = newId();
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      h.execute("INSERT INTO sync_group (id, name, invite_code, status, created_by_workspace_id, created_at) VALUES (?, ?, ?, 'active', ?, ?)",
          id, name, inviteCode(), workspaceId, now);
      h.execute("INSERT INTO sync_group_member (id, group_id, workspace_id, status, role, joined_at) VALUES (?, ?, ?, 'active', 'creator', ?)",
          newId(), id, workspaceId, now);
    });
    return id;
  }

  /** Makes {@code workspaceId} an active member (again, if it left). */
  public void addMember(String groupId, String workspaceId) {
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      if (h.execute("UPDATE sync_group_member SET status = 'active', deleted_at = NULL, joined_at = ? WHERE group_id = ? AND workspace_id = ?",
          now, groupId, workspaceId) == 0) {
        h.execute("INSERT INTO sync_group_member (id, group_id, workspace_id, status, role, joined_at) VALUES (?, ?, ?, 'active', 'member', ?)",
            newId(), groupId, workspaceId, now);
      }
    });
  }

  /** A sync published by {@code publisherWorkspaceId} to its group; returns the sync id. */
  public String createGroupSync(String groupId, String title, String publisherWorkspaceId) {
    String id = newId();
    jdbi.useHandle(h -> h.execute("INSERT INTO sync_sync (id, title, group_id, mode, publisher_workspace_id, created_at)"
        + " VALUES (?, ?, ?, 'group', ?, ?)", id, title, groupId, publisherWorkspaceId, clock.millis()));
    return id;
  }

  /** Links a channel to a sync; a channel already live in a sync is refused with that sync's id. */
  public LinkResult link(String syncId, String workspaceId, String channelId) {
    String id = newId();
    try {
      jdbi.useHandle(h -> h.execute("INSERT INTO sync_channel (id, sync_id, workspace_id, channel_id, live_channel_id, status, created_at)"
          + " VALUES (?, ?, ?, ?, ?, 'active', ?)", id, syncId, workspaceId, channelId, channelId, clock.millis()));
      return new LinkResult.Linked(id);
    } catch (UnableToExecuteStatementException e) {
      Optional<LinkedChannel> existing = liveLink(workspaceId, channelId);
      if (existing.isPresent()) {
        return new LinkResult.AlreadyInASync(existing.get().syncId());
      }
      throw e;
    }
  }

  /** Stops syncing a channel; its history stays, and it may join another sync. */
  public void unlink(String workspaceId, String channelId) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_channel SET deleted_at = ?, live_channel_id = NULL WHERE workspace_id = ? AND live_channel_id = ?",
        clock.millis(), workspaceId, channelId));
  }

  /** Pauses (or resumes, with {@code reason} empty) a linked channel. */
  public void pause(String workspaceId, String channelId, Optional<String> reason) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_channel SET status = ?, paused_reason = ? WHERE workspace_id = ? AND live_channel_id = ?",
        reason.isPresent() ? "paused" : "active", reason.orElse(null), workspaceId, channelId));
  }

  public Optional<LinkedChannel> liveLink(String workspaceId, String channelId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sync_channel WHERE workspace_id = :ws AND live_channel_id = :c")
        .bind("ws", workspaceId).bind("c", channelId).map((rs, ctx) -> row(rs)).findOne());
  }

  /**
   * The channels a message posted in {@code channelId} goes to: the other active channels of its
   * sync, in live (not deleted) workspaces. Empty when the channel is not synced or is paused.
   */
  public List<LinkedChannel> peersOf(String workspaceId, String channelId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT t.* FROM sync_channel s
            JOIN sync_channel t ON t.sync_id = s.sync_id AND t.id <> s.id AND t.live_channel_id IS NOT NULL AND t.status = 'active'
            JOIN sync_workspace w ON w.id = t.workspace_id AND w.deleted_at IS NULL
            WHERE s.workspace_id = :ws AND s.live_channel_id = :c AND s.status = 'active'
            ORDER BY t.workspace_id, t.channel_id""")
        .bind("ws", workspaceId).bind("c", channelId).map((rs, ctx) -> row(rs)).list());
  }

  /**
   * The live channel of {@code targetWorkspaceId} in the same sync as {@code channelId} of
   * {@code sourceWorkspaceId}: where a reference to that channel points in the target.
   */
  public Optional<String> counterpartChannel(String sourceWorkspaceId, String channelId, String targetWorkspaceId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT t.channel_id FROM sync_channel s
            JOIN sync_channel t ON t.sync_id = s.sync_id AND t.workspace_id = :tw AND t.live_channel_id IS NOT NULL
            WHERE s.workspace_id = :sw AND s.live_channel_id = :c ORDER BY t.channel_id""")
        .bind("sw", sourceWorkspaceId).bind("c", channelId).bind("tw", targetWorkspaceId).mapTo(String.class).findFirst());
  }

  /** Every live channel of the sync {@code channelId} belongs to, that channel included, active or not. */
  public List<LinkedChannel> syncChannelsOf(String workspaceId, String channelId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT t.* FROM sync_channel s
            JOIN sync_channel t ON t.sync_id = s.sync_id AND t.live_channel_id IS NOT NULL
            WHERE s.workspace_id = :ws AND s.live_channel_id = :c ORDER BY t.workspace_id, t.channel_id""")
        .bind("ws", workspaceId).bind("c", channelId).map((rs, ctx) -> row(rs)).list());
  }

  /** A workspace's name and Slack domain (the domain is known once team.info has been read). */
  public record WorkspaceInfo(String id, String name, Optional<String> domain) {}

  public Optional<WorkspaceInfo> workspace(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, name, domain FROM sync_workspace WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> new WorkspaceInfo(rs.getString("id"), rs.getString("name"), Optional.ofNullable(rs.getString("domain"))))
        .findOne());
  }

  /** The workspace whose Slack domain is {@code domain} ({@code acme} for acme.slack.com). */
  public Optional<String> workspaceByDomain(String domain) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM sync_workspace WHERE domain = :d AND deleted_at IS NULL ORDER BY id")
        .bind("d", domain).mapTo(String.class).findFirst());
  }

  public void setDomain(String id, String name, String domain) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_workspace SET name = ?, domain = ?, updated_at = ? WHERE id = ?", name, domain, clock.millis(), id));
  }

  /** Whether the sync of a live channel also posts SyncBot's threaded "reacted with" notices. */
  public boolean reactionNotices(String workspaceId, String channelId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT s.reaction_notices FROM sync_channel c JOIN sync_sync s ON s.id = c.sync_id"
            + " WHERE c.workspace_id = :ws AND c.live_channel_id = :c")
        .bind("ws", workspaceId).bind("c", channelId).mapTo(Integer.class).findOne().orElse(0) == 1);
  }

  public void setReactionNotices(String syncId, boolean on) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_sync SET reaction_notices = ? WHERE id = ?", on ? 1 : 0, syncId));
  }

  /** A workspace that installed the Sync app. */
  public record Workspace(String id, String name, boolean deleted) {}

  public List<Workspace> workspaces() {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, name, deleted_at FROM sync_workspace ORDER BY name")
        .map((rs, ctx) -> {
          rs.getLong("deleted_at");
          boolean deleted = !rs.wasNull(); // wasNull speaks of the last column read
          return new Workspace(rs.getString("id"), rs.getString("name"), deleted);
        }).list());
  }

  /** A sync with its live channels, for listings. */
  public record SyncView(String id, String title, String mode, String publisherWorkspaceId, List<LinkedChannel> channels) {}

  public List<SyncView> syncs() {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, title, mode, publisher_workspace_id FROM sync_sync WHERE deleted_at IS NULL ORDER BY title, id")
        .map((rs, ctx) -> new SyncView(rs.getString("id"), rs.getString("title"), rs.getString("mode"), rs.getString("publisher_workspace_id"),
            List.of()))
        .list()
        .stream()
        .map(s -> new SyncView(s.id(), s.title(), s.mode(), s.publisherWorkspaceId(), h.createQuery(
                "SELECT * FROM sync_channel WHERE sync_id = :s AND live_channel_id IS NOT NULL ORDER BY workspace_id, channel_id")
            .bind("s", s.id()).map((rs, ctx) -> row(rs)).list()))
        .toList());
  }

  /** A member workspace of a group, by name, with its membership status ({@code active}, {@code pending}). */
  public record Member(String memberId, String workspaceId, String name, String status) {}

  /** A group as its members' Home tabs show it. */
  public record GroupView(String id, String name, String inviteCode, List<Member> members, List<SyncView> syncs) {}

  /** The groups {@code workspaceId} is an active member of, by name, with their members and the syncs it can see (not others' direct ones). */
  public List<GroupView> groupsOf(String workspaceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT g.id, g.name, g.invite_code FROM sync_group g"
            + " JOIN sync_group_member m ON m.group_id = g.id"
            + " WHERE m.workspace_id = :ws AND m.status = 'active' AND m.deleted_at IS NULL AND g.status = 'active'"
            + " ORDER BY g.name, g.id")
        .bind("ws", workspaceId)
        .map((rs, ctx) -> new GroupView(rs.getString("id"), rs.getString("name"), rs.getString("invite_code"), List.of(), List.of()))
        .list().stream()
        .map(g -> new GroupView(g.id(), g.name(), g.inviteCode(),
            h.createQuery("SELECT m.id AS member_id, w.id, w.name, m.status FROM sync_group_member m"
                    + " JOIN sync_workspace w ON w.id = m.workspace_id WHERE m.group_id = :g AND m.deleted_at IS NULL ORDER BY w.name, w.id")
                .bind("g", g.id())
                .map((rs, ctx) -> new Member(rs.getString("member_id"), rs.getString("id"), rs.getString("name"), rs.getString("status"))).list(),
            h.createQuery("SELECT id, title, mode, publisher_workspace_id FROM sync_sync WHERE group_id = :g AND deleted_at IS NULL"
                    + " AND (mode = 'group' OR publisher_workspace_id = :ws OR target_workspace_id = :ws) ORDER BY title, id")
                .bind("g", g.id()).bind("ws", workspaceId)
                .map((rs, ctx) -> new SyncView(rs.getString("id"), rs.getString("title"), rs.getString("mode"),
                    rs.getString("publisher_workspace_id"), List.of()))
                .list().stream()
                .map(sync -> new SyncView(sync.id(), sync.title(), sync.mode(), sync.publisherWorkspaceId(), h.createQuery(
                        "SELECT * FROM sync_channel WHERE sync_id = :s AND live_channel_id IS NOT NULL ORDER BY workspace_id, channel_id")
                    .bind("s", sync.id()).map((rs, ctx) -> row(rs)).list()))
                .toList()))
        .toList());
  }

  /** The active group with this invite code (as people type it: any case, with or without the dash). */
  public Optional<String> groupByCode(String typed) {
    String code = typed == null ? "" : typed.strip().toUpperCase(java.util.Locale.ROOT).replace("-", "");
    if (code.length() != 7) {
      return Optional.empty();
    }
    String canonical = code.substring(0, 3) + "-" + code.substring(3);
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM sync_group WHERE invite_code = :c AND status = 'active'")
        .bind("c", canonical).mapTo(String.class).findOne());
  }

  /** Whether {@code workspaceId} is an active member of the group. */
  public boolean isActiveMember(String groupId, String workspaceId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sync_group_member WHERE group_id = :g AND workspace_id = :w"
            + " AND status = 'active' AND deleted_at IS NULL").bind("g", groupId).bind("w", workspaceId).mapTo(Long.class).one() > 0);
  }

  /** A sync published directly to one other workspace of the group (SyncBot's "Only with Specific Workspace"). */
  public String createDirectSync(String groupId, String title, String publisherWorkspaceId, String targetWorkspaceId) {
    String id = newId();
    jdbi.useHandle(h -> h.execute("INSERT INTO sync_sync (id, title, group_id, mode, publisher_workspace_id, target_workspace_id, created_at)"
        + " VALUES (?, ?, ?, 'direct', ?, ?, ?)", id, title, groupId, publisherWorkspaceId, targetWorkspaceId, clock.millis()));
    return id;
  }

  /** Removes a sync that never got a channel (a publish that lost a race for its channel). */
  public void deleteSync(String syncId) {
    jdbi.useHandle(h -> h.execute("UPDATE sync_sync SET deleted_at = ? WHERE id = ?", clock.millis(), syncId));
  }

  /** A sync's settings: who published it, to whom. */
  public record SyncInfo(String id, String title, Optional<String> groupId, String mode, String publisherWorkspaceId,
      Optional<String> targetWorkspaceId) {
    /** Whether {@code workspaceId} may subscribe a channel (as a member of its group). */
    public boolean offeredTo(String workspaceId) {
      return !publisherWorkspaceId.equals(workspaceId) && ("group".equals(mode) || targetWorkspaceId.map(workspaceId::equals).orElse(false));
    }
  }

  /** A live (not deleted) sync. */
  public Optional<SyncInfo> sync(String syncId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sync_sync WHERE id = :s AND deleted_at IS NULL").bind("s", syncId)
        .map((rs, ctx) -> new SyncInfo(rs.getString("id"), rs.getString("title"), Optional.ofNullable(rs.getString("group_id")),
            rs.getString("mode"), rs.getString("publisher_workspace_id"), Optional.ofNullable(rs.getString("target_workspace_id"))))
        .findOne());
  }

  /** The live channels of a sync. */
  public List<LinkedChannel> channelsOf(String syncId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sync_channel WHERE sync_id = :s AND live_channel_id IS NOT NULL"
            + " ORDER BY workspace_id, channel_id")
        .bind("s", syncId).map((rs, ctx) -> row(rs)).list());
  }

  /** Ends a sync (its publisher unpublished it): every channel leaves it; returns the channels it had. */
  public List<LinkedChannel> unpublish(String syncId) {
    long now = clock.millis();
    return jdbi.inTransaction(h -> {
      List<LinkedChannel> channels = h.createQuery("SELECT * FROM sync_channel WHERE sync_id = :s AND live_channel_id IS NOT NULL")
          .bind("s", syncId).map((rs, ctx) -> row(rs)).list();
      h.execute("UPDATE sync_channel SET deleted_at = ?, live_channel_id = NULL WHERE sync_id = ? AND live_channel_id IS NOT NULL", now, syncId);
      h.execute("UPDATE sync_sync SET deleted_at = ? WHERE id = ?", now, syncId);
      return channels;
    });
  }

  /** What leaving a group changed: this workspace's channels that stopped, and the other channels of those syncs. */
  public record Departure(List<LinkedChannel> stopped, List<LinkedChannel> partners, boolean groupEnded) {}

  /**
   * {@code workspaceId} leaves a group: its channels leave the group's syncs, syncs it published that
   * nobody else takes part in end, its membership ends, and an empty group ends.
   */
  public Departure leaveGroup(String groupId, String workspaceId) {
    long now = clock.millis();
    return jdbi.inTransaction(h -> {
      List<LinkedChannel> stopped = h.createQuery("SELECT c.* FROM sync_channel c JOIN sync_sync s ON s.id = c.sync_id"
              + " WHERE s.group_id = :g AND c.workspace_id = :w AND c.live_channel_id IS NOT NULL")
          .bind("g", groupId).bind("w", workspaceId).map((rs, ctx) -> row(rs)).list();
      List<LinkedChannel> partners = h.createQuery("SELECT o.* FROM sync_channel c JOIN sync_sync s ON s.id = c.sync_id"
              + " JOIN sync_channel o ON o.sync_id = c.sync_id AND o.workspace_id <> c.workspace_id AND o.live_channel_id IS NOT NULL"
              + " WHERE s.group_id = :g AND c.workspace_id = :w AND c.live_channel_id IS NOT NULL")
          .bind("g", groupId).bind("w", workspaceId).map((rs, ctx) -> row(rs)).list();
      for (LinkedChannel c : stopped) {
        h.execute("UPDATE sync_channel SET deleted_at = ?, live_channel_id = NULL WHERE id = ?", now, c.linkId());
      }
      h.execute("UPDATE sync_sync SET deleted_at = ? WHERE group_id = ? AND deleted_at IS NULL AND (publisher_workspace_id = ?"
          + " OR target_workspace_id = ?) AND NOT EXISTS (SELECT 1 FROM sync_channel c WHERE c.sync_id = sync_sync.id"
          + " AND c.live_channel_id IS NOT NULL)", now, groupId, workspaceId, workspaceId);
      h.execute("UPDATE sync_group_member SET status = 'inactive', deleted_at = ? WHERE group_id = ? AND workspace_id = ? AND deleted_at IS NULL",
          now, groupId, workspaceId);
      boolean empty = h.createQuery("SELECT COUNT(*) FROM sync_group_member WHERE group_id = :g AND deleted_at IS NULL")
          .bind("g", groupId).mapTo(Long.class).one() == 0;
      if (empty) {
        h.execute("UPDATE sync_group SET status = 'inactive' WHERE id = ?", groupId);
        h.execute("UPDATE sync_sync SET deleted_at = ? WHERE group_id = ? AND deleted_at IS NULL", now, groupId);
      }
      return new Departure(stopped, partners, empty);
    });
  }

  /** An invitation of a workspace into a group (a pending membership). */
  public record Invitation(String memberId, String groupId, String groupName, String workspaceId, String status) {}

  /**
   * Invites {@code workspaceId} into a group: a pending membership, unless it is already a member
   * or invited. Returns the membership id of a new invitation.
   */
  public Optional<String> invite(String groupId, String workspaceId, String invitedByUserId) {
    return jdbi.inTransaction(h -> {
      Optional<Map.Entry<String, String>> existing = h.createQuery("SELECT id, status FROM sync_group_member WHERE group_id = :g"
              + " AND workspace_id = :w AND deleted_at IS NULL").bind("g", groupId).bind("w", workspaceId)
          .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getString("status"))).findOne();
      if (existing.isPresent()) {
        return Optional.<String>empty();
      }
      Optional<String> old = h.createQuery("SELECT id FROM sync_group_member WHERE group_id = :g AND workspace_id = :w")
          .bind("g", groupId).bind("w", workspaceId).mapTo(String.class).findOne();
      String id = old.orElseGet(SyncTopology::newId);
      if (old.isPresent()) {
        h.execute("UPDATE sync_group_member SET status = 'pending', deleted_at = NULL, invited_by_user_id = ?, joined_at = NULL WHERE id = ?",
            invitedByUserId, id);
      } else {
        h.execute("INSERT INTO sync_group_member (id, group_id, workspace_id, status, role, invited_by_user_id) VALUES (?, ?, ?, 'pending', 'member', ?)",
            id, groupId, workspaceId, invitedByUserId);
      }
      return Optional.of(id);
    });
  }

  public Optional<Invitation> invitation(String memberId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT m.id, m.group_id, g.name, m.workspace_id, m.status, m.deleted_at FROM sync_group_member m"
            + " JOIN sync_group g ON g.id = m.group_id WHERE m.id = :m AND m.workspace_id IS NOT NULL")
        .bind("m", memberId)
        .map((rs, ctx) -> {
          rs.getLong("deleted_at");
          String status = rs.wasNull() ? rs.getString("status") : "ended";
          return new Invitation(rs.getString("id"), rs.getString("group_id"), rs.getString("name"), rs.getString("workspace_id"), status);
        })
        .findOne());
  }

  /** Settles a pending invitation: accepted (an active member now) or not (declined or cancelled); false when it was not pending. */
  public boolean settleInvitation(String memberId, boolean accepted) {
    long now = clock.millis();
    return jdbi.withHandle(h -> accepted
        ? h.execute("UPDATE sync_group_member SET status = 'active', joined_at = ? WHERE id = ? AND status = 'pending' AND deleted_at IS NULL",
            now, memberId) == 1
        : h.execute("UPDATE sync_group_member SET status = 'inactive', deleted_at = ? WHERE id = ? AND status = 'pending' AND deleted_at IS NULL",
            now, memberId) == 1);
  }

  /** Remembers an Accept/Decline message sent for an invitation. */
  public void inviteMessage(String memberId, String channelId, String ts) {
    jdbi.useHandle(h -> h.execute("INSERT INTO sync_invite_message (member_id, channel_id, ts) VALUES (?, ?, ?)", memberId, channelId, ts));
  }

  /** The Accept/Decline messages of an invitation, as (channel, ts). */
  public List<Map.Entry<String, String>> inviteMessages(String memberId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT channel_id, ts FROM sync_invite_message WHERE member_id = :m ORDER BY channel_id, ts")
        .bind("m", memberId).map((rs, ctx) -> Map.entry(rs.getString("channel_id"), rs.getString("ts"))).list());
  }

  /** How long a workspace's channel has synced and how many messages of it are tracked (the post map). */
  public record LocalStats(long since, long messagesTracked) {}

  /** For each sync {@code workspaceId} takes part in: its channel's stats, by sync id. */
  public Map<String, LocalStats> localStats(String workspaceId) {
    Map<String, LocalStats> out = new java.util.HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT c.sync_id, c.created_at, (SELECT COUNT(*) FROM sync_post p WHERE p.workspace_id = c.workspace_id"
            + " AND p.channel_id = c.channel_id AND p.kind = 'message') AS tracked FROM sync_channel c"
            + " WHERE c.workspace_id = :w AND c.live_channel_id IS NOT NULL")
        .bind("w", workspaceId)
        .map((rs, ctx) -> Map.entry(rs.getString("sync_id"), new LocalStats(rs.getLong("created_at"), rs.getLong("tracked"))))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** The invite code of a group. */
  public Optional<String> inviteCode(String groupId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT invite_code FROM sync_group WHERE id = :g").bind("g", groupId)
        .mapTo(String.class).findOne());
  }

  private static LinkedChannel row(ResultSet rs) throws SQLException {
    return new LinkedChannel(rs.getString("id"), rs.getString("sync_id"), rs.getString("workspace_id"), rs.getString("channel_id"),
        "active".equals(rs.getString("status")));
  }

  private static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** SyncBot's shape, ABC-DEFG, from letters and digits that are not confused with each other. */
  static String inviteCode() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      if (i == 3) {
        s.append('-');
      }
      s.append(INVITE_ALPHABET.charAt(RANDOM.nextInt(INVITE_ALPHABET.length())));
    }
    return s.toString();
  }
}
