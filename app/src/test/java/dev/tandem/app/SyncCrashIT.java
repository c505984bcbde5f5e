package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.DatabaseUrl;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.faults.FaultPoints;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tandem as a separate process (the packaged jar), stopped dead in the middle of a fan-out, 10
 * times: after the first or second copy was posted but before its ts was stored, or after a post
 * was marked but before Slack was called. Restarted each time, it must leave exactly one copy of
 * every message in every target. Then once each for a thread reply, a file upload, a reaction and a reaction notice,
 * stopped between Slack's answer and our record of it. Every event is delivered three times,
 * overlapping, as Slack retries when an acknowledgement is late.
 */
@Tag("heavy")
class SyncCrashIT {
  private static final List<String> POINTS = List.of("sync.after_post:1", "sync.before_post:2", "sync.after_post:2",
      "sync.before_post:1", "sync.after_post:1", "sync.after_post:2", "sync.before_post:2", "sync.after_post:1",
      "sync.before_post:1", "sync.after_post:2");
  @TempDir Path dir;
  private SyncWorld world;
  private Process tandem;
  private int extraRounds;

  @AfterEach
  void stop() throws InterruptedException {
    if (tandem != null) {
      tandem.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (world != null) {
      world.close();
    }
  }

  @Test
  void killedInTheMiddleOfAFanOutAndRestartedEveryTargetHoldsOneCopy() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of("TANDEM_JOB_LEASE", "2s"));
    world.stopTandem();
    // every event arrives three times, overlapping (Slack's retries): they reach the instance that is about to die
    world.slack.knobs().eventRedeliveries(2);
    List<String> sent = new ArrayList<>();
    try (Database db = Database.open(DatabaseUrl.parse(world.env.get("DATABASE_URL"), dir), 2, null)) {
      for (int round = 0; round < POINTS.size(); round++) {
        tandem = start(POINTS.get(round), round);
        String text = "round " + round;
        world.slack.postAsUser("T0ACME", "C0ACMEGEN", "alice", text, null);
        sent.add(text);
        assertThat(tandem.waitFor(60, TimeUnit.SECONDS)).as("round %d: the fault point %s was reached", round, POINTS.get(round)).isTrue();
        assertThat(tandem.exitValue()).isEqualTo(FaultPoints.EXIT_STATUS);

        tandem = start("", round);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> db.jdbi().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM core_job WHERE status IN ('queued', 'running')").mapTo(Long.class).one()) == 0
            && copies("T0GLOBEX").size() == sent.size() && copies("T0INITECH").size() == sent.size());
        for (String team : List.of("T0GLOBEX", "T0INITECH")) {
          assertThat(copies(team)).as("round %d (%s) in %s", round, POINTS.get(round), team).containsExactlyElementsOf(sent);
        }
        tandem.destroy();
        assertThat(tandem.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
    }
    String root = tsOf("T0ACME", "round 0");
    Map<String, String> rootCopies = Map.of("T0GLOBEX", tsOf("T0GLOBEX", "round 0"), "T0INITECH", tsOf("T0INITECH", "round 0"));

    // a thread reply: killed after Slack posted the first copy, before it was recorded
    crashRound("sync.after_post:1", () -> world.slack.postAsUser("T0ACME", "C0ACMEGEN", "alice", "a reply", root),
        () -> rootCopies.entrySet().stream().allMatch(e -> matching(e.getKey(), m -> "a reply".equals(m.get("text"))
            && e.getValue().equals(m.get("thread_ts"))).size() == 1));
    // a file: killed after Slack completed the first upload, before it was recorded
    byte[] pdf = "%PDF-1.4 crash test".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    crashRound("sync.after_upload:1", () -> world.slack.shareFileAsUser("T0ACME", "C0ACMEGEN", "alice", "crash.pdf", pdf, ""),
        () -> rootCopies.keySet().stream().allMatch(team -> matching(team, m -> String.valueOf(m.get("files")).contains("crash.pdf")).size() == 1));
    for (String team : rootCopies.keySet()) {
      @SuppressWarnings("unchecked")
      var files = (List<Map<String, Object>>) matching(team, m -> String.valueOf(m.get("files")).contains("crash.pdf")).getFirst().get("files");
      assertThat(world.slack.fileContent((String) files.getFirst().get("id"))).as("the file in %s", team).isEqualTo(pdf);
    }
    // a reaction: killed after Slack added the first mirrored reaction, before it was recorded
    crashRound("sync.after_react:1", () -> world.slack.react("T0ACME", "C0ACMEGEN", "alice", root, "tada", false),
        () -> rootCopies.entrySet().stream().allMatch(e -> reactors(e.getKey(), e.getValue(), "tada").equals(List.of(world.bots.get(e.getKey())))));
    // a reaction notice (the sync's option): killed after Slack posted the first notice, before it was recorded
    try (Database db = Database.open(DatabaseUrl.parse(world.env.get("DATABASE_URL"), dir), 2, null)) {
      db.jdbi().useHandle(h -> h.execute("UPDATE sync_sync SET reaction_notices = 1"));
    }
    crashRound("sync.after_notice:1", () -> world.slack.react("T0ACME", "C0ACMEGEN", "alice", root, "eyes", false),
        () -> rootCopies.entrySet().stream().allMatch(e -> matching(e.getKey(), m -> "reacted with :eyes:".equals(m.get("text"))
            && e.getValue().equals(m.get("thread_ts"))).size() == 1));
    assertThat(copies("T0GLOBEX")).containsExactlyElementsOf(sent);
    assertThat(copies("T0INITECH")).containsExactlyElementsOf(sent);

    assertThat(world.slack.deliveries()).as("Slack-style retries reached Tandem").anyMatch(d -> d.attempt() >= 1 && d.httpStatus() == 200);
    assertThat(world.slack.calls()).as("some outcomes were resolved by reading history")
        .anyMatch(c -> c.method().equals("conversations.history"));
  }

