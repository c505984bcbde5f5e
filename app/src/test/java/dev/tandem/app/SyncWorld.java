package dev.tandem.app;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.testing.TestDatabases;
import dev.tandem.sandbox.AppRegistration;
import dev.tandem.sandbox.AppSpec;
import dev.tandem.sandbox.FakeSlack;
import dev.tandem.sandbox.FakeSlackOptions;
import dev.tandem.sync.SyncModule;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Three workspaces in the sandbox, each with a #general that is synced with the others, and
 * Tandem (all roles, real HTTP, the given database) installed in each through OAuth.
 *
 * <ul>
 *   <li>Acme: alice, carol, dave (dave@example.com)</li>
 *   <li>Globex: bob, dave (dave@example.com: matched by email)</li>
 *   <li>Initech: ivy, and "Alice Archer" with another email (matched by name)</li>
 * </ul>
 */
final class SyncWorld implements AutoCloseable {
  static final List<String> TEAMS = List.of("T0ACME", "T0GLOBEX", "T0INITECH");
  static final Map<String, String> GENERAL = Map.of("T0ACME", "C0ACMEGEN", "T0GLOBEX", "C0GLOBGEN", "T0INITECH", "C0INITGEN");

  // Slack waits 3 s for an acknowledgement; Home tab handlers answer after their Slack calls, which on a loaded 2-core CI
  // machine can take longer than the 500 ms the sandbox's test options allow
  final FakeSlack slack = FakeSlack.create(FakeSlackOptions.forTests().withEventAckTimeout(java.time.Duration.ofSeconds(3)));
  final Wiring wiring;
  final int port;
  final Map<String, String> bots = new HashMap<>();
  /** The Sync app as registered in the sandbox. */
  final AppRegistration app;
  /** The settings Tandem runs with (to start it again as a separate process). */
  final Map<String, String> env;
  private boolean tandemStopped;

  SyncWorld(Path dir, Dialect dialect, Map<String, String> extraEnv) throws Exception {
    this(dir, dialect, extraEnv, s -> { });
  }

