package dev.tandem.sandbox;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A faithful local Slack. Create it with {@link #create}, seed workspaces, users, channels and apps, then
 * either mount it into an existing Javalin ({@link #routes}) or {@link #start} its own server. Apps talk to
 * {@link #webApiUrl()}; tests and people drive it through the methods here or the JSON control API under
 * {@code <prefix>/api}. Thread-safe.
 */
public final class FakeSlack implements AutoCloseable {
  private final FakeSlackOptions options;
  private final State state = new State();
  private final Ids ids = new Ids();
  private final Knobs knobs = new Knobs();
  /** How many Web API calls and event deliveries the sandbox keeps for inspection (the newest). */
  static final int JOURNAL_CAPACITY = 200_000;
  private final Journal<Delivery> deliveries = new Journal<>(JOURNAL_CAPACITY);
  private final List<Map<String, Object>> ephemerals = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sandbox-timer");
    t.setDaemon(true);
    return t;
  });
  private final Engine engine;
  private final Events events;
  private final HttpDelivery http;
  private final SocketMode socket;
  private final WebApi webApi;
  private final FileMethods files;
  private final OAuth oauth;
  private final Interactivity interactivity;
  private final Seeding seeding;
  private final FakeOpenAi openAi;
  private final FakeGoogleCalendar calendar;
  private final FakeHarvest harvest;
  private final FakeGoogleSignIn googleSignIn;
  private volatile String baseUrl = "http://127.0.0.1";
  private Javalin server;

  private FakeSlack(FakeSlackOptions options) {
    this.options = options;
    RateLimiter limiter = new RateLimiter(options.clock());
    events = new Events(state, ids, options.clock());
    engine = new Engine(state, ids, options.clock(), events);
    http = new HttpDelivery(options.clock(), options.eventAckTimeout(), options.eventRetryDelays(), knobs::eventRedeliveries,
        knobs::eventDelay, deliveries::add);
    socket = new SocketMode(ids, options.socketAckTimeout(), options.eventRetryDelays().size(), deliveries::add);
    events.wire(http, socket);
    webApi = new WebApi(state, knobs, limiter, options);
    new IdentityMethods(engine).register(webApi);
    new ConversationMethods(engine, knobs, limiter).register(webApi);
    ChatMethods chat = new ChatMethods(engine, knobs, limiter);
    chat.register(webApi);
    new ViewMethods(engine).register(webApi);
    files = new FileMethods(engine, this::prefixedBase, timer, options.fileShareDelay());
    files.register(webApi);
    oauth = new OAuth(engine, socket, () -> prefixedBase().replaceFirst("^http", "ws"));
    oauth.register(webApi);
    interactivity = new Interactivity(engine, http, socket, this::prefixedBase, options.triggerIdValidity());
    interactivity.onEphemeral(ephemerals::add);
    seeding = new Seeding(engine, http, oauth, deliveries::add);
    this.chatEphemerals = chat.ephemerals;
    openAi = new FakeOpenAi(options.clock(), timer);
    calendar = new FakeGoogleCalendar(options.clock(), this::prefixedBase);
    harvest = new FakeHarvest(options.clock(), this::harvestUrl);
    googleSignIn = new FakeGoogleSignIn(options.clock(), this::googleIssuer);
  }

  private final List<Map<String, Object>> chatEphemerals;

  /** State only; no server yet. */
  public static FakeSlack create(FakeSlackOptions options) {
    return new FakeSlack(Objects.requireNonNull(options, "options"));
  }

  public FakeSlackOptions options() {
    return options;
  }

  /**
   * Mounts the Web API, uploads, downloads, OAuth, Socket Mode, control API, browser UI, the fake
   * OpenAI-compatible API ({@link #openAi()}) and the Google Calendar and Harvest fakes ({@link #calendar()},
   * {@link #harvest()}) under the prefix.
   */
  public void routes(RoutesConfig routes) {
    String p = options.prefix();
    routes.post(p + "/slack/api/{method}", webApi::handle);
    routes.get(p + "/slack/api/{method}", webApi::handle);
    routes.post(p + "/slack/upload/v1/{id}", files::upload);
    routes.get(p + "/files-pri/{teamfile}/{name}", files::download);
    routes.get(p + "/files-pri/{teamfile}/download/{name}", files::download);
    routes.get(p + "/oauth/v2/authorize", oauth::authorize);
    routes.post(p + "/slack/response/{team}/{id}/{secret}", ctx -> interactivity.responseUrl(ctx));
    routes.ws(p + "/slack/socket/link", socket::configure);
    new ControlApi(this, state, engine, interactivity, seeding).routes(routes, p);
    new KnobsApi(knobs()).routes(routes, p + "/api/knobs");
    new Ui(p).routes(routes);
    openAi.routes(routes, p);
    calendar.routes(routes, p);
    harvest.routes(routes, p);
    googleSignIn.routes(routes, p);
    new ServiceFakesApi(calendar, harvest).routes(routes, p);
  }

  /** Starts its own server on the port (0 = a free one) and returns the port. */
  public synchronized int start(int port) {
    if (server != null) throw new IllegalStateException("already started on port " + server.port());
    server = Javalin.create(cfg -> {
      // the policy Tandem's server sets on every response, so the browser UI is proven to run under it
      cfg.routes.before(ctx -> ctx.header("Content-Security-Policy", Ui.CSP));
      cfg.routes.get(options.prefix().isEmpty() ? "/health" : options.prefix() + "/health", ctx -> ctx.result("ok"));
      routes(cfg.routes);
      cfg.jetty.port = port;
      cfg.concurrency.useVirtualThreads = true;
      cfg.startup.showJavalinBanner = false;
    }).start();
    if (baseUrl.equals("http://127.0.0.1")) baseUrl = "http://127.0.0.1:" + server.port();
    return server.port();
  }

  /** The externally reachable base, e.g. {@code http://127.0.0.1:3000}; used in URLs the sandbox hands out. */
  public void setBaseUrl(String externalBaseUrl) {
    baseUrl = externalBaseUrl.endsWith("/") ? externalBaseUrl.substring(0, externalBaseUrl.length() - 1)
        : externalBaseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  String prefixedBase() {
    return baseUrl + options.prefix();
  }

  /** What {@code SlackConfig.setMethodsEndpointUrlPrefix} gets: {@code <base><prefix>/slack/api/}. */
  public String webApiUrl() {
    return prefixedBase() + "/slack/api/";
  }

  /** The fake OpenAI-compatible API that LLM clients are pointed at, its answers scripted by tests. */
  public FakeOpenAi openAi() {
    return openAi;
  }

  /** The base URL of {@link #openAi()} for OpenAI-style clients: {@code <base><prefix>/openai/v1}. */
  public String openAiUrl() {
    return prefixedBase() + "/openai/v1";
  }

  /** The base URL of {@link #openAi()} as an Azure deployment: {@code <base><prefix>/openai/deployments/<deployment>}. */
  public String azureOpenAiUrl(String deployment) {
    return prefixedBase() + "/openai/deployments/" + deployment;
  }

  /** The fake Google Calendar API v3, for the Leave app's calendar step. */
  public FakeGoogleCalendar calendar() {
    return calendar;
  }

  /**
   * The root URL for Google's client: {@code new Calendar.Builder(transport, json, credentials).setRootUrl(googleRootUrl())};
   * the client appends {@code calendar/v3/}: {@code <base><prefix>/google/}.
   */
  public String googleRootUrl() {
    return calendar.rootUrl();
  }

  /**
   * A service-account key file, as Google Cloud issues it, whose {@code token_uri} is the sandbox's token endpoint
   * ({@code <base><prefix>/google/token}): for {@code GoogleCredentials.fromStream(...)}. Its RSA key is made on first
   * call. Call it after {@link #start} or {@link #setBaseUrl}, since the token URI names the base.
   */
  public String googleServiceAccountKeyJson() {
    return calendar.keyJson();
  }

  /** The fake Harvest API v2, for the Leave app's Harvest step. */
  public FakeHarvest harvest() {
    return harvest;
  }

  /** Harvest's API base for clients: {@code <base><prefix>/harvest/v2} (Harvest's own is https://api.harvestapp.com/v2). */
  public String harvestUrl() {
    return prefixedBase() + "/harvest/v2";
  }

  /** Google's OpenID Connect provider, for signing in to the web admin with Google. */
  public FakeGoogleSignIn googleSignIn() {
    return googleSignIn;
  }

  /** The OpenID Connect issuer of {@link #googleSignIn()} (Google's own is https://accounts.google.com). */
  public String googleIssuer() {
    return prefixedBase() + "/google-oidc";
  }

  /** The {@code Harvest-Account-Id} the fake accepts. */
  public String harvestAccountId() {
    return FakeHarvest.ACCOUNT_ID;
  }

  /** The Personal Access Token the fake accepts (an administrator's, {@link FakeHarvest#OWNER_ID}). */
  public String harvestToken() {
    return FakeHarvest.TOKEN;
  }

  /** The OAuth authorize URL an "Add to Slack" button would open. */
  public String authorizeUrl() {
    return prefixedBase() + "/oauth/v2/authorize";
  }

  public Workspace addWorkspace(String teamId, String name, String domain) {
    return seeding.addWorkspace(teamId, name, domain);
  }

  /**
   * Gives a workspace a custom emoji. Reacting with it is refused ({@code invalid_name}) in every
   * workspace that does not have it; names no workspace has as custom count as standard emoji.
   */
  public void addCustomEmoji(String teamId, String name) {
    seeding.addCustomEmoji(teamId, name);
  }

  public User addUser(String teamId, String userId, String name, String realName, String email, boolean admin) {
    return seeding.addUser(teamId, userId, name, realName, email, admin);
  }

  public Channel addChannel(String teamId, String channelId, String name, boolean isPrivate, String... memberUserIds) {
    return seeding.addChannel(teamId, channelId, name, isPrivate, Arrays.asList(memberUserIds));
  }

  public AppRegistration registerApp(AppSpec spec) {
    return seeding.registerApp(spec);
  }

  /** The credentials of a registered app. */
  public AppRegistration appRegistration(String appId) {
    synchronized (state) {
      State.App app = state.apps.get(appId);
      if (app == null) throw new IllegalArgumentException("unknown app: " + appId);
      return app.reg;
    }
  }

  /** Sends url_verification to the app's request URL now; true when the challenge came back. */
  public boolean verifyUrl(String appId) {
    return seeding.verifyUrl(appId);
  }

  public Installation install(String appId, String teamId) {
    return seeding.install(appId, teamId);
  }

  /** Adds a user (bot or person) to a channel as if invited; apps get member_joined_channel. */
  public void invite(String teamId, String channel, String userId) {
    seeding.invite(teamId, channel, userId, null);
  }

  /** A person ({@code inviter}) adds a member, a bot too, to a channel: member_joined_channel carries the inviter. */
  public void invite(String teamId, String channel, String userId, String inviter) {
    seeding.invite(teamId, channel, userId, inviter);
  }

  /** Revokes the app's tokens and uninstalls it; the app gets tokens_revoked and app_uninstalled. */
  /** Removes a member (a bot too) from a channel, as {@code /kick} does; the channel's members get member_left_channel. */
  public void removeFromChannel(String teamId, String channel, String userId) {
    seeding.remove(teamId, channel, userId);
  }

  /** A person archives a channel: its members get {@code channel_archive}; posting there answers {@code is_archived}. */
  public void archiveChannel(String teamId, String channel, String userId) {
    seeding.archive(teamId, channel, userId);
  }

  public void uninstall(String appId, String teamId) {
    seeding.uninstall(appId, teamId);
  }

  /** Changes a user's profile fields (null = unchanged); apps get user_profile_changed. */
  public void updateProfile(String teamId, String userId, String realName, String title, String email) {
    seeding.updateProfile(teamId, userId, realName, title, email);
  }

  public String postAsUser(String teamId, String channel, String user, String text, String threadTs) {
    return seeding.postAsUser(teamId, channel, user, text, threadTs, false);
  }

  public String postAsUser(String teamId, String channel, String user, String text, String threadTs,
      boolean broadcast) {
    return seeding.postAsUser(teamId, channel, user, text, threadTs, broadcast);
  }

  /** A person uploads a file with an optional message, as Slack's composer does; returns the message ts. */
  public String shareFileAsUser(String teamId, String channel, String user, String filename, byte[] content, String text) {
    return (String) shareFile(teamId, channel, user, filename, content, text, null, null).get("ts");
  }

  Map<String, Object> shareFile(String teamId, String channel, String user, String filename, byte[] content, String text,
      String title, String threadTs) {
    return seeding.shareFileAsUser(files, prefixedBase(), teamId, channel, user, filename, content, text, title, threadTs);
  }

  /** The bytes of a file, as its owner's workspace would download them. */
  public byte[] fileContent(String fileId) {
    return seeding.fileContent(fileId);
  }

  public void react(String teamId, String channel, String user, String ts, String name, boolean remove) {
    seeding.react(teamId, channel, user, ts, name, remove);
  }

  public void editAsUser(String teamId, String channel, String user, String ts, String newText) {
    seeding.edit(teamId, channel, user, ts, newText);
  }

  public void deleteAsUser(String teamId, String channel, String user, String ts) {
    seeding.delete(teamId, channel, user, ts);
  }

  /** Presses a button in an app's message; returns the app's HTTP status (0 = no answer in time). */
  public int pressButton(String teamId, String user, String channel, String messageTs, String actionId, String value) {
    return seeding.press(interactivity, teamId, user, channel, messageTs, actionId, value).status();
  }

  /** The user opens the app's Home tab: app_home_opened is sent; returns the DM id used as its channel. */
  public String openHome(String teamId, String user, String appId) {
    return seeding.openHome(teamId, user, appId);
  }

  /** The Home tab view the app published for the user, if any. */
  public java.util.Optional<Map<String, Object>> homeView(String teamId, String user, String appId) {
    return seeding.homeView(teamId, user, appId);
  }

  /** Presses a button in a view (Home tab or modal). */
  public int pressViewButton(String teamId, String user, String viewId, String actionId, String value) {
    State.Team t;
    State.Person p;
    synchronized (state) {
      t = state.team(teamId);
      p = seeding.person(t, user);
    }
    // not under the lock: the app answers while calling the Web API (views.open with the trigger)
    return interactivity.pressInView(t, p, viewId, actionId, value).status();
  }

  /**
   * A forged press, which Slack never sends: a view button of {@code teamId} in a payload naming a
   * person of another workspace ({@code personTeamId}). Tests use it to check that an app
   * authorises the person against the workspace the payload is for.
   */
  public int forgePressViewButton(String teamId, String personTeamId, String user, String viewId, String actionId, String value) {
    State.Team t;
    State.Person p;
    synchronized (state) {
      t = state.team(teamId);
      p = seeding.person(state.team(personTeamId), user);
    }
    return interactivity.pressInView(t, p, viewId, actionId, value).status();
  }

  /** Submits a modal; returns the app's ack body (response_action etc.). */
  public Map<String, Object> submitView(String teamId, String user, String viewId, Map<String, Object> values) {
    State.Team t;
    State.Person p;
    synchronized (state) {
      t = state.team(teamId);
      p = seeding.person(t, user);
    }
    return interactivity.submit(t, p, viewId, values).body();
  }

  /** Asks the app for external_select options; the ack body, or {@code error: too_many_options}. */
  public Map<String, Object> suggest(String teamId, String user, String viewId, String actionId, String typed) {
    State.Team t;
    State.Person p;
    synchronized (state) {
      t = state.team(teamId);
      p = seeding.person(t, user);
    }
    return interactivity.suggest(t, p, viewId, actionId, typed).body();
  }

  /** Open modals for a user, newest last. */
  public List<Map<String, Object>> openModals(String teamId, String user) {
    return seeding.openModals(teamId, user);
  }

  /** Messages of a channel in Slack's shape, oldest first, thread replies included. */
  public List<Map<String, Object>> messages(String teamId, String channel) {
    return seeding.messages(teamId, channel);
  }

  /** Ephemeral messages apps sent (chat.postEphemeral, response_url), oldest first. */
  public List<Map<String, Object>> ephemerals() {
    List<Map<String, Object>> all = new ArrayList<>(chatEphemerals);
    all.addAll(ephemerals);
    return all;
  }

  /** Web API calls as the sandbox saw them, oldest first (the newest 200,000). */
  public List<ApiCall> calls() {
    return webApi.calls.snapshot();
  }

  /** How many calls of {@code method} were answered {@code ok: true} since start (a counter, never trimmed). */
  public long succeededCalls(String method) {
    return webApi.succeeded(method);
  }

  /** Delivery attempts of events and interactions, oldest first (the newest 200,000). */
  public List<Delivery> deliveries() {
    return deliveries.snapshot();
  }

  public Knobs knobs() {
    return knobs;
  }

  /** Sends a Socket Mode {@code disconnect} frame ({@code warning}, {@code refresh_requested}, {@code link_disabled}). */
  public void socketDisconnect(String appId, String reason) {
    socket.disconnect(appId, reason);
  }

  public int socketConnections(String appId) {
    return socket.connectionCount(appId);
  }

  /** A trigger_id as an interaction would hand the app (tests that open modals without a button). */
  public String mintTriggerId(String teamId, String appId, String user) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      String id = ids.triggerId();
      state.triggers.put(id, new State.Trigger(t.id, appId, seeding.person(t, user).id,
          options.clock().millis() + options.triggerIdValidity().toMillis()));
      return id;
    }
  }

  @Override
  public synchronized void close() {
    openAi.close(); // answers parked slow requests first, so stopping the server waits for none
    if (server != null) server.stop();
    server = null;
    timer.shutdownNow();
    http.close();
  }
}