  /** Starts Tandem armed at {@code point}, does {@code action}, sees it die there, restarts it and waits until {@code settled}. */
  private void crashRound(String point, Runnable action, java.util.function.BooleanSupplier settled) throws Exception {
    int round = POINTS.size() + extraRounds++;
    tandem = start(point, round);
    action.run();
    assertThat(tandem.waitFor(60, TimeUnit.SECONDS)).as("the fault point %s was reached", point).isTrue();
    assertThat(tandem.exitValue()).isEqualTo(FaultPoints.EXIT_STATUS);
    tandem = start("", round);
    try (Database db = Database.open(DatabaseUrl.parse(world.env.get("DATABASE_URL"), dir), 2, null)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> db.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM core_job WHERE status IN ('queued', 'running')").mapTo(Long.class).one()) == 0 && settled.getAsBoolean());
    }
    tandem.destroy();
    assertThat(tandem.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private List<Map<String, Object>> matching(String team, java.util.function.Predicate<Map<String, Object>> which) {
    return world.general(team).stream().filter(which).toList();
  }

  private String tsOf(String team, String text) {
    return (String) matching(team, m -> text.equals(m.get("text"))).getFirst().get("ts");
  }

  @SuppressWarnings("unchecked")
  private List<String> reactors(String team, String ts, String name) {
    return matching(team, m -> ts.equals(m.get("ts"))).stream().findFirst()
        .map(m -> (List<Map<String, Object>>) m.getOrDefault("reactions", List.of())).orElse(List.of()).stream()
        .filter(r -> name.equals(r.get("name"))).findFirst().map(r -> (List<String>) r.get("users")).orElse(List.of());
  }

  private List<String> copies(String team) {
    return world.general(team).stream().map(m -> String.valueOf(m.get("text"))).filter(t -> t.startsWith("round ")).toList();
  }

  private Process start(String faultPoint, int round) throws IOException {
    return TandemProcess.start(dir, world.env, world.port, faultPoint, round + (faultPoint.isEmpty() ? "-restart" : "-fault"), () -> true);
  }
}
