package dev.tandem.app;

import dev.tandem.core.slack.SlackAppSpec;
import dev.tandem.sandbox.AppRegistration;
import dev.tandem.sandbox.AppSpec;
import dev.tandem.sandbox.FakeSlack;
import dev.tandem.sandbox.FakeSlackOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world {@code tandem demo} runs in: the sandbox seeded with two workspaces, Acme and Globex,
 * and both Tandem apps registered there as a Slack admin would register them. After Tandem is
 * up, {@link #installEverywhere} installs both apps into both workspaces through the real OAuth
 * flow (install link, authorize page, redirect with a code, {@code oauth.v2.access}).
 */
final class DemoWorld implements AutoCloseable {
  static final List<String> TEAMS = List.of("T0ACME", "T0GLOBEX");
  static final String CALENDAR = "leave@demo.tandem.example";
  private static final long HARVEST_PROJECT = 500;
  private static final long HARVEST_VACATION = 601;
  private static final long HARVEST_SICK = 602;

  private final FakeSlack sandbox = FakeSlack.create(FakeSlackOptions.defaults());
  private final Map<String, AppRegistration> apps = new LinkedHashMap<>();
  private final String base;

  DemoWorld(int port) {
    this.base = "http://localhost:" + port;
    sandbox.setBaseUrl(base);
    sandbox.addWorkspace("T0ACME", "Acme", "acme");
    sandbox.addUser("T0ACME", "U0ALICE", "alice", "Alice Archer", "alice@acme.example", true);
    sandbox.addUser("T0ACME", "U0CAROL", "carol", "Carol Chen", "carol@acme.example", false);
    sandbox.addUser("T0ACME", "U0DAVEA", "dave", "Dave Diaz", "dave@example.com", false);
    sandbox.addChannel("T0ACME", "C0ACMEGEN", "general", false, "U0ALICE", "U0CAROL", "U0DAVEA");
    sandbox.addChannel("T0ACME", "C0ACMELVE", "leave", false, "U0ALICE", "U0CAROL", "U0DAVEA");
    sandbox.addWorkspace("T0GLOBEX", "Globex", "globex");
    sandbox.addUser("T0GLOBEX", "U0BOB", "bob", "Bob Brown", "bob@globex.example", true);
    sandbox.addUser("T0GLOBEX", "U0ERIN", "erin", "Erin Evans", "erin@globex.example", false);
    sandbox.addUser("T0GLOBEX", "U0DAVEG", "dave", "Dave Diaz", "dave@example.com", false);
    sandbox.addChannel("T0GLOBEX", "C0GLOBGEN", "general", false, "U0BOB", "U0ERIN", "U0DAVEG");
    sandbox.addChannel("T0GLOBEX", "C0GLOBLVE", "leave", false, "U0BOB", "U0ERIN", "U0DAVEG");
    // where Leave records confirmed leave: a shared calendar, and a Harvest account where everyone has a user
    sandbox.calendar().addCalendar(CALENDAR, "Leave");
    sandbox.harvest().addProject(HARVEST_PROJECT, "Leave");
    sandbox.harvest().addTask(HARVEST_PROJECT, HARVEST_VACATION, "Vacation");
    sandbox.harvest().addTask(HARVEST_PROJECT, HARVEST_SICK, "Sick leave");
    long harvestUser = 70001;
    for (String[] p : new String[][] {{"Alice", "Archer", "alice@acme.example"}, {"Carol", "Chen", "carol@acme.example"},
        {"Dave", "Diaz", "dave@example.com"}, {"Bob", "Brown", "bob@globex.example"}, {"Erin", "Evans", "erin@globex.example"}}) {
      sandbox.harvest().addUser(harvestUser++, p[0], p[1], p[2], true);
    }
    for (SlackAppSpec spec : Settings.SLACK_APPS) {
      AppSpec.Builder app = AppSpec.builder(spec.displayName()).botScopes(spec.botScopes().toArray(String[]::new))
          .botEvents(spec.botEvents().toArray(String[]::new));
      apps.put(spec.name(), sandbox.registerApp(spec.socketModeByDefault() ? app.socketMode(true).build()
          : app.requestUrl(base + "/slack/" + spec.name() + "/events").build()));
    }
  }

  FakeSlack sandbox() {
    return sandbox;
  }

  /** The settings a Slack admin would copy from each app's config pages, plus where Slack is. */
  Map<String, String> settings() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SLACK_API_URL", sandbox.webApiUrl());
    env.put("SLACK_AUTHORIZE_URL", sandbox.authorizeUrl());
    env.put("TANDEM_PUBLIC_URL", base);
    env.put("TANDEM_LEAVE_CHANNELS", "C0ACMELVE,C0GLOBLVE"); // #leave in both workspaces
    env.put("TANDEM_LEAVE_GOOGLE_API_URL", sandbox.googleRootUrl());
    env.put("TANDEM_LEAVE_GOOGLE_KEY", sandbox.googleServiceAccountKeyJson());
    env.put("TANDEM_LEAVE_GOOGLE_CALENDAR_ID", CALENDAR);
    env.put("TANDEM_LEAVE_HARVEST_URL", sandbox.harvestUrl());
    env.put("TANDEM_LEAVE_HARVEST_ACCOUNT_ID", sandbox.harvestAccountId());
    env.put("TANDEM_LEAVE_HARVEST_TOKEN", sandbox.harvestToken());
    env.put("TANDEM_LEAVE_HARVEST_PROJECT_ID", String.valueOf(HARVEST_PROJECT));
    env.put("TANDEM_LEAVE_HARVEST_VACATION_TASK_ID", String.valueOf(HARVEST_VACATION));
    env.put("TANDEM_LEAVE_HARVEST_SICK_TASK_ID", String.valueOf(HARVEST_SICK));
    for (SlackAppSpec spec : Settings.SLACK_APPS) {
      AppRegistration reg = apps.get(spec.name());
      String p = "SLACK_" + spec.name().toUpperCase(java.util.Locale.ROOT) + "_";
      env.put(p + "CLIENT_ID", reg.clientId());
      env.put(p + "CLIENT_SECRET", reg.clientSecret());
      env.put(p + "SIGNING_SECRET", reg.signingSecret());
      env.put(p + "SOCKET_MODE", String.valueOf(spec.socketModeByDefault()));
      if (spec.socketModeByDefault()) {
        env.put(p + "APP_TOKEN", reg.appToken());
      }
    }
    return env;
  }

  /**
   * Installs each app into each workspace as a person would: opens Tandem's install link, picks
   * the workspace on the authorize page, and follows the redirect back; then invites each bot to
   * the workspace's channels.
   */
  void installEverywhere(dev.tandem.core.slack.SlackModule slack) throws IOException, InterruptedException {
    for (SlackAppSpec spec : Settings.SLACK_APPS) {
      for (String team : TEAMS) {
        String bot = install(base, slack, spec.name(), team);
        for (String channel : List.of("general", "leave")) {
          sandbox.invite(team, channel, bot);
        }
      }
    }
  }

  /** Acme #general and Globex #general synced, as an admin would set up (kept across demo runs). */
  static void syncGenerals(dev.tandem.sync.link.SyncTopology topology) {
    if (topology.liveLink("T0ACME", "C0ACMEGEN").isPresent()) {
      return;
    }
    String group = topology.createGroup("Acme & Globex", "T0ACME");
    topology.addMember(group, "T0GLOBEX");
    String sync = topology.createGroupSync(group, "general", "T0ACME");
    topology.link(sync, "T0ACME", "C0ACMEGEN");
    topology.link(sync, "T0GLOBEX", "C0GLOBGEN");
  }

  /**
   * Installs one app into one workspace through Tandem's install link and Slack's authorize page,
   * as a person would; returns the bot user id.
   */
  static String install(String base, dev.tandem.core.slack.SlackModule slack, String app, String team)
      throws IOException, InterruptedException {
    HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .cookieHandler(new java.net.CookieManager()).build();
    String authorize = location(browser, base + "/slack/" + app + "/install");
    String callback = location(browser, authorize + "&team=" + team);
    HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create(callback)).build(), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 200) {
      throw new IllegalStateException("installing " + app + " into " + team + " failed: " + done.body());
    }
    return slack.app(app).orElseThrow().installations().find(null, team).orElseThrow().botUserId().orElseThrow();
  }

  private static String location(HttpClient browser, String url) throws IOException, InterruptedException {
    HttpResponse<String> r = browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return r.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(
        "expected a redirect from " + url + ", got " + r.statusCode() + ": " + r.body()));
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
