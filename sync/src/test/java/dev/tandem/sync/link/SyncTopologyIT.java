package dev.tandem.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.MutableClock;
import dev.tandem.core.testing.TestDatabases;
import dev.tandem.sync.link.SyncTopology.LinkResult;
import dev.tandem.sync.link.SyncTopology.LinkedChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SyncTopologyIT {
  @TempDir Path dir;

  static Stream<Named<Dialect>> dialects() {
    return TestDatabases.dialects();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void aMessageGoesToTheOtherLiveActiveChannelsOfItsSync(Dialect dialect) {
    try (Database db = TestDatabases.fresh(dialect, dir)) {
      new Migrations(db).migrate(List.of(new MigrationSet("core"), new MigrationSet("sync")));
      SyncTopology topology = new SyncTopology(db.jdbi(), MutableClock.atEpochDay());
      for (String[] w : new String[][] {{"ACME", "Acme"}, {"GLOBEX", "Globex"}, {"INITECH", "Initech"}}) {
        topology.upsertWorkspace(w[0], "T:" + w[0], w[0], w[1], w[1].toLowerCase());
      }
      String group = topology.createGroup("partners", "ACME");
      topology.addMember(group, "GLOBEX");
      topology.addMember(group, "INITECH");
      String general = topology.createGroupSync(group, "general", "ACME");
      String other = topology.createGroupSync(group, "leave", "ACME");
      topology.link(general, "ACME", "C0ACMEGEN");
      topology.link(general, "GLOBEX", "C0GLOBGEN");
      topology.link(general, "INITECH", "C0INITGEN");

      LinkResult twice = topology.link(other, "GLOBEX", "C0GLOBGEN");
      List<String> fromAcme = channels(topology.peersOf("ACME", "C0ACMEGEN"));
      topology.pause("INITECH", "C0INITGEN", Optional.of("bot removed from the channel"));
      List<String> whilePaused = channels(topology.peersOf("ACME", "C0ACMEGEN"));
      List<String> fromPaused = channels(topology.peersOf("INITECH", "C0INITGEN"));
      topology.pause("INITECH", "C0INITGEN", Optional.empty());
      topology.unlink("GLOBEX", "C0GLOBGEN");
      List<String> afterUnlink = channels(topology.peersOf("ACME", "C0ACMEGEN"));
      LinkResult relinked = topology.link(other, "GLOBEX", "C0GLOBGEN");

      assertThat(twice).isEqualTo(new LinkResult.AlreadyInASync(general));
      assertThat(fromAcme).containsExactly("GLOBEX/C0GLOBGEN", "INITECH/C0INITGEN");
      assertThat(whilePaused).containsExactly("GLOBEX/C0GLOBGEN");
      assertThat(fromPaused).isEmpty();
      assertThat(afterUnlink).containsExactly("INITECH/C0INITGEN");
      assertThat(relinked).isInstanceOf(LinkResult.Linked.class);
      assertThat(topology.peersOf("ACME", "C0UNSYNCED")).isEmpty();
    }
  }

  @Test
  void inviteCodesHaveSyncBotsShape() {
    for (int i = 0; i < 100; i++) {
      assertThat(SyncTopology.inviteCode()).matches("[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{4}");
    }
  }

  private static List<String> channels(List<LinkedChannel> links) {
    return links.stream().map(l -> l.workspaceId() + "/" + l.channelId()).toList();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void anUninstallPausesAReinstallResumesAndAPurgeAfterTheRetentionRemovesTheWorkspacesData(Dialect dialect) {
    try (Database db = TestDatabases.fresh(dialect, dir)) {
      new Migrations(db).migrate(List.of(new MigrationSet("core"), new MigrationSet("sync")));
      MutableClock clock = MutableClock.atEpochDay();
      SyncTopology topology = new SyncTopology(db.jdbi(), clock);
      for (String w : new String[] {"ACME", "GLOBEX"}) {
        topology.upsertWorkspace(w, "T:" + w, w, w, null);
      }
      String group = topology.createGroup("partners", "ACME");
      topology.addMember(group, "GLOBEX");
      String general = topology.createGroupSync(group, "general", "ACME");
      String published = topology.createGroupSync(group, "globex-only", "GLOBEX");
      topology.link(general, "ACME", "C0ACME");
      topology.link(general, "GLOBEX", "C0GLOB");
      topology.link(published, "GLOBEX", "C0GLOB2");
      topology.pause("GLOBEX", "C0GLOB2", Optional.of("paused by an admin"));
      db.jdbi().useHandle(h -> h.execute("INSERT INTO sync_user (workspace_id, user_id, updated_at) VALUES ('GLOBEX', 'U1', 1)"));

      assertThat(channels(topology.uninstall("GLOBEX"))).containsExactly("GLOBEX/C0GLOB");
      assertThat(topology.uninstall("GLOBEX")).as("a repeated event changes nothing").isEmpty();
      assertThat(topology.peersOf("ACME", "C0ACME")).isEmpty();
      assertThat(topology.upsertWorkspace("GLOBEX", "T:GLOBEX", "GLOBEX", "GLOBEX", null)).as("a reinstall").isTrue();
      assertThat(channels(topology.restore("GLOBEX"))).as("only what the uninstall paused").containsExactly("GLOBEX/C0GLOB");
      assertThat(channels(topology.peersOf("ACME", "C0ACME"))).containsExactly("GLOBEX/C0GLOB");

      topology.uninstall("GLOBEX");
      clock.advance(java.time.Duration.ofDays(31));
      assertThat(topology.uninstalledBefore(clock.millis() - java.time.Duration.ofDays(30).toMillis())).containsExactly("GLOBEX");
      assertThat(channels(topology.purge("GLOBEX"))).as("partners to tell").containsExactly("ACME/C0ACME");
      assertThat(topology.uninstalledBefore(clock.millis())).as("purged once").isEmpty();
      assertThat(topology.liveLink("GLOBEX", "C0GLOB")).isEmpty();
      assertThat(topology.sync(published)).as("a sync only it took part in ends").isEmpty();
      assertThat(topology.isActiveMember(group, "GLOBEX")).isFalse();
      int people = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sync_user WHERE workspace_id = 'GLOBEX'")
          .mapTo(Integer.class).one());
      assertThat(people).isZero();
      assertThat(topology.upsertWorkspace("GLOBEX", "T:GLOBEX", "GLOBEX", "GLOBEX", null)).as("after a purge nothing is restored").isFalse();
    }
  }
}
