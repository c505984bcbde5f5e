package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.builtin.MultiTeamsAuthorization;
import com.slack.api.bolt.middleware.builtin.RequestVerification;
import com.slack.api.bolt.middleware.builtin.SSLCheck;
import com.slack.api.bolt.middleware.builtin.SingleTeamAuthorization;
import com.slack.api.methods.MethodsClient;
import com.slack.api.util.http.SlackHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One configured Slack app (Sync or Leave): its Bolt {@link App}, its installations, the Web API
 * client pointed at {@code SLACK_API_URL}, and the handlers of its events.
 *
 * <p>Bolt's pipeline is ours: SSL check, signature verification (5-minute window), then the
 * {@link EventInbox} (events stop there and continue in jobs), then authorization for the
 * interactive payloads that Bolt listeners answer synchronously. Bolt's {@code IgnoringSelfEvents}
 * is left out on purpose: an app's own posts come back as events and the Sync app needs them.
 */
public final class SlackApp {
  private static final long REPLAY_WINDOW_SECONDS = 300;
  private final SlackAppSpec spec;
  private final SlackAppSettings settings;
  private final Slack slack;
  private final App bolt;
  private final InstallationStore installations;
  private final SlackCalls calls;
  private final EventInbox inbox;
  private final String apiUrl;
  private final com.github.benmanes.caffeine.cache.Cache<String, Optional<String>> tokens = com.github.benmanes.caffeine.cache.Caffeine
      .newBuilder().maximumSize(10_000).expireAfterWrite(java.time.Duration.ofSeconds(10)).build();
  private final Map<String, List<SlackEventHandler>> handlers = new ConcurrentHashMap<>();
  private final List<java.util.function.Consumer<Installation>> installListeners = new CopyOnWriteArrayList<>();

  SlackApp(SlackAppSpec spec, SlackAppSettings settings, SlackSettings global, InstallationStore installations, EventInbox inbox,
      MeterRegistry metrics, java.time.Clock clock, RateLimits.Slots slots) {
    this.spec = spec;
    this.calls = new SlackCalls(global.rateLimits() ? new RateLimits(spec.name(), clock, slots) : RateLimits.off(clock));
    this.inbox = inbox;
    this.apiUrl = global.apiUrl();
    this.settings = settings;
    this.installations = installations;
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(global.apiUrl());
    // OkHttp keeps 5 idle connections by default: with dozens of deliveries in flight most calls
    // would open a new connection (and close it after), so the pool keeps as many as may be busy.
    SlackHttpClient http = new SlackHttpClient(SlackHttpClient.buildOkHttpClient(config).newBuilder()
        .connectionPool(new okhttp3.ConnectionPool(IDLE_CONNECTIONS, 5, java.util.concurrent.TimeUnit.MINUTES))
        .addInterceptor(new ApiCallMetrics(spec.name(), metrics)).build());
    http.setConfig(config);
    this.slack = Slack.getInstance(config, http);
    AppConfig appConfig = AppConfig.builder()
        .slack(slack)
        .signingSecret(settings.signingSecret().map(s -> s.reveal()).orElse(null))
        .singleTeamBotToken(settings.distributed() ? null : settings.botToken().map(s -> s.reveal()).orElse(null))
        .clientId(settings.clientId().orElse(null))
        .clientSecret(settings.clientSecret().map(s -> s.reveal()).orElse(null))
        .scope(String.join(",", spec.botScopes()))
        .appPath("/slack/" + spec.name())
        .allEventsApiAutoAckEnabled(true)
        .authTestCacheEnabled(true)
        .ignoringSelfEventsEnabled(false)
        .build();
    List<Middleware> pipeline = new ArrayList<>();
    pipeline.add(new SSLCheck(null));
    // Socket Mode requests are not signed (Bolt's verification skips them); an app without a
    // signing secret serves no HTTP events at all (see SlackRoutes).
    settings.signingSecret().ifPresent(secret -> {
      pipeline.add(SlackApp::timestampWithinWindow);
      pipeline.add(new RequestVerification(new SlackSignature.Verifier(new SlackSignature.Generator(secret.reveal()))));
    });
    pipeline.add(inbox);
    pipeline.add(settings.distributed() ? new MultiTeamsAuthorization(appConfig, installations)
        : new SingleTeamAuthorization(appConfig, installations));
    this.bolt = new App(appConfig, pipeline);
    bolt.service(installations);
  }

  private static final int IDLE_CONNECTIONS = 64;

  public String name() {
    return spec.name();
  }

  /**
   * Slack's replay window is five minutes either way; Bolt's verifier only rejects old
   * timestamps, so one from the future is refused here.
   */
  private static com.slack.api.bolt.response.Response timestampWithinWindow(com.slack.api.bolt.request.Request<?> req,
      com.slack.api.bolt.response.Response resp, com.slack.api.bolt.middleware.MiddlewareChain chain) throws Exception {
    if (!req.isSocketMode() && !withinReplayWindow(req.getHeaders().getFirstValue("X-Slack-Request-Timestamp"))) {
      return com.slack.api.bolt.response.Response.builder().statusCode(401).contentType("application/json; charset=utf-8")
          .body("{\"error\":\"invalid request\"}").build();
    }
    return chain.next(req);
  }

