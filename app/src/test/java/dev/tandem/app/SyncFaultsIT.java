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
 * unknown outcomes, with Slack's 2025 history profile (one read a minute, 15 messages) on. Every
 * copy must arrive once, in source order.
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
    world.slack.knobs().fault("chat.postMessage", fault).fault("conversations.history", fault).historyProfile2025(true);

    List<List<String>> sent = new ArrayList<>();
    sets.forEach(s -> sent.add(new ArrayList<>()));
    for (int i = 0; i < SETS * PER_SET; i++) {
      int set = i % SETS;
      String source = set % 2 == 0 ? "T0ACME" : "T0GLOBEX";
      String text = "message " + i + " in set " + set;
      world.post(source, sets.get(set).get(source), source.equals("T0ACME") ? "alice" : "bob", text, null);
      sent.get(set).add(text);
    }

    // settled: nothing left to do, and every target channel holds each message once, in order
    // (a post repeated after an unknown outcome may exist for a moment, until its echo has it removed)
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM core_job WHERE status IN ('queued', 'running')").mapTo(Long.class).one()) == 0 && allCopied(sets, sent));
    for (int set = 0; set < SETS; set++) {
      String source = set % 2 == 0 ? "T0ACME" : "T0GLOBEX";
      for (String team : SyncWorld.TEAMS) {
        if (!team.equals(source)) {
          assertThat(copies(sets.get(set).get(team), team)).as("set %d in %s: every message once, in source order", set, team)
              .containsExactlyElementsOf(sent.get(set));
        }
      }
    }
    List<dev.tandem.sandbox.ApiCall> calls = world.slack.calls();
    assertThat(calls).as("the faults really happened")
        .anyMatch(c -> c.httpStatus() == 429).anyMatch(c -> c.httpStatus() == 503).anyMatch(c -> c.httpStatus() == 504);
    assertThat(calls).as("timeouts after Slack processed the post happened")
        .anyMatch(c -> c.method().equals("chat.postMessage") && "timeout_after_processing".equals(c.error()));
    assertThat(calls).as("the 2025 history profile refused reads, so unknown outcomes were settled without history")
        .anyMatch(c -> c.method().equals("conversations.history") && c.httpStatus() == 429);
  }

  private boolean allCopied(List<Map<String, String>> sets, List<List<String>> sent) {
    for (int set = 0; set < SETS; set++) {
      String source = set % 2 == 0 ? "T0ACME" : "T0GLOBEX";
      for (String team : SyncWorld.TEAMS) {
        if (!team.equals(source) && !copies(sets.get(set).get(team), team).equals(sent.get(set))) {
          return false;
        }
      }
    }
    return true;
  }

  private List<String> copies(String channel, String team) {
    return world.slack.messages(team, channel).stream().map(m -> String.valueOf(m.get("text"))).filter(t -> t.startsWith("message ")).toList();
  }
}
