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
}