  /** The same, with {@code seed} adding to the sandbox before Tandem starts and installs (e.g. thousands of people). */
  SyncWorld(Path dir, Dialect dialect, Map<String, String> extraEnv, java.util.function.Consumer<FakeSlack> seed) throws Exception {
    slack.start(0);
    slack.addWorkspace("T0ACME", "Acme", "acme");
    slack.addUser("T0ACME", "U0ALICE", "alice", "Alice Archer", "alice@acme.example", true);
    slack.addUser("T0ACME", "U0CAROL", "carol", "Carol Chen", "carol@acme.example", false);
    slack.addUser("T0ACME", "U0DAVEA", "dave", "Dave Diaz", "dave@example.com", false);
    slack.addChannel("T0ACME", "C0ACMEGEN", "general", false, "U0ALICE", "U0CAROL", "U0DAVEA");
    slack.addChannel("T0ACME", "C0ACMERND", "random", false, "U0ALICE");
    slack.addWorkspace("T0GLOBEX", "Globex", "globex");
    slack.addUser("T0GLOBEX", "U0BOB", "bob", "Bob Brown", "bob@globex.example", true);
    slack.addUser("T0GLOBEX", "U0DAVEG", "dave.d", "Dave Diaz", "dave@example.com", false);
    slack.addChannel("T0GLOBEX", "C0GLOBGEN", "general", false, "U0BOB", "U0DAVEG");
    slack.addWorkspace("T0INITECH", "Initech", "initech");
    slack.addUser("T0INITECH", "U0IVY", "ivy", "Ivy Ito", "ivy@initech.example", true);
    slack.addUser("T0INITECH", "U0ALICEI", "alice", "Alice Archer", "a.archer@initech.example", false);
    slack.addChannel("T0INITECH", "C0INITGEN", "general", false, "U0IVY", "U0ALICEI");
    seed.accept(slack);
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    app = slack.registerApp(AppSpec.builder("Tandem Sync")
        .botScopes(SyncModule.SLACK_APP.botScopes().toArray(String[]::new))
        .botEvents(SyncModule.SLACK_APP.botEvents().toArray(String[]::new)).requestUrl(base + "/slack/sync/events").build());
    Map<String, String> env = new HashMap<>(Map.of("PORT", String.valueOf(port), "TANDEM_BIND_HOST", "127.0.0.1",
        "TANDEM_DATA_DIR", dir.toString(), "SLACK_API_URL", slack.webApiUrl(), "SLACK_AUTHORIZE_URL", slack.authorizeUrl(),
        "TANDEM_PUBLIC_URL", base, "DATABASE_URL", TestDatabases.freshUrl(dialect, dir)));
    env.putAll(Map.of("SLACK_SYNC_SIGNING_SECRET", app.signingSecret(), "SLACK_SYNC_CLIENT_ID", app.clientId(),
        "SLACK_SYNC_CLIENT_SECRET", app.clientSecret(), "TANDEM_JOB_POLL_INTERVAL", "50ms", "TANDEM_JOB_BACKOFF_INITIAL", "20ms",
        "TANDEM_JOB_BACKOFF_MAX", "200ms", "TANDEM_SYNC_ECHO_GRACE", "300ms"));
    env.putAll(extraEnv);
    this.env = Map.copyOf(env);
    wiring = new Wiring(Settings.read(new ConfigReader(env, Map.of())), Clock.systemUTC());
    try {
      wiring.start(Wiring.allRoles());
      for (String team : TEAMS) {
        String bot = DemoWorld.install(base, wiring.slack, "sync", team);
        bots.put(team, bot);
        slack.invite(team, GENERAL.get(team), bot);
      }
      var topology = wiring.sync.topology();
      String group = topology.createGroup("Partners", "T0ACME");
      topology.addMember(group, "T0GLOBEX");
      topology.addMember(group, "T0INITECH");
      String sync = topology.createGroupSync(group, "general", "T0ACME");
      TEAMS.forEach(t -> topology.link(sync, t, GENERAL.get(t)));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> wiring.database.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM core_job WHERE kind = 'sync.directory' AND status <> 'done'").mapTo(Long.class).one()) == 0);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /**
   * {@code n} more channel sets synced across the three workspaces ({@code #<prefix>-0} ... in each);
   * returns, per set, the channel id of each team.
   */
  List<Map<String, String>> addSyncedChannels(String prefix, int n) {
    var topology = wiring.sync.topology();
    String group = topology.createGroup(prefix, "T0ACME");
    topology.addMember(group, "T0GLOBEX");
    topology.addMember(group, "T0INITECH");
    List<Map<String, String>> sets = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> set = new HashMap<>();
      String sync = topology.createGroupSync(group, prefix + "-" + i, "T0ACME");
      for (String team : TEAMS) {
        String id = ("C" + team.substring(3, 6) + prefix + i).toUpperCase(java.util.Locale.ROOT);
        String member = switch (team) {
          case "T0ACME" -> "U0ALICE";
          case "T0GLOBEX" -> "U0BOB";
          default -> "U0IVY";
        };
        slack.addChannel(team, id, prefix + "-" + i, false, member);
        slack.invite(team, id, bots.get(team));
        topology.link(sync, team, id);
        set.put(team, id);
      }
      sets.add(set);
    }
    return sets;
  }

  /**
   * Posts as a person and returns once Tandem has received the message's event. Slack does not
   * deliver events in order; people (unlike this test) do not write twice within the milliseconds
   * where two deliveries can cross, so tests that check order write the way people do.
   */
  String post(String team, String channel, String user, String text, String threadTs) {
    String ts = slack.postAsUser(team, channel, user, text, threadTs);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(2))
        .until(() -> wiring.database.jdbi().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM core_slack_event WHERE app = 'sync' AND team_id = :t AND body LIKE :ts")
        .bind("t", team).bind("ts", "%" + ts + "%").mapTo(Long.class).one()) > 0);
    return ts;
  }

  /** Installs (or reinstalls) the Sync app in a team through the OAuth flow; returns the bot user id. */
  String reinstall(String team) throws Exception {
    return DemoWorld.install("http://127.0.0.1:" + port, wiring.slack, "sync", team);
  }

  /** Messages of a team's #general, oldest first, thread replies included. */
  List<Map<String, Object>> general(String team) {
    return slack.messages(team, GENERAL.get(team));
  }

  /** Stops the in-process Tandem (its data stays), e.g. to run it as a separate process instead. */
  void stopTandem() {
    if (!tandemStopped) {
      tandemStopped = true;
      wiring.close();
    }
  }

  @Override
  public void close() {
    stopTandem();
    slack.close();
  }
}