  /** Absent timestamps are left to the signature check, which refuses them. */
  private static boolean withinReplayWindow(String timestamp) {
    if (timestamp == null) {
      return true;
    }
    try {
      return Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp.strip())) <= REPLAY_WINDOW_SECONDS;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  public SlackAppSpec spec() {
    return spec;
  }

  public SlackAppSettings settings() {
    return settings;
  }

  /** The Bolt app: register interactive listeners (block actions, view submissions, options) here. */
  public App bolt() {
    return bolt;
  }

  public InstallationStore installations() {
    return installations;
  }

  /** Rate-limited, Retry-After-aware Web API calls for jobs (budgets are this app's, per workspace). */
  public SlackCalls calls() {
    return calls;
  }

  /** Runs {@code handler} in a job for every event of {@code type} ("message", "message.message_changed", "reaction_added", ...). */
  public SlackApp on(String type, SlackEventHandler handler) {
    handlers.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(handler);
    return this;
  }

  /**
   * Handles some events at once, in the acknowledging request, instead of storing them for a job:
   * {@code absorber} answers true for an event it has handled completely (quickly, from our own
   * tables, idempotently); it is given the workspace (as Bolt resolved it) and the {@code event}.
   * Everything else is stored and handled by the {@link #on} handlers.
   */
  public SlackApp absorb(java.util.function.BiPredicate<String, com.fasterxml.jackson.databind.JsonNode> absorber) {
    inbox.absorb(absorber);
    return this;
  }

  /** Runs {@code listener} after each OAuth install or reinstall into a workspace. */
  public SlackApp onInstalled(java.util.function.Consumer<Installation> listener) {
    installListeners.add(listener);
    return this;
  }

  void installed(Installation installation) {
    tokens.invalidateAll();
    installListeners.forEach(l -> l.accept(installation));
  }

  List<SlackEventHandler> handlersFor(String type) {
    List<SlackEventHandler> exact = handlers.getOrDefault(type, List.of());
    int dot = type.indexOf('.');
    List<SlackEventHandler> any = dot > 0 ? handlers.getOrDefault(type.substring(0, dot) + ".*", List.of()) : List.of();
    List<SlackEventHandler> all = new ArrayList<>(exact);
    all.addAll(any);
    return all;
  }

  /** A Web API client for a workspace: its installation's bot token, or the configured one (single-workspace mode). */
  public MethodsClient client(String enterpriseId, String teamId) {
    return slack.methods(token(enterpriseId, teamId));
  }

  /** A lean Web API call for a workspace (see {@link WebCall}), with the same token as {@link #client}. */
  public WebCall web(String enterpriseId, String teamId) {
    return new WebCall(slack.getHttpClient(), apiUrl, token(enterpriseId, teamId));
  }

  /** Drops a cached token (Slack refused it, or the installation changed), so the next call reads the stored one. */
  public void forgetToken(String enterpriseId, String teamId) {
    tokens.invalidate(Installation.key(enterpriseId, teamId));
  }

  /**
   * Tokens are cached for a few seconds: reading one is a query and a decryption, and a busy sync
   * makes several calls a second per workspace. Installs and revocations here drop the cache; those
   * made by another process are seen within the expiry.
   */
  private String token(String enterpriseId, String teamId) {
    Optional<String> token = settings.distributed()
        ? tokens.get(Installation.key(enterpriseId, teamId), k -> installations.find(enterpriseId, teamId).map(Installation::botToken))
        : settings.botToken().map(s -> s.reveal());
    return token.orElseThrow(() -> new IllegalStateException(
        "app " + spec.name() + " is not installed in team " + teamId + (enterpriseId == null ? "" : " / enterprise " + enterpriseId)));
  }

  EventInbox inbox() {
    return inbox;
  }

  /** The envelope of an event this app stored (Slack's body, unchanged); not to be modified. */
  public Optional<JsonNode> storedEvent(String eventId) {
    return inbox.received(eventId).map(EventInbox.Received::envelope);
  }

  /** Whether a raw HTTP request carries a valid signature of this app within the replay window. */
  boolean verified(String timestamp, String body, String signature) {
    if (settings.signingSecret().isEmpty() || timestamp == null || signature == null || !withinReplayWindow(timestamp)) {
      return false;
    }
    return new SlackSignature.Verifier(new SlackSignature.Generator(settings.signingSecret().get().reveal()))
        .isValid(timestamp, body, signature);
  }

  /** A client without a token, for {@code oauth.v2.access}. */
  MethodsClient anonymousClient() {
    return slack.methods();
  }

  Slack slack() {
    return slack;
  }
}
