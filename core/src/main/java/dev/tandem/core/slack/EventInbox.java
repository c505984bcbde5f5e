package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.response.Response;
import dev.tandem.core.db.Database;
import dev.tandem.core.db.Inserts;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bolt middleware, after signature verification: every Events API delivery is stored by its
 * {@code event_id} together with the job that will process it, in one transaction, and
 * acknowledged at once. A retried or duplicate delivery finds the row and is acknowledged
 * without a second job; a delivery whose first attempt crashed before its job ran is completed
 * by that job, which is durable.
 *
 * <p>The job's ordering key is the event's channel, so that events of one channel are handled
 * in the order Slack sent them.
 */
final class EventInbox implements Middleware {
  static final String JOB_KIND = "slack.event";
  private static final Logger log = LoggerFactory.getLogger(EventInbox.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String app;
  private final Database database;
  private final JobQueue queue;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final java.util.List<java.util.function.BiPredicate<String, JsonNode>> absorbers = new java.util.concurrent.CopyOnWriteArrayList<>();
  /**
   * Events stored by this process in the last half minute, so that their job (usually claimed
   * within milliseconds, here) and the jobs that follow from it need not read and parse the row
   * again. The row stays the truth: a miss (another instance, a restart) reads it. Sized so that
   * time, not size, ends an entry: when full, Caffeine's admission policy prefers entries already
   * read over new ones, which are the ones needed here.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Received> recent = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
      .maximumSize(20_000).expireAfterWrite(java.time.Duration.ofSeconds(30)).build();

  /** A stored event as its job needs it. */
  record Received(String eventId, java.util.Optional<String> teamId, java.util.Optional<String> enterpriseId, String type,
      JsonNode envelope) {}

  EventInbox(String app, Database database, JobQueue queue, Clock clock, MeterRegistry metrics) {
    this.app = app;
    this.database = database;
    this.queue = queue;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
    if (!(req instanceof EventRequest events)) {
      return chain.next(req);
    }
    JsonNode envelope = JSON.readTree(events.getRequestBodyAsString());
    String eventId = envelope.path("event_id").asText("");
    if (eventId.isEmpty() || eventId.length() > 64) {
      count("malformed", "unknown");
      return Response.builder().statusCode(400).contentType("application/json; charset=utf-8")
          .body("{\"error\":{\"code\":\"bad_request\",\"message\":\"event_callback without a valid event_id\"}}").build();
    }
    String type = typeOf(envelope.path("event"));
    String workspace = req.getContext().getTeamId() != null ? req.getContext().getTeamId() : req.getContext().getEnterpriseId();
    for (var absorber : absorbers) {
      if (workspace != null && absorber.test(workspace, envelope.path("event"))) {
        count("absorbed", type);
        return Response.ok();
      }
    }
    // Bolt resolves the workspace from the authorizations: in Slack Connect channels the
    // envelope's top-level team_id can be the other organisation's.
    boolean fresh = record(envelope, eventId, type, events.getRequestBodyAsString(),
        req.getContext().getTeamId(), req.getContext().getEnterpriseId());
    count(fresh ? "accepted" : "duplicate", type);
    if (!fresh) {
      log.info("app={} event={} - duplicate delivery (retry {}) acknowledged", app, eventId,
          req.getHeaders().getFirstValue("X-Slack-Retry-Num"));
    }
    return Response.ok();
  }

  /**
   * Lets {@code absorber} (given the workspace and the event) take verified events before they are stored: when it answers true
   * it has handled the event completely, synchronously and idempotently (a retry of the same
   * event reaches it again), and the event is acknowledged without a row or a job.
   */
  void absorb(java.util.function.BiPredicate<String, JsonNode> absorber) {
    absorbers.add(absorber);
  }

  /**
   * Slack's {@code app_rate_limited} notice (it is not an event_callback, so Bolt does not parse
   * it; the caller has verified its signature): Slack is dropping this app's events for a minute.
   */
  Response rateLimitedNotice(JsonNode notice) {
    count("rate_limited", "app_rate_limited");
    log.warn("app={} team={} - Slack rate-limited this app's events (minute {}); deliveries were dropped", app,
        notice.path("team_id").asText("?"), notice.path("minute_rate_limited").asText("?"));
    return Response.ok();
  }

  /** "message" or "message.&lt;subtype&gt;", else the event type. */
  static String typeOf(JsonNode event) {
    String type = event.path("type").asText("unknown");
    String subtype = event.path("subtype").asText("");
    return subtype.isEmpty() ? type : type + "." + subtype;
  }

  private boolean record(JsonNode envelope, String eventId, String type, String body, String teamId, String enterpriseId)
      throws java.io.IOException {
    String payload = JSON.writeValueAsString(Map.of("app", app, "event_id", eventId));
    String insert = "INSERT INTO core_slack_event (app, event_id, team_id, enterprise_id, event_type, body, received_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    boolean fresh = database.jdbi().inTransaction(h -> {
      int inserted = Inserts.ignoringDuplicate(h, database.dialect(), insert, "app, event_id",
          app, eventId, teamId, enterpriseId, type, body, clock.millis());
      if (inserted == 0) {
        return false;
      }
      JobRequest job = JobRequest.of(JOB_KIND, payload)
          .unique("slack.event:" + app + ":" + eventId);
      String channel = channelOf(envelope.path("event"));
      queue.enqueue(h, channel == null ? job : job.orderedBy("slack:" + app + ":" + channel));
      h.afterCommit(() -> recent.put(eventId, new Received(eventId, java.util.Optional.ofNullable(teamId),
          java.util.Optional.ofNullable(enterpriseId), type, envelope)));
      return true;
    });
    if (!fresh) {
      // Counted after the insert's transaction has ended: on MySQL, updating the row while
      // still holding the duplicate-key lock deadlocks concurrent duplicates.
      database.jdbi().useHandle(h -> h.execute(
          "UPDATE core_slack_event SET retries_seen = retries_seen + 1 WHERE app = ? AND event_id = ?", app, eventId));
    }
    return fresh;
  }

  /** The event {@code eventId} as stored: from memory when this process stored it lately, else from its row. */
  java.util.Optional<Received> received(String eventId) {
    Received cached = recent.getIfPresent(eventId);
    if (cached != null) {
      return java.util.Optional.of(cached);
    }
    return database.jdbi().withHandle(h -> h.createQuery(
            "SELECT team_id, enterprise_id, event_type, body FROM core_slack_event WHERE app = :app AND event_id = :id")
        .bind("app", app).bind("id", eventId)
        .map((rs, ctx) -> {
          try {
            return new Received(eventId, java.util.Optional.ofNullable(rs.getString("team_id")),
                java.util.Optional.ofNullable(rs.getString("enterprise_id")), rs.getString("event_type"), JSON.readTree(rs.getString("body")));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("event " + eventId + " of app " + app + " has an unreadable body", e);
          }
        })
        .findOne());
  }

  private static String channelOf(JsonNode event) {
    // textValue(): null unless a string (channel_created carries a channel object)
    String channel = event.path("channel").textValue();
    return channel != null ? channel : event.path("item").path("channel").textValue();
  }

  private void count(String outcome, String type) {
    Counter.builder("tandem.slack.events").description("Events API deliveries received")
        .tag("app", app).tag("type", type).tag("outcome", outcome).register(metrics).increment();
  }
}
