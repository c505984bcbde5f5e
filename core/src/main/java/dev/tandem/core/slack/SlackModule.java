package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.db.Database;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.module.Role;
import dev.tandem.core.module.TandemModule;
import dev.tandem.core.vault.TokenVault;
import dev.tandem.core.web.HealthCheck;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack platform: one {@link SlackApp} per configured app, its HTTP routes
 * ({@code /slack/<app>/events}, {@code /install}, {@code /oauth_redirect}), Socket Mode
 * connections, the job that runs event handlers, and the handling of uninstalls.
 */
public final class SlackModule implements TandemModule, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlackModule.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final Clock clock;
  private final SlackSettings global;
  private final Map<String, SlackApp> apps = new LinkedHashMap<>();
  private final Map<String, SlackAppSettings> unconfigured = new LinkedHashMap<>();
  private final OAuthStates states;
  private final Map<String, SocketModeConnection> connections = new java.util.concurrent.ConcurrentHashMap<>();

  public SlackModule(SlackSettings global, List<SlackAppSpec> specs, Map<String, SlackAppSettings> settings, Database database,
      TokenVault vault, JobQueue queue, Clock clock, MeterRegistry metrics) {
    this.database = database;
    this.clock = clock;
    this.global = global;
    this.states = new OAuthStates(database.jdbi(), new dev.tandem.core.vault.SecretStore(database.jdbi(), vault, clock), clock);
    // Budgets are shared through the database between instances; SQLite serves one instance, whose
    // budgets can stay in memory (a transaction per Web API call is a large share of its writes).
    RateLimits.Slots slots = database.dialect() == dev.tandem.core.db.Dialect.SQLITE ? RateLimits.inMemory() : new DatabaseSlots(database);
    for (SlackAppSpec spec : specs) {
      SlackAppSettings s = settings.get(spec.name());
      if (s == null || !s.configured()) {
        unconfigured.put(spec.name(), s);
        continue;
      }
      InstallationStore store = new InstallationStore(spec.name(), database.jdbi(), vault, clock);
      SlackApp app = new SlackApp(spec, s, global, store, new EventInbox(spec.name(), database, queue, clock, metrics), metrics,
          clock, slots);
      app.on("app_uninstalled", e -> revoke(e, "app_uninstalled"));
      app.on("tokens_revoked", e -> {
        if (!e.event().path("tokens").path("bot").isEmpty()) {
          revoke(e, "tokens_revoked (bot)"); // a user-level revocation is not an uninstall
        }
      });
      apps.put(spec.name(), app);
    }
  }

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public Optional<MigrationSet> migrations() {
    return Optional.empty(); // its tables are core's (db/core)
  }

  public Optional<SlackApp> app(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  @Override
  public void registerJobs(JobRegistry jobs) {
    // Slack retries for about 5 minutes; a week of event ids is ample for dedupe and inspection.
    jobs.every(java.time.Duration.ofHours(1), "slack.purge_events", job -> database.jdbi().useHandle(h -> h.execute(
        "DELETE FROM core_slack_event WHERE received_at < ?", clock.millis() - java.time.Duration.ofDays(7).toMillis())));
    jobs.handle(EventInbox.JOB_KIND, job -> {
      JsonNode payload = JSON.readTree(job.payload());
      SlackApp app = apps.get(payload.path("app").asText());
      String eventId = payload.path("event_id").asText();
      if (app == null) {
        throw new IllegalStateException("event " + eventId + " belongs to app " + payload.path("app").asText() + ", which is not configured here");
      }
      EventInbox.Received received = app.inbox().received(eventId).orElseThrow(() ->
          new IllegalStateException("event " + eventId + " of app " + app.name() + " is missing from core_slack_event"));
      String type = received.type();
      SlackEvent event = new SlackEvent(app, eventId, received.teamId(), received.enterpriseId(), type, received.envelope());
      for (SlackEventHandler handler : app.handlersFor(type)) {
        handler.handle(event);
      }
    });
  }

  @Override
  public void registerRoutes(RoutesConfig routes, Set<Role> roles) {
    if (!roles.contains(Role.BOT)) {
      return;
    }
    for (SlackApp app : apps.values()) {
      new SlackRoutes(app, global, states).register(routes);
    }
    for (String name : unconfigured.keySet()) {
      SlackRoutes.notConfigured(routes, name);
    }
  }

  /** Opens the Socket Mode connections of apps that use it (bot role only). */
  public void startSocketMode() throws Exception {
    for (SlackApp app : apps.values()) {
      if (app.settings().socketMode()) {
        SocketModeConnection connection = SocketModeConnection.open(app.bolt(), app.settings().appToken().orElseThrow().reveal(),
            app.name());
        connections.put(app.name(), connection);
        log.info("app={} - Socket Mode connecting", app.name());
      }
    }
  }

  @Override
  public List<HealthCheck> healthChecks() {
    List<HealthCheck> checks = new ArrayList<>();
    for (String name : unconfigured.keySet()) {
      checks.add(HealthCheck.of("slack." + name, () -> HealthCheck.Status.notConfigured(
          "set SLACK_" + name.toUpperCase(java.util.Locale.ROOT) + "_* to enable the " + name + " app")));
    }
    for (SlackApp app : apps.values()) {
      checks.add(HealthCheck.of("slack." + app.name(), () -> {
        SocketModeConnection connection = connections.get(app.name());
        if (connection != null && connection.linkDisabled()) {
          // up, so that one app's Socket Mode does not take the whole instance out of service;
          // the ERROR log and this detail say what to do
          return HealthCheck.Status.up("NOT RECEIVING EVENTS: Slack disabled Socket Mode for this app (link_disabled);"
              + " enable it in the app settings and restart");
        }
        long installed = app.installations().countActive();
        String mode = app.settings().socketMode() ? "socket mode" : "http mode";
        return HealthCheck.Status.up(mode + ", " + (app.settings().distributed() ? installed + " installations" : "single workspace"));
      }));
    }
    return checks;
  }

  private void revoke(SlackEvent e, String why) {
    boolean revoked = e.app().installations().revoke(e.enterpriseId().orElse(null), e.teamId().orElse(null));
    e.app().forgetToken(e.enterpriseId().orElse(null), e.teamId().orElse(null));
    log.info("app={} team={} - {}: installation {}", e.app().name(), e.teamId().orElse("?"), why, revoked ? "marked revoked" : "already revoked");
  }

  @Override
  public void close() {
    apps.values().forEach(app -> app.bolt().stop());
    for (SocketModeConnection connection : connections.values()) {
      try {
        connection.close();
      } catch (Exception e) {
        log.warn("closing a Socket Mode connection failed", e);
      }
    }
  }
}
