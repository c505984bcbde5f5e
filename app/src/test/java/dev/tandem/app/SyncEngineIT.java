package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The message path end to end: three workspaces in the sandbox, Tandem over real HTTP, a real database. */
class SyncEngineIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;
  private SyncWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRESQL"})
  void everyKindOfChangeReachesBothOtherWorkspaces(Dialect dialect) throws Exception {
    world = new SyncWorld(dir, dialect, Map.of());
    var slack = world.slack;

    // a post with mentions (one mapped by email, one nobody knows) and a link to the synced channel
    String original = slack.postAsUser("T0ACME", "C0ACMEGEN", "alice", "Hello <@U0DAVEA> and <@U0CAROL>, see <#C0ACMEGEN>", null);
    Map<String, Object> inGlobex = awaitOne("T0GLOBEX", m -> String.valueOf(m.get("text")).startsWith("Hello"));
    Map<String, Object> inInitech = awaitOne("T0INITECH", m -> String.valueOf(m.get("text")).startsWith("Hello"));
    assertThat(inGlobex.get("text")).isEqualTo("Hello <@U0DAVEG> and @carol (Acme), see <#C0GLOBGEN>");
    assertThat(inGlobex.get("username")).as("no alice in Globex: the author and her workspace").isEqualTo("alice (Acme)");
    assertThat(String.valueOf(inGlobex.get("icons"))).contains("http");
    assertThat(String.valueOf(inGlobex.get("blocks"))).as("rich text re-mapped too")
        .contains("user_id=U0DAVEG").contains("@carol (Acme)").contains("channel_id=C0GLOBGEN").doesNotContain("U0DAVEA");
    assertThat(inInitech.get("text")).isEqualTo("Hello @dave (Acme) and @carol (Acme), see <#C0INITGEN>");
    assertThat(inInitech.get("username")).as("Initech's own Alice Archer, matched by name").isEqualTo("alice");
    assertThat(String.valueOf(inGlobex.get("metadata"))).contains("tandem_delivery");

    // a reply written on a copy lands under the original and under the other copy
    String globexCopy = (String) inGlobex.get("ts");
    slack.postAsUser("T0GLOBEX", "C0GLOBGEN", "bob", "Thanks!", globexCopy);
    Map<String, Object> replyInAcme = awaitOne("T0ACME", m -> "Thanks!".equals(m.get("text")));
    Map<String, Object> replyInInitech = awaitOne("T0INITECH", m -> "Thanks!".equals(m.get("text")));
    assertThat(replyInAcme.get("thread_ts")).isEqualTo(original);
    assertThat(replyInInitech.get("thread_ts")).isEqualTo(inInitech.get("ts"));
    assertThat(replyInAcme.get("username")).isEqualTo("bob (Globex)");

    // an edit reaches every copy
    slack.editAsUser("T0ACME", "C0ACMEGEN", "alice", original, "Hello everyone (edited)");
    await().atMost(WAIT).until(() -> textOf("T0GLOBEX", globexCopy).equals("Hello everyone (edited)")
        && textOf("T0INITECH", (String) inInitech.get("ts")).equals("Hello everyone (edited)"));

    // reactions: the union of everyone's, on every copy, gone when the last person takes theirs back
    String initechCopy = (String) inInitech.get("ts");
    slack.react("T0GLOBEX", "C0GLOBGEN", "bob", globexCopy, "tada", false);
    await().atMost(WAIT).until(() -> reactors("T0ACME", original, "tada").equals(List.of(world.bots.get("T0ACME")))
        && reactors("T0INITECH", initechCopy, "tada").equals(List.of(world.bots.get("T0INITECH"))));
    assertThat(reactors("T0GLOBEX", globexCopy, "tada")).as("bob's own copy shows bob's reaction only").containsExactly("U0BOB");
    slack.react("T0INITECH", "C0INITGEN", "ivy", initechCopy, "tada", false);
    slack.react("T0GLOBEX", "C0GLOBGEN", "bob", globexCopy, "tada", true);
    await().atMost(WAIT).until(() -> reactors("T0INITECH", initechCopy, "tada").equals(List.of("U0IVY"))
        && reactors("T0GLOBEX", globexCopy, "tada").equals(List.of(world.bots.get("T0GLOBEX"))));
    assertThat(reactors("T0ACME", original, "tada")).containsExactly(world.bots.get("T0ACME"));
    slack.react("T0INITECH", "C0INITGEN", "ivy", initechCopy, "tada", true);
    await().atMost(WAIT).until(() -> reactors("T0ACME", original, "tada").isEmpty() && reactors("T0GLOBEX", globexCopy, "tada").isEmpty()
        && reactors("T0INITECH", initechCopy, "tada").isEmpty());

    // one message with an image and a PDF: the text as the author, the files streamed into a reply under it
    byte[] png = "\u0089PNG fake image bytes".getBytes(StandardCharsets.ISO_8859_1);
    byte[] pdf = "%PDF-1.7 a small document".repeat(1000).getBytes(StandardCharsets.US_ASCII);
    String withFiles = slack.shareFileAsUser("T0ACME", "C0ACMEGEN", "alice", "chart.png", png, "Numbers for Q3");
    for (String team : List.of("T0GLOBEX", "T0INITECH")) {
      Map<String, Object> text = awaitOne(team, m -> "Numbers for Q3".equals(m.get("text")));
      Map<String, Object> files = awaitOne(team, m -> text.get("ts").equals(m.get("thread_ts")) && m.get("files") != null);
      assertThat(String.valueOf(files.get("text"))).startsWith("Shared by ");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> shared = (List<Map<String, Object>>) files.get("files");
      assertThat(shared).singleElement().satisfies(f -> {
        assertThat(f.get("name")).isEqualTo("chart.png");
        assertThat(f.get("mimetype")).isEqualTo("image/png");
        assertThat(slack.fileContent((String) f.get("id"))).isEqualTo(png);
      });
    }
    String pdfPost = slack.shareFileAsUser("T0ACME", "C0ACMEGEN", "alice", "report.pdf", pdf, "");
    Map<String, Object> pdfReply = awaitOne("T0GLOBEX", m -> m.get("files") != null && String.valueOf(m.get("files")).contains("report.pdf"));
    @SuppressWarnings("unchecked")
    Map<String, Object> pdfFile = ((List<Map<String, Object>>) pdfReply.get("files")).getFirst();
    assertThat(slack.fileContent((String) pdfFile.get("id"))).isEqualTo(pdf);
    assertThat(pdfFile.get("mimetype")).isEqualTo("application/pdf");

    // editing a text+file message, and giving a file-only message a caption, updates every copy; the files stay
    slack.editAsUser("T0ACME", "C0ACMEGEN", "alice", withFiles, "Numbers for Q3, final");
    slack.editAsUser("T0ACME", "C0ACMEGEN", "alice", pdfPost, "The *report*");
    for (String team : List.of("T0GLOBEX", "T0INITECH")) {
      Map<String, Object> text = awaitOne(team, m -> "Numbers for Q3, final".equals(m.get("text")));
      assertThat(world.general(team)).as("the file reply in %s stays under the edited copy", team)
          .anyMatch(m -> text.get("ts").equals(m.get("thread_ts")) && String.valueOf(m.get("files")).contains("chart.png"));
      Map<String, Object> caption = awaitOne(team, m -> "The *report*".equals(m.get("text")));
      assertThat(world.general(team)).anyMatch(m -> caption.get("ts").equals(m.get("thread_ts")) && String.valueOf(m.get("files")).contains("report.pdf"));
    }

    // a delete removes every copy, the file reply included
    slack.deleteAsUser("T0ACME", "C0ACMEGEN", "alice", withFiles);
    slack.deleteAsUser("T0ACME", "C0ACMEGEN", "alice", pdfPost);
    await().atMost(WAIT).until(() -> world.general("T0GLOBEX").stream().noneMatch(m -> m.get("files") != null
        || String.valueOf(m.get("text")).startsWith("Numbers for Q3") || "The *report*".equals(m.get("text")))
        && world.general("T0INITECH").stream().noneMatch(m -> m.get("files") != null));

    // nothing was copied twice, nothing of ours was synced back, and Slack never saw an unknown method
    for (String team : SyncWorld.TEAMS) {
      assertThat(world.general(team)).filteredOn(m -> String.valueOf(m.get("text")).startsWith("Hello")).hasSize(1);
      assertThat(world.general(team)).filteredOn(m -> "Thanks!".equals(m.get("text"))).hasSize(1);
    }
    assertThat(slack.calls()).noneMatch(dev.tandem.sandbox.ApiCall::unknownMethod);

    // deleting a message that has replies leaves a tombstone, which Slack reports as an edit: the copies (which have
    // replies too) become tombstones as well
    Map<String, Object> copies = new java.util.HashMap<>();
    for (String team : List.of("T0GLOBEX", "T0INITECH")) {
      copies.put(team, awaitOne(team, m -> String.valueOf(m.get("text")).startsWith("Hello")).get("ts"));
    }
    slack.deleteAsUser("T0ACME", "C0ACMEGEN", "alice", original);
    await().atMost(WAIT).until(() -> copies.entrySet().stream().allMatch(c -> world.general(c.getKey()).stream()
        .anyMatch(m -> c.getValue().equals(m.get("ts")) && "tombstone".equals(m.get("subtype")))));
  }

  @Test
  void everyEventDeliveredThreeTimesMakesOneCopyPerTarget() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    world.slack.knobs().eventRedeliveries(2);
    List<String> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(world.post("T0ACME", "C0ACMEGEN", "alice", "once " + i, null));
    }
    world.post("T0ACME", "C0ACMEGEN", "carol", "a reply", sent.getFirst());
    world.slack.editAsUser("T0ACME", "C0ACMEGEN", "alice", sent.get(1), "once 1, edited");
    world.slack.react("T0ACME", "C0ACMEGEN", "carol", sent.get(2), "eyes", false);

    for (String team : List.of("T0GLOBEX", "T0INITECH")) {
      await().atMost(WAIT).until(() -> world.general(team).stream().filter(m -> String.valueOf(m.get("text")).startsWith("once ")).count() == 5
          && world.general(team).stream().anyMatch(m -> "a reply".equals(m.get("text")))
          && world.general(team).stream().anyMatch(m -> "once 1, edited".equals(m.get("text")))
          && world.general(team).stream().anyMatch(m -> m.get("reactions") != null));
    }
    // let every redelivery land and every job finish before counting
    await().atMost(WAIT).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM core_job WHERE status IN ('queued', 'running')").mapTo(Long.class).one()) == 0);
    assertThat(world.slack.deliveries()).as("Slack-style retries were sent").anyMatch(d -> d.attempt() == 2 && d.httpStatus() == 200);
    for (String team : List.of("T0GLOBEX", "T0INITECH")) {
      List<String> texts = world.general(team).stream().map(m -> String.valueOf(m.get("text"))).toList();
      assertThat(texts).as(team).containsExactly("once 0", "once 1, edited", "once 2", "once 3", "once 4", "a reply");
      assertThat(world.general(team)).filteredOn(m -> m.get("reactions") != null).singleElement()
          .satisfies(m -> assertThat(String.valueOf(m.get("reactions"))).contains("eyes").contains("count=1"));
    }
    assertThat(world.slack.calls()).filteredOn(c -> c.method().equals("chat.postMessage")).hasSize(12);
  }

  @Test
  void aNewcomerOrAChangedProfileIsMatchedOnTheNextMessage() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    world.post("T0ACME", "C0ACMEGEN", "carol", "before", null);
    assertThat(awaitOne("T0GLOBEX", m -> "before".equals(m.get("text"))).get("username")).isEqualTo("carol (Acme)");

    // Carol Chen joins Globex (team_join): her next message there shows as Globex's Carol
    world.slack.addUser("T0GLOBEX", "U0CAROLG", "carol", "Carol Chen", "carol.chen@globex.example", false);
    await().atMost(WAIT).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM sync_user WHERE workspace_id = 'T0GLOBEX' AND user_id = 'U0CAROLG'").mapTo(Long.class).one()) == 1);
    // and bob changes his name (user_profile_changed): the directory follows
    world.slack.updateProfile("T0GLOBEX", "U0BOB", "Robert Brown", null, null);
    await().atMost(WAIT).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT real_name FROM sync_user WHERE workspace_id = 'T0GLOBEX' AND user_id = 'U0BOB'").mapTo(String.class).one())
        .equals("Robert Brown"));
    world.post("T0ACME", "C0ACMEGEN", "carol", "after", null);
    assertThat(awaitOne("T0GLOBEX", m -> "after".equals(m.get("text"))).get("username"))
        .as("matched by name with Globex's Carol Chen, whom the directory learnt from team_join").isEqualTo("carol");
  }

  /** Ways a target channel stops being able to receive copies, and what the notice says. */
  enum Loss {
    KICKED("not in the channel"), ARCHIVED("archived"), UNINSTALLED("uninstalled");

    final String says;

    Loss(String says) {
      this.says = says;
    }
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void aTargetThatCannotReceiveIsPausedWithANoticeWhileTheOthersGoOn(Loss loss) throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    switch (loss) {
      case KICKED -> world.slack.removeFromChannel("T0GLOBEX", "C0GLOBGEN", world.bots.get("T0GLOBEX"));
      case ARCHIVED -> world.slack.archiveChannel("T0GLOBEX", "C0GLOBGEN", "bob");
      case UNINSTALLED -> world.slack.uninstall(world.app.appId(), "T0GLOBEX");
    }

    world.post("T0ACME", "C0ACMEGEN", "alice", "first after the loss", null);
    awaitOne("T0INITECH", m -> "first after the loss".equals(m.get("text")));
    for (String team : List.of("T0ACME", "T0INITECH")) {
      assertThat(awaitOne(team, m -> String.valueOf(m.get("text")).contains("is paused")).get("text").toString())
          .as("the notice in %s", team).contains("Globex").contains(loss.says);
    }
    assertThat(world.wiring.sync.topology().liveLink("T0GLOBEX", "C0GLOBGEN")).hasValueSatisfying(l -> assertThat(l.active()).isFalse());

    long attempts = postsTo("T0GLOBEX");
    world.post("T0ACME", "C0ACMEGEN", "alice", "second after the loss", null);
    awaitOne("T0INITECH", m -> "second after the loss".equals(m.get("text")));
    assertThat(world.general("T0GLOBEX")).noneMatch(m -> String.valueOf(m.get("text")).contains("after the loss"));
    assertThat(postsTo("T0GLOBEX")).as("a paused target gets no further attempts").isEqualTo(attempts);
  }

  @Test
  void anUninstalledWorkspaceIsPausedItsPartnersAreToldAndAReinstallResumesSyncing() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    world.slack.uninstall(world.app.appId(), "T0GLOBEX");
    for (String team : List.of("T0ACME", "T0INITECH")) {
      assertThat(awaitOne(team, m -> String.valueOf(m.get("text")).contains("uninstalled Tandem Sync")).get("text").toString())
          .as("the notice in %s", team).contains("Globex").contains("30 days");
    }
    await().atMost(WAIT).until(() -> !world.wiring.sync.topology().liveLink("T0GLOBEX", "C0GLOBGEN").orElseThrow().active());
    world.post("T0ACME", "C0ACMEGEN", "alice", "while Globex is away", null);
    awaitOne("T0INITECH", m -> "while Globex is away".equals(m.get("text")));

    world.reinstall("T0GLOBEX");
    await().atMost(WAIT).until(() -> world.wiring.sync.topology().liveLink("T0GLOBEX", "C0GLOBGEN").orElseThrow().active());
    awaitOne("T0ACME", m -> String.valueOf(m.get("text")).contains("*Globex* reinstalled Tandem Sync"));
    awaitOne("T0GLOBEX", m -> String.valueOf(m.get("text")).contains("this channel syncs again"));
    world.post("T0ACME", "C0ACMEGEN", "alice", "welcome back", null);
    awaitOne("T0GLOBEX", m -> "welcome back".equals(m.get("text")));
    assertThat(world.general("T0GLOBEX")).as("what was said while it was uninstalled is not replayed")
        .noneMatch(m -> "while Globex is away".equals(m.get("text")));
  }

  @Test
  void theBotAddedToAChannelNobodySyncsExplainsItselfAndLeaves() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of("TANDEM_SYNC_INVITE_GRACE", "2s"));
    String bot = world.bots.get("T0ACME");
    // a public channel: it explains and leaves at once
    world.slack.invite("T0ACME", "C0ACMERND", bot, "alice");
    await().atMost(WAIT).until(() -> world.slack.calls().stream().anyMatch(c -> c.method().equals("conversations.leave") && c.ok()
        && "C0ACMERND".equals(c.args().get("channel"))));
    assertThat(texts("T0ACME", "C0ACMERND")).anyMatch(t -> t.contains("not synced, so I am leaving"));

    // a private channel: it stays for the grace period (time for an admin to pick it), then leaves if nobody did
    world.slack.addChannel("T0ACME", "G0ACMEPRIV", "secret", true, "U0ALICE");
    world.slack.invite("T0ACME", "G0ACMEPRIV", bot, "alice");
    await().atMost(WAIT).until(() -> texts("T0ACME", "G0ACMEPRIV").stream().anyMatch(t -> t.contains("within 1 minute")));
    assertThat(world.slack.calls()).noneMatch(c -> c.method().equals("conversations.leave") && "G0ACMEPRIV".equals(c.args().get("channel")));
    await().atMost(WAIT).until(() -> world.slack.calls().stream().anyMatch(c -> c.method().equals("conversations.leave") && c.ok()
        && "G0ACMEPRIV".equals(c.args().get("channel"))));
    assertThat(texts("T0ACME", "G0ACMEPRIV")).anyMatch(t -> t.contains("Nobody picked this channel"));

    // the bot's own joins (no inviter) and synced channels are left alone
    assertThat(world.slack.calls()).noneMatch(c -> c.method().equals("conversations.leave") && "C0ACMEGEN".equals(c.args().get("channel")));
  }

  private List<String> texts(String team, String channel) {
    return world.slack.messages(team, channel).stream().map(m -> String.valueOf(m.get("text"))).toList();
  }

  private long postsTo(String team) {
    return world.slack.calls().stream().filter(c -> team.equals(c.teamId()) && c.method().equals("chat.postMessage")).count();
  }

  @Test
  void aSyncWithReactionNoticesAlsoSaysWhoReactedInTheThread() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    var topology = world.wiring.sync.topology();
    topology.setReactionNotices(topology.liveLink("T0ACME", "C0ACMEGEN").orElseThrow().syncId(), true);
    String original = world.post("T0ACME", "C0ACMEGEN", "alice", "react to me", null);
    Map<String, Object> inGlobex = awaitOne("T0GLOBEX", m -> "react to me".equals(m.get("text")));

    world.slack.react("T0GLOBEX", "C0GLOBGEN", "bob", (String) inGlobex.get("ts"), "tada", false);

    Map<String, Object> notice = awaitOne("T0ACME", m -> "reacted with :tada:".equals(m.get("text")));
    assertThat(notice.get("thread_ts")).isEqualTo(original);
    assertThat(notice.get("username")).isEqualTo("bob (Globex)");
    awaitOne("T0INITECH", m -> "reacted with :tada:".equals(m.get("text")));
    await().atMost(WAIT).until(() -> reactors("T0ACME", original, "tada").equals(List.of(world.bots.get("T0ACME"))));
    assertThat(world.general("T0GLOBEX")).as("no notice where the reaction was made").noneMatch(m -> "reacted with :tada:".equals(m.get("text")));
  }

  @Test
  void aCustomEmojiTheTargetLacksBecomesANoticeInTheThread() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    world.slack.addCustomEmoji("T0GLOBEX", "partyparrot");
    String original = world.post("T0ACME", "C0ACMEGEN", "alice", "custom emoji here", null);
    Map<String, Object> inGlobex = awaitOne("T0GLOBEX", m -> "custom emoji here".equals(m.get("text")));
    Map<String, Object> inInitech = awaitOne("T0INITECH", m -> "custom emoji here".equals(m.get("text")));

    world.slack.react("T0GLOBEX", "C0GLOBGEN", "bob", (String) inGlobex.get("ts"), "partyparrot", false);
    world.slack.react("T0GLOBEX", "C0GLOBGEN", "bob", (String) inGlobex.get("ts"), "tada", false);

    Map<String, Object> notice = awaitOne("T0ACME", m -> "reacted with :partyparrot:".equals(m.get("text")));
    assertThat(notice.get("thread_ts")).isEqualTo(original);
    assertThat(notice.get("username")).isEqualTo("bob (Globex)");
    assertThat(awaitOne("T0INITECH", m -> "reacted with :partyparrot:".equals(m.get("text"))).get("thread_ts"))
        .isEqualTo(inInitech.get("ts"));
    // a standard emoji on the same message is still mirrored natively, and only the custom one became a notice
    await().atMost(WAIT).until(() -> reactors("T0ACME", original, "tada").equals(List.of(world.bots.get("T0ACME"))));
    assertThat(reactors("T0ACME", original, "partyparrot")).isEmpty();
    assertThat(world.general("T0ACME")).noneMatch(m -> "reacted with :tada:".equals(m.get("text")));
    assertThat(world.general("T0GLOBEX")).noneMatch(m -> String.valueOf(m.get("text")).startsWith("reacted with"));
  }

  @Test
  void aPostRepeatedAfterAnUnknownOutcomeEndsAsOneCopy() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    // Slack takes every post but the answers are lost, echoes come after the grace period, and
    // history reads are refused (the 2025 profile's budget spent): Tandem posts again
    world.slack.knobs().eventDelay(Duration.ofSeconds(1))
        .fault("chat.postMessage", new dev.tandem.sandbox.Knobs.Fault(0, 0, 0, 1.0))
        .fault("conversations.history", new dev.tandem.sandbox.Knobs.Fault(1.0, 0, 0, 0));
    world.post("T0ACME", "C0ACMEGEN", "alice", "said twice?", null);
    await().atMost(WAIT).until(() -> copiesOf("T0GLOBEX", "said twice?").size() >= 2 && copiesOf("T0INITECH", "said twice?").size() >= 2);
    world.slack.knobs().clearFaults();

    await().atMost(WAIT).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM core_job WHERE status IN ('queued', 'running')").mapTo(Long.class).one()) == 0
        && copiesOf("T0GLOBEX", "said twice?").size() == 1 && copiesOf("T0INITECH", "said twice?").size() == 1);
    for (String team : List.of("T0GLOBEX", "T0INITECH")) {
      String kept = (String) copiesOf(team, "said twice?").getFirst().get("ts");
      List<String> known = world.wiring.database.jdbi().withHandle(h -> h.createQuery(
              "SELECT ts FROM sync_post WHERE workspace_id = :w AND kind = 'message' AND post_id IN"
                  + " (SELECT post_id FROM sync_post WHERE workspace_id = 'T0ACME')").bind("w", team).mapTo(String.class).list());
      assertThat(known).as("the copy Tandem knows in %s is the one left", team).containsExactly(kept);
    }
    assertThat(world.slack.calls()).as("the extra copies were deleted")
        .anyMatch(c -> c.method().equals("chat.delete") && c.ok() && "T0GLOBEX".equals(c.teamId()))
        .anyMatch(c -> c.method().equals("chat.delete") && c.ok() && "T0INITECH".equals(c.teamId()));
  }

  private List<Map<String, Object>> copiesOf(String team, String text) {
    return world.general(team).stream().filter(m -> text.equals(m.get("text"))).toList();
  }

  private Map<String, Object> awaitOne(String team, Predicate<Map<String, Object>> which) {
    return await().atMost(WAIT).until(() -> world.general(team).stream().filter(which).findFirst(), Optional::isPresent).orElseThrow();
  }

  private String textOf(String team, String ts) {
    return world.general(team).stream().filter(m -> ts.equals(m.get("ts"))).map(m -> String.valueOf(m.get("text"))).findFirst().orElse("");
  }

  @SuppressWarnings("unchecked")
  private List<String> reactors(String team, String ts, String name) {
    return world.general(team).stream().filter(m -> ts.equals(m.get("ts"))).findFirst()
        .map(m -> (List<Map<String, Object>>) m.getOrDefault("reactions", List.of())).orElse(List.of()).stream()
        .filter(r -> name.equals(r.get("name"))).findFirst().map(r -> (List<String>) r.get("users")).orElse(List.of());
  }
}
