package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sync Home tab through the sandbox's interactivity: Home opened, buttons pressed and modals
 * submitted exactly as Slack sends them, to the real Bolt app over HTTP.
 */
class HomeTabIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;
  private SyncWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void anAdminCreatesAGroupAnotherWorkspaceJoinsItWithItsCodeAndOthersOnlyRead() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    String app = world.app.appId();

    // an admin sees the groups with their invite codes and the buttons; a member of the workspace only reads
    Map<String, Object> aliceHome = home("T0ACME", "alice");
    String partnersCode = world.wiring.sync.topology().inviteCode(groupId("Partners")).orElseThrow();
    assertThat(text(aliceHome)).contains("Partners").contains(partnersCode).contains("<#C0ACMEGEN>").contains(HOME_CREATE)
        .contains("with Globex, Initech").contains("Synced since").contains("0 messages tracked");
    Map<String, Object> carolHome = home("T0ACME", "carol");
    assertThat(text(carolHome)).contains("Partners").contains("Only workspace admins").doesNotContain(partnersCode).doesNotContain(HOME_CREATE);

    // create a group: button, modal, submission; the Home tab shows it
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), HOME_CREATE, null);
    Map<String, Object> modal = lastModal("T0ACME", "alice", HOME_CREATE);
    assertThat(world.slack.submitView("T0ACME", "alice", (String) modal.get("id"), input("name", "Suppliers"))).doesNotContainKey("errors");
    String suppliersCode = world.wiring.sync.topology().inviteCode(groupId("Suppliers")).orElseThrow();
    await().atMost(WAIT).until(() -> text(world.slack.homeView("T0ACME", "alice", app).orElseThrow()).contains(suppliersCode));

    // Initech joins with the code as people type it (lower case, no dash)
    Map<String, Object> ivyHome = home("T0INITECH", "ivy");
    world.slack.pressViewButton("T0INITECH", "ivy", (String) ivyHome.get("id"), HOME_JOIN, null);
    Map<String, Object> join = lastModal("T0INITECH", "ivy", HOME_JOIN);
    assertThat(world.slack.submitView("T0INITECH", "ivy", (String) join.get("id"),
        input("code", suppliersCode.replace("-", "").toLowerCase(java.util.Locale.ROOT)))).doesNotContainKey("errors");
    assertThat(world.wiring.sync.topology().isActiveMember(groupId("Suppliers"), "T0INITECH")).isTrue();
    await().atMost(WAIT).until(() -> text(world.slack.homeView("T0INITECH", "ivy", app).orElseThrow()).contains("Suppliers"));
  }

  @Test
  void wrongCodesAreLimitedPerWorkspaceAndANonAdminsForgedActionsChangeNothing() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    String suppliers = world.wiring.sync.topology().createGroup("Suppliers", "T0ACME");
    String code = world.wiring.sync.topology().inviteCode(suppliers).orElseThrow();

    Map<String, Object> bobHome = home("T0GLOBEX", "bob");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) bobHome.get("id"), HOME_JOIN, null);
    String join = (String) lastModal("T0GLOBEX", "bob", HOME_JOIN).get("id");
    for (int i = 0; i < 5; i++) {
      assertThat(errors(world.slack.submitView("T0GLOBEX", "bob", join, input("code", "ZZZ-ZZZ" + i)))).containsEntry("code",
          "No group has this code. Check it with the admin who gave it to you.");
    }
    assertThat(errors(world.slack.submitView("T0GLOBEX", "bob", join, input("code", code))))
        .as("the sixth try within 15 minutes is refused, even with the right code")
        .hasEntrySatisfying("code", e -> assertThat(String.valueOf(e)).contains("Too many"));
    assertThat(world.wiring.sync.topology().isActiveMember(suppliers, "T0GLOBEX")).isFalse();

    // carol is not an admin: replaying alice's buttons and modal as carol changes nothing, and she is told why
    Map<String, Object> aliceHome = home("T0ACME", "alice");
    int groupsBefore = groupCount();
    world.slack.pressViewButton("T0ACME", "carol", (String) aliceHome.get("id"), HOME_CREATE, null);
    assertThat(text(lastModal("T0ACME", "carol", null))).contains("Only workspace admins").contains("Nothing was changed");
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), HOME_CREATE, null);
    String create = (String) lastModal("T0ACME", "alice", HOME_CREATE).get("id");
    assertThat(errors(world.slack.submitView("T0ACME", "carol", create, input("name", "Forged")))).containsEntry("name",
        "Only workspace admins can change Tandem Sync's configuration.");
    assertThat(groupCount()).isEqualTo(groupsBefore);
    assertThat(world.wiring.metrics.registry().find("tandem.sync.home.refused").tag("reason", "not_admin").counter())
        .isNotNull().satisfies(c -> assertThat(c.count()).isEqualTo(2.0));
  }

  @Test
  void channelsArePublishedSubscribedPausedAndStoppedFromTheHomeTab() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    String partners = groupId("Partners");
    world.slack.addChannel("T0ACME", "C0ACMEPROJ", "projects", false, "U0ALICE");
    world.slack.addChannel("T0GLOBEX", "C0GLOBPROJ", "proj-x", false, "U0BOB");

    // Acme publishes #projects to its group: picked by typing, joined by the bot, announced in the channel
    Map<String, Object> aliceHome = home("T0ACME", "alice");
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.sync.publish", partners);
    String publish = (String) lastModal("T0ACME", "alice", "home.sync.publish").get("id");
    assertThat(String.valueOf(world.slack.suggest("T0ACME", "alice", publish, "home.channel", "proj"))).contains("C0ACMEPROJ")
        .doesNotContain("C0ACMERND");
    Map<String, Object> picked = Map.of("channel", pick("home.channel", "external_select", "C0ACMEPROJ"),
        "mode", pick("value", "radio_buttons", "group"));
    assertThat(world.slack.submitView("T0ACME", "alice", publish, picked)).doesNotContainKey("errors");
    assertThat(messages("T0ACME", "C0ACMEPROJ")).anyMatch(t -> t.contains("shared this channel with the workspaces of *Partners*"));
    String sync = world.wiring.sync.topology().liveLink("T0ACME", "C0ACMEPROJ").orElseThrow().syncId();

    // Globex subscribes #proj-x to it; both sides are told, and messages flow
    Map<String, Object> bobHome = home("T0GLOBEX", "bob");
    assertThat(text(bobHome)).contains("projects").contains("home.sync.subscribe");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) bobHome.get("id"), "home.sync.subscribe", sync);
    String subscribe = (String) lastModal("T0GLOBEX", "bob", "home.sync.subscribe").get("id");
    assertThat(world.slack.submitView("T0GLOBEX", "bob", subscribe, Map.of("channel", pick("home.channel", "external_select", "C0GLOBPROJ"))))
        .doesNotContainKey("errors");
    assertThat(messages("T0GLOBEX", "C0GLOBPROJ")).anyMatch(t -> t.contains("started syncing this channel with Acme"));
    assertThat(messages("T0ACME", "C0ACMEPROJ")).anyMatch(t -> t.contains("Globex started syncing this channel"));
    world.post("T0ACME", "C0ACMEPROJ", "alice", "hello projects", null);
    await().atMost(WAIT).until(() -> messages("T0GLOBEX", "C0GLOBPROJ").contains("hello projects"));

    // a private channel the bot was not invited to: never joined, and the admin is told what to do
    world.slack.addChannel("T0INITECH", "G0INITPRIV", "secret", true, "U0IVY");
    Map<String, Object> ivyHome = home("T0INITECH", "ivy");
    world.slack.pressViewButton("T0INITECH", "ivy", (String) ivyHome.get("id"), "home.sync.publish", partners);
    String ivyPublish = (String) lastModal("T0INITECH", "ivy", "home.sync.publish").get("id");
    assertThat(errors(world.slack.submitView("T0INITECH", "ivy", ivyPublish, Map.of("channel", pick("home.channel", "external_select", "G0INITPRIV"),
        "mode", pick("value", "radio_buttons", "group"))))).hasEntrySatisfying("channel", e -> assertThat(String.valueOf(e)).contains("/invite"));
    assertThat(world.slack.calls()).noneMatch(c -> c.method().equals("conversations.join") && "G0INITPRIV".equals(c.args().get("channel")));

    // Globex pauses (its channel only), resumes, then stops syncing after confirming
    bobHome = awaitHome("T0GLOBEX", "bob", "home.sync.pause");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) bobHome.get("id"), "home.sync.pause", sync);
    await().atMost(WAIT).until(() -> !world.wiring.sync.topology().liveLink("T0GLOBEX", "C0GLOBPROJ").orElseThrow().active());
    assertThat(world.wiring.sync.topology().liveLink("T0ACME", "C0ACMEPROJ").orElseThrow().active()).isTrue();
    bobHome = awaitHome("T0GLOBEX", "bob", "home.sync.resume");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) bobHome.get("id"), "home.sync.resume", sync);
    await().atMost(WAIT).until(() -> world.wiring.sync.topology().liveLink("T0GLOBEX", "C0GLOBPROJ").orElseThrow().active());
    bobHome = awaitHome("T0GLOBEX", "bob", "home.sync.pause");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) bobHome.get("id"), "home.sync.stop", sync);
    String stop = (String) lastModal("T0GLOBEX", "bob", "home.sync.stop").get("id");
    world.slack.submitView("T0GLOBEX", "bob", stop, Map.of());
    assertThat(world.wiring.sync.topology().liveLink("T0GLOBEX", "C0GLOBPROJ")).isEmpty();
    assertThat(messages("T0ACME", "C0ACMEPROJ")).anyMatch(t -> t.contains("Globex stopped syncing this channel"));
  }

  @Test
  void onlyThePublisherUnpublishesAndAWorkspaceLeavesAGroup() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    String partners = groupId("Partners");
    String general = world.wiring.sync.topology().liveLink("T0ACME", "C0ACMEGEN").orElseThrow().syncId();

    // Globex's admin replaying Acme's Unpublish button (or a crafted submission) is refused: Globex did not publish it
    Map<String, Object> bobHome = home("T0GLOBEX", "bob");
    assertThat(text(bobHome)).doesNotContain("home.sync.unpublish");
    Map<String, Object> aliceHome = home("T0ACME", "alice");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) aliceHome.get("id"), "home.sync.unpublish", general);
    assertThat(text(lastModal("T0GLOBEX", "bob", null))).contains("Only the workspace that published");
    assertThat(world.wiring.sync.topology().sync(general)).isPresent();

    // Acme unpublishes #general: every channel is told and leaves the sync
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.sync.unpublish", general);
    world.slack.submitView("T0ACME", "alice", (String) lastModal("T0ACME", "alice", "home.sync.unpublish").get("id"), Map.of());
    assertThat(world.wiring.sync.topology().sync(general)).isEmpty();
    for (String team : SyncWorld.TEAMS) {
      assertThat(world.general(team)).as(team).anyMatch(m -> String.valueOf(m.get("text")).contains("Acme unpublished *general*"));
      assertThat(world.wiring.sync.topology().liveLink(team, SyncWorld.GENERAL.get(team))).isEmpty();
    }

    // Initech leaves Partners: the others stay, and its Home no longer shows the group
    Map<String, Object> ivyHome = home("T0INITECH", "ivy");
    world.slack.pressViewButton("T0INITECH", "ivy", (String) ivyHome.get("id"), "home.group.leave", partners);
    world.slack.submitView("T0INITECH", "ivy", (String) lastModal("T0INITECH", "ivy", "home.group.leave").get("id"), Map.of());
    assertThat(world.wiring.sync.topology().isActiveMember(partners, "T0INITECH")).isFalse();
    assertThat(world.wiring.sync.topology().isActiveMember(partners, "T0GLOBEX")).isTrue();
    await().atMost(WAIT).until(() -> !text(world.slack.homeView("T0INITECH", "ivy", world.app.appId()).orElseThrow()).contains("Partners"));
  }

  @Test
  void anInvitedWorkspacesAdminAcceptsOthersCannotAndTheInviterCanCancel() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    String suppliers = world.wiring.sync.topology().createGroup("Suppliers", "T0ACME");

    Map<String, Object> aliceHome = home("T0ACME", "alice");
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.group.invite", suppliers);
    String invite = (String) lastModal("T0ACME", "alice", "home.group.invite").get("id");
    assertThat(world.slack.submitView("T0ACME", "alice", invite, Map.of("workspace", pick("value", "static_select", "T0GLOBEX"))))
        .doesNotContainKey("errors");
    Map.Entry<String, String> dm = inviteMessage("T0GLOBEX");
    Map<String, Object> message = world.slack.messages("T0GLOBEX", dm.getKey()).stream().filter(m -> dm.getValue().equals(m.get("ts")))
        .findFirst().orElseThrow();
    assertThat(text(message)).contains("Acme* invites *Globex* into the Tandem Sync group *Suppliers*").contains("home.invite.accept");

    // dave is not an admin of Globex: his press changes nothing, and he is told why
    world.slack.pressButton("T0GLOBEX", "dave.d", dm.getKey(), dm.getValue(), "home.invite.accept", null);
    assertThat(world.wiring.sync.topology().isActiveMember(suppliers, "T0GLOBEX")).isFalse();
    assertThat(text(lastModal("T0GLOBEX", "dave.d", null))).contains("Only an admin of Globex");

    world.slack.pressButton("T0GLOBEX", "bob", dm.getKey(), dm.getValue(), "home.invite.accept", null);
    assertThat(world.wiring.sync.topology().isActiveMember(suppliers, "T0GLOBEX")).isTrue();
    await().atMost(WAIT).until(() -> world.slack.messages("T0GLOBEX", dm.getKey()).stream()
        .anyMatch(m -> String.valueOf(m.get("text")).contains("accepted: Globex is now in *Suppliers*") && !String.valueOf(m).contains("home.invite.accept")));

    // Acme invites Initech, then cancels: Initech's admins see that it was cancelled
    aliceHome = home("T0ACME", "alice");
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.group.invite", suppliers);
    world.slack.submitView("T0ACME", "alice", (String) lastModal("T0ACME", "alice", "home.group.invite").get("id"),
        Map.of("workspace", pick("value", "static_select", "T0INITECH")));
    Map.Entry<String, String> initechDm = inviteMessage("T0INITECH");
    aliceHome = awaitHome("T0ACME", "alice", "home.group.cancel_invite");
    String pendingId = world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT id FROM sync_group_member WHERE group_id = :g AND workspace_id = 'T0INITECH'").bind("g", suppliers).mapTo(String.class).one());
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.group.cancel_invite", pendingId);
    await().atMost(WAIT).until(() -> world.slack.messages("T0INITECH", initechDm.getKey()).stream()
        .anyMatch(m -> String.valueOf(m.get("text")).contains("Acme cancelled the invitation")));
    assertThat(world.slack.messages("T0INITECH", initechDm.getKey())).as("its buttons are gone")
        .noneMatch(m -> String.valueOf(m).contains("home.invite.accept"));
    assertThat(world.wiring.sync.topology().invitation(pendingId).orElseThrow().status()).isEqualTo("ended");
    assertThat(world.wiring.sync.topology().settleInvitation(pendingId, true)).as("a cancelled invitation cannot be accepted").isFalse();
  }

  @Test
  void joiningAGroupMatchesPeopleAndAnAdminMapsSomeoneByHandOnThePagedPeopleScreen() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    for (int i = 0; i < 45; i++) {
      world.slack.addUser("T0ACME", String.format(java.util.Locale.ROOT, "U0MANY%02d", i), "many" + i, "Many Person " + i,
          "many" + i + "@acme.example", false);
    }
    await().atMost(WAIT).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM sync_user WHERE workspace_id = 'T0ACME'").mapTo(Integer.class).one()) >= 48);
    String suppliers = world.wiring.sync.topology().createGroup("Suppliers", "T0ACME");
    String code = world.wiring.sync.topology().inviteCode(suppliers).orElseThrow();

    // Globex joins: everyone of Acme is matched against Globex (and back) by a job
    Map<String, Object> bobHome = home("T0GLOBEX", "bob");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) bobHome.get("id"), HOME_JOIN, null);
    world.slack.submitView("T0GLOBEX", "bob", (String) lastModal("T0GLOBEX", "bob", HOME_JOIN).get("id"), input("code", code));
    await().atMost(WAIT).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM sync_user_mapping WHERE source_workspace_id = 'T0ACME' AND target_workspace_id = 'T0GLOBEX'")
        .mapTo(Integer.class).one()) >= 48);

    // the People screen: by method, 20 a page, within Slack's limits
    bobHome = home("T0GLOBEX", "bob");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) bobHome.get("id"), "home.people", "none|0");
    Map<String, Object> people = awaitHome("T0GLOBEX", "bob", "Page 1 of 3");
    assertThat(text(people)).contains("Unmapped (47)").contains("Matched by email (1)").contains("(Acme)");
    assertThat(((List<?>) people.get("blocks")).size()).isLessThanOrEqualTo(100);
    assertThat(world.slack.pressViewButton("T0GLOBEX", "bob", (String) people.get("id"), "home.people.page", "none|2")).isEqualTo(200);
    people = awaitHome("T0GLOBEX", "bob", "Page 3 of 3");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) people.get("id"), "home.people.page", "email|0");
    people = awaitHome("T0GLOBEX", "bob", "<@U0DAVEG>");

    // Carol of Acme is Bob here, set by hand
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) people.get("id"), "home.people.page", "none|0");
    people = awaitHome("T0GLOBEX", "bob", "*carol* (Acme)");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) people.get("id"), "home.people.edit", "T0ACME|U0CAROL|none|0");
    String edit = (String) lastModal("T0GLOBEX", "bob", "home.people.edit").get("id");
    assertThat(String.valueOf(world.slack.suggest("T0GLOBEX", "bob", edit, "home.person", "bo"))).contains("U0BOB").doesNotContain("U0DAVEG");
    assertThat(world.slack.submitView("T0GLOBEX", "bob", edit, Map.of("person", pick("home.person", "external_select", "U0BOB"))))
        .doesNotContainKey("errors");
    people = awaitHome("T0GLOBEX", "bob", "Set by hand (1)");

    // a newcomer in Acme (team_join) is matched at once: Globex's screen shows them without anyone mentioning them
    world.slack.addUser("T0ACME", "U0BOBACME", "bobby", "Bob Brown", "bob@globex.example", false);
    await().atMost(WAIT).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM sync_user_mapping WHERE source_workspace_id = 'T0ACME' AND source_user_id = 'U0BOBACME'"
            + " AND target_workspace_id = 'T0GLOBEX' AND method = 'email' AND target_user_id = 'U0BOB'").mapTo(Integer.class).one()) == 1);
    people = awaitHome("T0GLOBEX", "bob", "Set by hand (1)");
    world.slack.pressViewButton("T0GLOBEX", "bob", (String) people.get("id"), "home.people.page", "email|0");
    awaitHome("T0GLOBEX", "bob", "Matched by email (2)");
    world.post("T0ACME", "C0ACMEGEN", "carol", "who am I there?", null);
    await().atMost(WAIT).until(() -> world.general("T0GLOBEX").stream().anyMatch(m -> "who am I there?".equals(m.get("text"))
        && String.valueOf(m.get("username")).contains("bob")));
  }

  @Test
  void everyHomeActionSubmissionAndPickerReplayedByANonAdminChangesNothingAndIsCounted() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    var topology = world.wiring.sync.topology();
    String partners = groupId("Partners");
    // state in which Alice's Home tab shows every kind of button: a sync Acme published (pause, stop,
    // unpublish), one Globex offers (start syncing), a pending invitation (cancel), and the people page
    world.slack.addChannel("T0GLOBEX", "C0GLOBNEWS", "news", false, "U0BOB");
    world.slack.invite("T0GLOBEX", "C0GLOBNEWS", world.bots.get("T0GLOBEX"));
    String news = topology.createGroupSync(partners, "news", "T0GLOBEX");
    topology.link(news, "T0GLOBEX", "C0GLOBNEWS");
    String suppliers = topology.createGroup("Suppliers", "T0ACME");
    topology.invite(suppliers, "T0GLOBEX", "U0ALICE").orElseThrow();
    world.wiring.database.jdbi().useHandle(h -> h.execute("INSERT INTO sync_user_mapping (source_workspace_id, source_user_id,"
        + " target_workspace_id, method, source_display_name, matched_at) VALUES ('T0GLOBEX', 'U0BOB', 'T0ACME', 'none', 'bob', 1)"));
    Map<String, Object> aliceHome = home("T0ACME", "alice");
    List<Map<String, Object>> buttons = buttons(aliceHome);
    assertThat(buttons).extracting(b -> b.get("action_id")).contains("home.group.create", "home.group.join", "home.people",
        "home.sync.publish", "home.group.invite", "home.group.leave", "home.group.cancel_invite", "home.sync.subscribe",
        "home.sync.pause", "home.sync.stop", "home.sync.unpublish");
    String before = snapshot();

    // every button of the Home tab, pressed by Carol
    for (Map<String, Object> b : buttons) {
      world.slack.pressViewButton("T0ACME", "carol", (String) aliceHome.get("id"), (String) b.get("action_id"), (String) b.get("value"));
      assertThat(snapshot()).as("%s pressed by a non-admin", b.get("action_id")).isEqualTo(before);
    }
    assertThat(refused()).as("every press counted").isEqualTo(buttons.size());

    // ... and by Globex's admin, in payloads forged to name Acme: an admin elsewhere is nobody here
    for (Map<String, Object> b : buttons) {
      world.slack.forgePressViewButton("T0ACME", "T0GLOBEX", "bob", (String) aliceHome.get("id"), (String) b.get("action_id"),
          (String) b.get("value"));
      assertThat(snapshot()).as("%s pressed by another workspace's admin", b.get("action_id")).isEqualTo(before);
    }
    assertThat(refused()).as("every forged press counted").isEqualTo(2 * buttons.size());

    // every modal Alice opens, submitted by Carol; every type-ahead asked by Carol
    Map<String, Map<String, Object>> submissions = Map.of(
        "home.group.create", input("name", "Forged"),
        "home.group.join", input("code", topology.inviteCode(suppliers).orElseThrow()),
        "home.group.invite", Map.of("workspace", pick("value", "static_select", "T0INITECH")),
        "home.sync.publish", Map.of("channel", pick("home.channel", "external_select", "C0ACMERND"), "mode", pick("value", "radio_buttons", "group")),
        "home.sync.subscribe", Map.of("channel", pick("home.channel", "external_select", "C0ACMERND")),
        "home.sync.stop", Map.of(),
        "home.sync.unpublish", Map.of(),
        "home.group.leave", Map.of());
    int counted = refused();
    for (var submission : submissions.entrySet()) {
      // Partners holds every installed workspace already: invitations are offered in Suppliers
      Map<String, Object> button = buttons.stream().filter(b -> submission.getKey().equals(b.get("action_id")))
          .filter(b -> !submission.getKey().equals("home.group.invite") || suppliers.equals(b.get("value"))).findFirst().orElseThrow();
      world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), submission.getKey(), (String) button.get("value"));
      String modal = (String) lastModal("T0ACME", "alice", submission.getKey()).get("id");
      if (submission.getKey().equals("home.sync.publish") || submission.getKey().equals("home.sync.subscribe")) {
        assertThat((List<?>) world.slack.suggest("T0ACME", "carol", modal, "home.channel", "").get("options")).isEmpty();
        counted++;
      }
      Map<String, Object> ack = world.slack.submitView("T0ACME", "carol", modal, submission.getValue());
      assertThat(String.valueOf(ack)).as("%s submitted by a non-admin is refused with a reason", submission.getKey())
          .contains("Only workspace admins");
      assertThat(snapshot()).as("%s submitted by a non-admin", submission.getKey()).isEqualTo(before);
      counted++;
    }
    assertThat(refused()).isEqualTo(counted);
  }

  @Test
  void refreshReadsSlackAgainAtMostOnceAMinutePerPerson() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    Map<String, Object> aliceHome = home("T0ACME", "alice");
    int crawls = crawls("T0ACME");
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.refresh", null);
    assertThat(crawls("T0ACME")).as("the people of Acme are read again").isEqualTo(crawls + 1);

    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.refresh", null);
    awaitHome("T0ACME", "alice", "No new data. Wait");
    assertThat(crawls("T0ACME")).as("within the cooldown nothing is read again").isEqualTo(crawls + 1);
    int rows = world.wiring.database.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM sync_home_refresh WHERE workspace_id = 'T0ACME' AND user_id = 'U0ALICE'").mapTo(Integer.class).one());
    assertThat(rows).as("kept in the database, where every instance sees it").isEqualTo(1);
  }

  private int crawls(String team) {
    return world.wiring.database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM core_job WHERE kind = 'sync.directory'"
        + " AND payload LIKE :p").bind("p", "%" + team + "%").mapTo(Integer.class).one());
  }

  /** Every sync_ table, as text: equal before and after means nothing changed. */
  private String snapshot() {
    StringBuilder out = new StringBuilder();
    for (String table : List.of("sync_workspace", "sync_group", "sync_group_member", "sync_sync", "sync_channel", "sync_user_mapping",
        "sync_invite_message", "sync_join_attempt")) {
      List<String> rows = world.wiring.database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM " + table).mapToMap().list()
          .stream().map(java.util.TreeMap::new).map(String::valueOf).sorted().toList());
      out.append(table).append(rows);
    }
    return out.toString();
  }

  private int refused() {
    var counter = world.wiring.metrics.registry().find("tandem.sync.home.refused").tag("reason", "not_admin").counter();
    return counter == null ? 0 : (int) counter.count();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> buttons(Map<String, Object> view) {
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (Object o : (List<Object>) view.get("blocks")) {
      Map<String, Object> b = (Map<String, Object>) o;
      if (b.get("accessory") instanceof Map<?, ?> acc && "button".equals(acc.get("type"))) {
        out.add((Map<String, Object>) acc);
      }
      if (b.get("elements") instanceof List<?> elements) {
        elements.stream().map(e -> (Map<String, Object>) e).filter(e -> "button".equals(e.get("type"))).forEach(out::add);
      }
    }
    return out;
  }

  private Map.Entry<String, String> inviteMessage(String team) {
    return await().atMost(WAIT).until(() -> world.wiring.database.jdbi().withHandle(h -> h.createQuery(
            "SELECT i.channel_id, i.ts FROM sync_invite_message i JOIN sync_group_member m ON m.id = i.member_id WHERE m.workspace_id = :w")
        .bind("w", team).map((rs, ctx) -> Map.entry(rs.getString("channel_id"), rs.getString("ts"))).findFirst()), java.util.Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void aLargeWorkspaceStaysWithinSlacksLimits() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    for (int i = 0; i < 1_200; i++) {
      world.slack.addChannel("T0ACME", String.format(java.util.Locale.ROOT, "C0BULK%04d", i), "chan-" + i, false, "U0ALICE");
    }
    for (int i = 0; i < 250; i++) {
      world.slack.addUser("T0ACME", String.format(java.util.Locale.ROOT, "U0BULK%03d", i), "person" + i, "Person " + i,
          "person" + i + "@acme.example", false);
    }
    for (int i = 0; i < 40; i++) {
      world.wiring.sync.topology().createGroup("Group " + i, "T0ACME");
    }

    // the Home tab holds at most 100 blocks (the sandbox refuses more, as Slack does) and says what it left out
    Map<String, Object> aliceHome = home("T0ACME", "alice");
    assertThat(((List<?>) aliceHome.get("blocks")).size()).isLessThanOrEqualTo(100);
    assertThat(text(aliceHome)).contains("Group 0").contains("Groups, page 1 of");
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.page", "1");
    Map<String, Object> second = awaitHome("T0ACME", "alice", "Groups, page 2 of");
    assertThat(((List<?>) second.get("blocks")).size()).isLessThanOrEqualTo(100);
    assertThat(text(second)).doesNotContain("*Group 0*");

    // the channel picker answers at most 100 options (the sandbox rejects more) and narrows as one types
    world.slack.pressViewButton("T0ACME", "alice", (String) aliceHome.get("id"), "home.sync.publish", groupId("Partners"));
    String publish = (String) lastModal("T0ACME", "alice", "home.sync.publish").get("id");
    List<?> all = (List<?>) world.slack.suggest("T0ACME", "alice", publish, "home.channel", "").get("options");
    assertThat(all).hasSize(100);
    List<?> typed = (List<?>) world.slack.suggest("T0ACME", "alice", publish, "home.channel", "chan-119").get("options");
    assertThat(typed).hasSize(11).allSatisfy(o -> assertThat(String.valueOf(o)).contains("chan-119"));
  }

  private Map<String, Object> awaitHome(String team, String user, String containing) {
    return await().atMost(WAIT).until(() -> world.slack.homeView(team, user, world.app.appId()).orElseThrow(), v -> text(v).contains(containing));
  }

  private List<String> messages(String team, String channel) {
    return world.slack.messages(team, channel).stream().map(m -> String.valueOf(m.get("text"))).toList();
  }

  private static Map<String, Object> pick(String actionId, String type, String value) {
    return Map.of(actionId, Map.of("type", type, "selected_option", Map.of("value", value, "text", Map.of("type", "plain_text", "text", value))));
  }

  private static final String HOME_CREATE = "home.group.create";
  private static final String HOME_JOIN = "home.group.join";

  private Map<String, Object> home(String team, String user) {
    world.slack.openHome(team, user, world.app.appId());
    return await().atMost(WAIT).until(() -> world.slack.homeView(team, user, world.app.appId()), java.util.Optional::isPresent).orElseThrow();
  }

  /** The open modal of a person with this callback id (null: a modal without one, such as a refusal); the newest view id wins. */
  private Map<String, Object> lastModal(String team, String user, String callbackId) {
    String wanted = callbackId == null ? "" : callbackId;
    return await().atMost(WAIT).until(() -> world.slack.openModals(team, user).stream()
        .filter(m -> java.util.Objects.toString(m.get("callback_id"), "").equals(wanted))
        .max(java.util.Comparator.comparing(m -> String.valueOf(m.get("hash")))).orElse(null), java.util.Objects::nonNull);
  }

  private static Map<String, Object> input(String block, String value) {
    return Map.of(block, Map.of("value", Map.of("type", "plain_text_input", "value", value)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> errors(Map<String, Object> ack) {
    assertThat(ack).containsEntry("response_action", "errors");
    return (Map<String, Object>) ack.get("errors");
  }

  private static String text(Map<String, Object> view) {
    return String.valueOf(view);
  }

  private String groupId(String name) {
    return world.wiring.database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM sync_group WHERE name = :n").bind("n", name)
        .mapTo(String.class).one());
  }

  private int groupCount() {
    return world.wiring.database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sync_group").mapTo(Integer.class).one());
  }
}
