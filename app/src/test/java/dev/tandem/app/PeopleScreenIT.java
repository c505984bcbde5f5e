package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The People screen with 5,000 people (ACCEPTANCE.md, Sync Home tab): matched when Globex joins,
 * shown 20 to a page within Slack's limits (the sandbox refuses more than 100 blocks and 100
 * options), every page reachable, and the person picker narrowing 5,000 people as one types.
 */
@Tag("heavy")
class PeopleScreenIT {
  private static final int PEOPLE = 5_000;
  private static final Duration WAIT = Duration.ofMinutes(2);
  @TempDir Path dir;
  private SyncWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void fiveThousandPeoplePageWithinSlacksLimits() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of("TANDEM_SLACK_RATE_LIMITS", "false"), slack -> {
      for (int i = 0; i < PEOPLE; i++) {
        slack.addUser("T0ACME", String.format(Locale.ROOT, "U0P%05d", i), "p" + i, "Person Number " + i, "p" + i + "@acme.example", false);
      }
    });
    var topology = world.wiring.sync.topology();
    String group = topology.createGroup("Big", "T0ACME");
    String code = topology.inviteCode(group).orElseThrow();
    await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM sync_user WHERE workspace_id = 'T0ACME'") >= PEOPLE);

    String app = world.app.appId();
    world.slack.openHome("T0GLOBEX", "bob", app);
    Map<String, Object> home = await().atMost(WAIT).until(() -> world.slack.homeView("T0GLOBEX", "bob", app), java.util.Optional::isPresent).orElseThrow();
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) home.get("id"), "home.group.join", null);
    String join = await().atMost(WAIT).until(() -> world.slack.openModals("T0GLOBEX", "bob").stream()
        .filter(m -> "home.group.join".equals(m.get("callback_id"))).findFirst(), java.util.Optional::isPresent).orElseThrow().get("id").toString();
    world.slack.submitView("T0GLOBEX", "bob", join, Map.of("code", Map.of("value", Map.of("type", "plain_text_input", "value", code))));
    await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM sync_user_mapping WHERE source_workspace_id = 'T0ACME'"
        + " AND target_workspace_id = 'T0GLOBEX'") >= PEOPLE);

    // Globex's admin pages through 5,000 people of Acme
    home = world.slack.homeView("T0GLOBEX", "bob", app).orElseThrow();
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) home.get("id"), "home.people", "none|0");
    Map<String, Object> first = awaitPage("Page 1 of 251");
    assertThat(((List<?>) first.get("blocks")).size()).isLessThanOrEqualTo(100);
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) first.get("id"), "home.people.page", "none|250");
    Map<String, Object> last = awaitPage("Page 251 of 251");
    assertThat(String.valueOf(last)).contains("(Acme)");

    // Acme's admin maps Globex's Bob by picking among 5,000 people: at most 100 options, narrowing as she types
    world.slack.openHome("T0ACME", "alice", app);
    Map<String, Object> aliceHome = await().atMost(WAIT).until(() -> world.slack.homeView("T0ACME", "alice", app), java.util.Optional::isPresent).orElseThrow();
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.people", "none|0");
    Map<String, Object> alicePeople = await().atMost(WAIT).until(() -> world.slack.homeView("T0ACME", "alice", app).orElseThrow(),
        v -> String.valueOf(v).contains("T0GLOBEX|U0BOB"));
    world.slack.pressViewButton("T0ACME", "alice", (String) alicePeople.get("id"), "home.people.edit", "T0GLOBEX|U0BOB|none|0");
    String edit = await().atMost(WAIT).until(() -> world.slack.openModals("T0ACME", "alice").stream()
        .filter(m -> "home.people.edit".equals(m.get("callback_id"))).findFirst(), java.util.Optional::isPresent).orElseThrow().get("id").toString();
    List<?> all = (List<?>) world.slack.suggest("T0ACME", "alice", edit, "home.person", "").get("options");
    assertThat(all).hasSize(100);
    List<?> typed = (List<?>) world.slack.suggest("T0ACME", "alice", edit, "home.person", "number 4999").get("options");
    assertThat(typed).hasSize(2).anySatisfy(o -> assertThat(String.valueOf(o)).contains("U0P04999"));
  }

  private Map<String, Object> awaitPage(String containing) {
    return await().atMost(WAIT).until(() -> world.slack.homeView("T0GLOBEX", "bob", world.app.appId()).orElseThrow(),
        v -> String.valueOf(v).contains(containing));
  }

  private int count(String sql) {
    return world.wiring.database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }
}
