package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import dev.tandem.sandbox.Knobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 messages through a faulty Slack: 10 % 5xx, 5 % 429 with Retry-After, 2 % timeouts (half
 * before Slack processed the call, half after), on posting and on the history reads that resolve
 * unknown outcomes. Every copy must arrive once, in source order.
 */
@Tag("heavy")
class SyncFaultsIT {
  private static final int SETS = 10;
  private static final int PER_SET = 100;
  @TempDir Path dir;
  private SyncWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void aThousandMessagesThroughFaultsArriveOnceEachInOrder() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of("TANDEM_SLACK_RATE_LIMITS", "false", "TANDEM_JOB_CONCURRENCY", "32"));
    List<Map<String, String>> sets = world.addSyncedChannels("f", SETS);
    Knobs.Fault fault = new Knobs.Fault(0.05, 0.10, 0.01, 0.01);
    world.slack.knobs().fault("chat.postMessage", fault).fault("conversations.history", fault);

    List<List<String>> sent = new ArrayList<>();
    sets.forEach(s -> sent.add(new ArrayList<>()));
    for (int i = 0; i < SETS * PER_SET; i++) {
      int set = i % SETS;
      String source = set % 2 == 0 ? "T0ACME" : "T0GLOBEX";
      String text = "message " + i + " in set " + set;
      world.post(source, sets.get(set).get(source), source.equals("T0ACME") ? "alice" : "bob", text, null);
      sent.get(set).add(text);
    }

    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
      for (int set = 0; set < SETS; set++) {
        for (String team : SyncWorld.TEAMS) {
          if (copies(sets.get(set).get(team), team).size() < PER_SET) {
            return false;
          }
        }
      }
      return true;
    });
    for (int set = 0; set < SETS; set++) {
      String source = set % 2 == 0 ? "T0ACME" : "T0GLOBEX";
      for (String team : SyncWorld.TEAMS) {
        if (!team.equals(source)) {
          assertThat(copies(sets.get(set).get(team), team)).as("set %d in %s: every message once, in source order", set, team)
              .containsExactlyElementsOf(sent.get(set));
        }
      }
    }
    assertThat(world.slack.calls()).as("the faults really happened")
        .anyMatch(c -> c.httpStatus() == 429).anyMatch(c -> c.httpStatus() == 503).anyMatch(c -> c.httpStatus() == 504);
  }

  private List<String> copies(String channel, String team) {
    return world.slack.messages(team, channel).stream().map(m -> String.valueOf(m.get("text"))).filter(t -> t.startsWith("message ")).toList();
  }
}
