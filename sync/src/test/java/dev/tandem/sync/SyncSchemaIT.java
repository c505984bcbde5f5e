package dev.tandem.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The invariants the sync logic relies on are constraints of the schema, on every database. */
class SyncSchemaIT {
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aChannelIsInAtMostOneLiveSync(Dialect dialect) {
    try (Database db = migrated(dialect)) {
      db.jdbi().useHandle(h -> {
        seedTwoSyncs(h);
        link(h, "L1", "S1", "C1");

        assertThrows(UnableToExecuteStatementException.class, () -> link(h, "L2", "S2", "C1"));

        h.execute("UPDATE sync_channel SET deleted_at = 2, live_channel_id = NULL WHERE id = 'L1'");
        link(h, "L3", "S2", "C1"); // removed links do not count
        link(h, "L4", "S1", "C2");
        assertThat(h.createQuery("SELECT COUNT(*) FROM sync_channel WHERE live_channel_id IS NOT NULL").mapTo(Integer.class).one())
            .isEqualTo(2);
      });
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aLinkIsLiveExactlyWhenItIsNotDeleted(Dialect dialect) {
    try (Database db = migrated(dialect)) {
      db.jdbi().useHandle(h -> {
        seedTwoSyncs(h);

        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(
            "INSERT INTO sync_channel (id, sync_id, workspace_id, channel_id, live_channel_id, status, created_at)"
                + " VALUES ('L9', 'S1', 'W1', 'C9', NULL, 'active', 1)"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(
            "INSERT INTO sync_channel (id, sync_id, workspace_id, channel_id, live_channel_id, status, created_at)"
                + " VALUES ('L9', 'S1', 'W1', 'C9', 'C9', 'stopped', 1)"));
      });
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void oneMappingPerSourceUserAndTargetWorkspaceWithATargetExactlyWhenMatched(Dialect dialect) {
    try (Database db = migrated(dialect)) {
      db.jdbi().useHandle(h -> {
        String insert = "INSERT INTO sync_user_mapping (source_workspace_id, source_user_id, target_workspace_id, target_user_id,"
            + " method, matched_at) VALUES (?, ?, ?, ?, ?, 1)";
        h.execute(insert, "W1", "U1", "W2", "U9", "email");
        h.execute(insert, "W1", "U1", "W3", null, "none");

        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(insert, "W1", "U1", "W2", "U8", "manual"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(insert, "W1", "U2", "W2", null, "email"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(insert, "W1", "U3", "W2", "U7", "none"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(insert, "W1", "U4", "W2", "U7", "guess"));
      });
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void eachCopyOfAPostIsMappedOnceAndFoundByItsLogicalPost(Dialect dialect) {
    try (Database db = migrated(dialect)) {
      db.jdbi().useHandle(h -> {
        String insert = "INSERT INTO sync_post (post_id, workspace_id, channel_id, ts, kind, created_at) VALUES (?, ?, ?, ?, ?, 1)";
        h.execute(insert, "P1", "W1", "C1", "1718264412.339219", "message");
        h.execute(insert, "P1", "W2", "C7", "1718264413.000100", "message");
        h.execute(insert, "P1", "W2", "C7", "1718264413.000200", "file_reply");

        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(insert, "P2", "W1", "C1", "1718264412.339219", "message"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(insert, "P3", "W1", "C1", "1718264499.000000", "poll"));
        assertThat(h.createQuery("SELECT COUNT(*) FROM sync_post WHERE post_id = 'P1'").mapTo(Integer.class).one()).isEqualTo(3);
      });
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void directSyncsNameTheirTargetAndGroupMembersAreOneKind(Dialect dialect) {
    try (Database db = migrated(dialect)) {
      db.jdbi().useHandle(h -> {
        seedTwoSyncs(h);

        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(
            "INSERT INTO sync_sync (id, title, mode, publisher_workspace_id, created_at) VALUES ('S9', 'x', 'direct', 'W1', 1)"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(
            "INSERT INTO sync_sync (id, title, mode, publisher_workspace_id, target_workspace_id, created_at)"
                + " VALUES ('S8', 'x', 'group', 'W1', 'W2', 1)"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(
            "INSERT INTO sync_group_member (id, group_id, workspace_id, federated_peer_id, status, role)"
                + " VALUES ('M9', 'G1', 'W1', 'peer-1', 'active', 'member')"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(
            "INSERT INTO sync_group_member (id, group_id, workspace_id, status, role) VALUES ('M8', 'G1', 'W1', 'active', 'member')"));
        assertThrows(UnableToExecuteStatementException.class, () -> h.execute(
            "INSERT INTO sync_channel (id, sync_id, workspace_id, channel_id, live_channel_id, status, created_at)"
                + " VALUES ('L7', 'S1', 'W-unknown', 'C5', 'C5', 'active', 1)"));
      });
    }
  }

  private Database migrated(Dialect dialect) {
    Database db = TestDatabases.fresh(dialect, dir);
    new Migrations(db).migrate(List.of(new MigrationSet("core"), new MigrationSet("sync")));
    return db;
  }

  private static void seedTwoSyncs(Handle h) {
    h.execute("INSERT INTO sync_workspace (id, install_key, team_id, name, created_at, updated_at) VALUES ('W1', 'T:T1', 'T1', 'Acme', 1, 1)");
    h.execute("INSERT INTO sync_workspace (id, install_key, team_id, name, created_at, updated_at) VALUES ('W2', 'T:T2', 'T2', 'Globex', 1, 1)");
    h.execute("INSERT INTO sync_group (id, name, invite_code, status, created_by_workspace_id, created_at) VALUES ('G1', 'g', 'ABC-DEFG', 'active', 'W1', 1)");
    h.execute("INSERT INTO sync_group_member (id, group_id, workspace_id, status, role) VALUES ('M1', 'G1', 'W1', 'active', 'creator')");
    h.execute("INSERT INTO sync_sync (id, title, group_id, mode, publisher_workspace_id, created_at) VALUES ('S1', 'general', 'G1', 'group', 'W1', 1)");
    h.execute("INSERT INTO sync_sync (id, title, mode, publisher_workspace_id, target_workspace_id, created_at)"
        + " VALUES ('S2', 'leave', 'direct', 'W1', 'W2', 1)");
  }

  private static void link(Handle h, String id, String sync, String channel) {
    h.execute("INSERT INTO sync_channel (id, sync_id, workspace_id, channel_id, live_channel_id, status, created_at)"
        + " VALUES (?, ?, 'W1', ?, ?, 'active', 1)", id, sync, channel, channel);
  }
}
