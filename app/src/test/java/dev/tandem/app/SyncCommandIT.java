package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.config.ConfigReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandIT {
  @TempDir Path dir;

  @Test
  void anOperatorLinksTwoWorkspacesChannelsAndAChannelJoinsOneSyncOnly() {
    Map<String, String> env = Map.of("TANDEM_DATA_DIR", dir.toString());
    try (Wiring wiring = new Wiring(Settings.read(new ConfigReader(env, Map.of())), Clock.systemUTC())) {
      wiring.migrate();
      wiring.sync.topology().upsertWorkspace("T0ACME", "T:T0ACME", "T0ACME", "Acme", "acme");
      wiring.sync.topology().upsertWorkspace("T0GLOBEX", "T:T0GLOBEX", "T0GLOBEX", "Globex", "globex");
    }

    CliFixture.Result workspaces = CliFixture.run(env, dir, "sync", "workspaces");
    String[] group = CliFixture.run(env, dir, "sync", "group-create", "partners", "--workspace", "T0ACME").out().strip().split(" ");
    CliFixture.run(env, dir, "sync", "group-add", group[0], "--workspace", "T0GLOBEX");
    String general = CliFixture.run(env, dir, "sync", "create", group[0], "general", "--publisher", "T0ACME").out().strip();
    String other = CliFixture.run(env, dir, "sync", "create", group[0], "random", "--publisher", "T0ACME").out().strip();
    CliFixture.Result linkA = CliFixture.run(env, dir, "sync", "link", general, "--workspace", "T0ACME", "--channel", "C0ACMEGEN");
    CliFixture.Result linkG = CliFixture.run(env, dir, "sync", "link", general, "--workspace", "T0GLOBEX", "--channel", "C0GLOBGEN");
    CliFixture.Result twice = CliFixture.run(env, dir, "sync", "link", other, "--workspace", "T0GLOBEX", "--channel", "C0GLOBGEN");
    CliFixture.Result list = CliFixture.run(env, dir, "sync", "list");

    assertThat(workspaces.out()).contains("T0ACME").contains("Globex");
    assertThat(group[1]).matches("[A-Z2-9]{3}-[A-Z2-9]{4}");
    assertThat(linkA.exitCode()).isZero();
    assertThat(linkG.exitCode()).isZero();
    assertThat(twice.exitCode()).isEqualTo(1);
    assertThat(twice.err()).contains("is already in sync " + general);
    assertThat(list.out()).contains(general + "  general (group, published by T0ACME)").contains("T0ACME C0ACMEGEN")
        .contains("T0GLOBEX C0GLOBGEN");
  }
}
