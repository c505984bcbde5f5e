package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.Message;
import dev.tandem.core.faults.FaultPoints;
import dev.tandem.core.jobs.JobContext;
import dev.tandem.core.jobs.JobHandler;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.jobs.RetryLater;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackCalls;
import dev.tandem.core.slack.WebCall;
import dev.tandem.sync.SyncSettings;
import dev.tandem.sync.link.SyncTopology;
import dev.tandem.sync.link.SyncTopology.LinkedChannel;
import dev.tandem.sync.relay.Deliveries.Delivery;
import dev.tandem.sync.relay.Deliveries.Op;
import dev.tandem.sync.relay.Deliveries.Status;
import dev.tandem.sync.relay.PostMap.Copy;
import dev.tandem.sync.relay.PostMap.Kind;
import dev.tandem.sync.users.People;
import dev.tandem.sync.users.Person;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivery ({@code sync.deliver} job): renders the source message for the target
 * workspace and makes the one Slack call that puts it there. Deliveries of one target channel run
 * one at a time in source order (the job's ordering key), so an edit, reply or reaction finds the
 * copy it refers to already made; if that copy is still on its way, the job waits for it.
 *
 * <p>An attempt after the first does not know whether an earlier one posted (unless that one was
 * recorded as having stopped before Slack, see {@link Attempt}), so it looks before posting again:
 * first for the echo of our own post (Slack sends it back with our metadata; {@link Relay} notes its
 * ts on the delivery), then, after a grace period, in the channel's recent history read with
 * {@code include_all_metadata}.
 */
final class Deliverer implements JobHandler {
  private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Answers after which this target cannot receive copies until a person acts: the target is paused. */
  private static final Set<String> PAUSING = Set.of("channel_not_found", "not_in_channel", "is_archived", "account_inactive",
      "invalid_auth", "token_revoked", "not_authed", "team_access_not_granted", "missing_scope", "restricted_action");
  private static final Set<String> TOKEN_ERRORS = Set.of("invalid_auth", "token_revoked", "account_inactive", "not_authed");
  private static final Set<String> GONE = Set.of("message_not_found", "thread_not_found", "no_reaction", "already_reacted");

  private final Jdbi jdbi;
  private final JobQueue queue;
  private final SyncTopology topology;
  private final PostMap posts;
  private final Deliveries deliveries;
  private final Duplicates duplicates;
  private final People people;
  private final Files files;
  private final SyncSettings settings;
  private final SyncMetrics metrics;
  private final Supplier<SlackApp> app;
  private final Clock clock;
  /** A message's event is read and parsed once for all its targets (expiring by time, as in the event inbox). */
  private final Cache<String, JsonNode> events = Caffeine.newBuilder().maximumSize(20_000).expireAfterWrite(Duration.ofSeconds(30)).build();
  /** Workspace names and domains change rarely; a minute of staleness is fine in a copy's label. */
  private final Cache<String, Optional<SyncTopology.WorkspaceInfo>> workspaces = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofMinutes(1)).build();

  Deliverer(Jdbi jdbi, JobQueue queue, SyncTopology topology, PostMap posts, Deliveries deliveries, Duplicates duplicates, People people,
      Files files, SyncSettings settings, SyncMetrics metrics, Supplier<SlackApp> app, Clock clock) {
    this.duplicates = duplicates;
    this.jdbi = jdbi;
    this.queue = queue;
    this.topology = topology;
    this.posts = posts;
    this.deliveries = deliveries;
    this.people = people;
    this.files = files;
    this.settings = settings;
    this.metrics = metrics;
    this.app = app;
    this.clock = clock;
  }

  @Override
  public void run(JobContext job) throws Exception {
    String id = JSON.readTree(job.payload()).path("d").asText();
    Deliveries.Loaded loaded = deliveries.load(id)
        .orElseThrow(() -> new IllegalStateException("delivery " + id + " is missing from sync_delivery"));
    Delivery d = loaded.delivery();
    if (d.status() != Status.QUEUED && d.status() != Status.POSTING) {
      job.complete(h -> { });
      return;
    }
    Attempt attempt = new Attempt();
    try {
      switch (d.op()) {
        case CREATE -> create(job, d, attempt, loaded.earlier());
        case EDIT -> edit(job, d);
        case DELETE -> delete(job, d);
        case REACT -> react(job, d);
        case FILES -> files.deliver(job, d, this);
      }
    } catch (RetryLater wait) {
      attempt.cleanIfUnposted(job, d);
      throw wait;
    } catch (NotInstalled e) {
      pause(job, d, SyncTopology.UNINSTALLED);
    } catch (Exception e) {
      if (job.attempt() >= job.maxAttempts()) {
        log.error("sync: delivery {} ({} of {} to {}/{}) failed after {} attempts: {}", d.id(), d.op(), d.postId(), d.targetWorkspaceId(),
            d.targetChannelId(), job.attempt(), e.toString());
        end(job, d, Status.FAILED, Optional.empty(), Optional.of(String.valueOf(e.getMessage())));
        return;
      }
      attempt.cleanIfUnposted(job, d);
      throw e;
    }
  }

  /**
   * What one attempt of a create did. No write marks the start of a post: an attempt is uncertain
   * (it may have posted) unless it is the first, or every earlier attempt was recorded as having
   * stopped before Slack ({@code sync_delivery.attempt}), a write made only on those rarer paths.
   */
  private final class Attempt {
    /** Whether this attempt may have reached Slack with the post. */
    boolean reachedSlack;
    /** Whether no earlier attempt can have posted (known clean, or looked for and not found). */
    boolean settled = true;

    void cleanIfUnposted(JobContext job, Delivery d) {
      if (d.op() == Op.CREATE && settled && !reachedSlack) {
        deliveries.clean(d.id(), job.attempt());
      }
    }
  }

  // ---- create ------------------------------------------------------------------------------

  private void create(JobContext job, Delivery d, Attempt attempt, List<Delivery> earlier) throws Exception {
    // a queued delivery has no copy yet (catch-ups and echoes mark theirs done or note the ts)
    Optional<Copy> made = d.status() == Status.QUEUED ? Optional.empty()
        : posts.copyIn(d.postId(), d.targetWorkspaceId(), d.targetChannelId());
    if (made.isPresent()) {
      end(job, d, Status.DONE, Optional.of(made.get().ts()), Optional.empty());
      return;
    }
    catchUp(job, earlier);
    Optional<String> parentTs = Optional.empty();
    if (d.detail().isPresent()) {
      Optional<Copy> parent = waitForCopy(job, d, d.detail().get());
      if (parent.isEmpty()) {
        end(job, d, Status.SKIPPED, Optional.empty(), Optional.of("the thread's parent was not copied to this channel"));
        return;
      }
      parentTs = parent.map(Copy::ts);
    }
    if (d.status() == Status.POSTING || job.attempt() - 1 > d.attempt()) {
      attempt.settled = false;
      Optional<String> ts = d.targetTs().isPresent() ? d.targetTs() : lookForEarlierPost(d, parentTs);
      if (ts.isPresent()) {
        Optional<String> thread = parentTs;
        try (var recording = deliveries.recording(d.id(), ts.get())) {
          job.complete(h -> recordCreate(h, d, ts.get(), thread));
        }
        counted(d, Status.DONE);
        return;
      }
      attempt.settled = true;
    }
    Optional<String> thread = parentTs;
    WebCall.Answer posted = post(job, d, thread, attempt);
    if (posted.isOk()) {
      String ts = posted.body().path("ts").asText();
      try (var recording = deliveries.recording(d.id(), ts)) {
        job.complete(h -> recordCreate(h, d, ts, thread));
      }
      counted(d, Status.DONE);
      return;
    }
    refused(job, d, posted.getError());
  }

  /**
   * Records message {@code ts} as the create's copy, unless an echo already named another message
   * of this delivery as the copy; {@code ts} is then an extra copy, and is removed.
   */
  private void recordCreate(Handle h, Delivery d, String ts, Optional<String> thread) {
    recordOnce(h, d, ts, Optional.empty(), kept -> new Copy(d.postId(), d.targetWorkspaceId(), d.targetChannelId(), kept, Kind.MESSAGE, thread));
  }

  /** The same for any message posted with delivery metadata: the first one recorded is kept, another is removed. */
  private void recordOnce(Handle h, Delivery d, String ts, Optional<String> note, java.util.function.Function<String, Copy> copyOf) {
    String kept = deliveries.finishCreate(h, d.id(), ts, note);
    posts.recordCopy(h, copyOf.apply(kept));
    if (!kept.equals(ts)) {
      duplicates.check(h, d.id(), d.targetWorkspaceId(), d.targetChannelId(), ts);
    }
  }

  /** Slack's message metadata naming the delivery (and attempt) a post is made for; its echo and history carry it back. */
  private static String metadata(Delivery d, JobContext job) {
    ObjectNode metadata = JSON.createObjectNode().put("event_type", Relay.METADATA_TYPE);
    metadata.putObject("event_payload").put("d", d.id()).put("a", job.attempt());
    return metadata.toString();
  }

  /**
   * Slack does not promise to deliver events in order, so a message's event may be handled after
   * the next one's. Before posting its own copy, a delivery posts the queued copies of earlier
   * messages of the same source channel (by source ts): copies appear in source order. Each of
   * those is recorded as done, and its own job then finds nothing left to do. On any refusal the
   * catch-up stops and leaves that delivery to its own job.
   */
  private void catchUp(JobContext job, List<Delivery> queued) throws Exception {
    for (Delivery earlier : queued) {
      WebCall.Answer posted = post(job, earlier, Optional.empty(), null);
      if (!posted.isOk()) {
        return;
      }
      String ts = posted.body().path("ts").asText();
      try (var recording = deliveries.recording(earlier.id(), ts)) {
        jdbi.useTransaction(h -> recordCreate(h, earlier, ts, Optional.empty()));
      }
      counted(earlier, Status.DONE);
    }
  }

  /**
   * Renders and posts one copy with its delivery metadata. The job's own delivery ({@code attempt}
   * given) notes in memory that it reached Slack; one caught up for another job is marked
   * {@code posting} in the database first, since its own job cannot know.
   */
  private WebCall.Answer post(JobContext job, Delivery d, Optional<String> thread, Attempt attempt) throws Exception {
    JsonNode message = messageOf(sourceEvent(d.eventId()));
    WebCall web = web(d.targetWorkspaceId());
    Author author = author(d, message);
    Renderer.Rendered rendered = Renderer.render(message, lookup(d));
    String text = rendered.text().isBlank() && message.path("files").size() > 0 ? fileLine(message) : rendered.text();
    boolean broadcast = "thread_broadcast".equals(message.path("subtype").asText());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("channel", d.targetChannelId());
    form.put("text", text);
    form.put("username", author.name());
    form.put("icon_url", author.icon().orElse(null));
    form.put("blocks", rendered.blocks().map(Object::toString).orElse(null));
    form.put("metadata", metadata(d, job));
    form.put("unfurl_links", "false");
    form.put("unfurl_media", "true");
    thread.ifPresent(t -> {
      form.put("thread_ts", t);
      form.put("reply_broadcast", String.valueOf(broadcast));
    });
    try {
      return call(d, "chat.postMessage", () -> {
        if (attempt == null) {
          deliveries.posting(d.id());
        } else {
          attempt.reachedSlack = true;
        }
        FaultPoints.reached("sync.before_post");
        WebCall.Answer answer = web.post("chat.postMessage", form);
        FaultPoints.reached("sync.after_post");
        return answer;
      });
    } catch (RetryLater notProcessed) {
      // a 429 or a spent budget: Slack did not post, nothing to look for
      if (attempt == null) {
        deliveries.queued(d.id());
      } else {
        attempt.reachedSlack = false;
      }
      throw notProcessed;
    }
  }

  /** The message an event is about: the event itself, or the new message of a {@code message_changed}. */
  static JsonNode messageOf(JsonNode event) {
    return "message_changed".equals(event.path("subtype").asText()) ? event.path("message") : event;
  }

  /** After an attempt whose outcome is unknown: the echo, else (after the grace period) the channel's recent messages. */
  private Optional<String> lookForEarlierPost(Delivery d, Optional<String> parentTs) throws Exception {
    Optional<String> echoed = deliveries.find(d.id()).flatMap(Delivery::targetTs);
    if (echoed.isPresent()) {
      return echoed;
    }
    long since = d.postingSince().orElse(d.receivedAt());
    long wait = since + settings.echoGrace().toMillis() - clock.millis();
    if (wait > 0) {
      throw RetryLater.waiting(Duration.ofMillis(wait), "waiting " + wait + " ms for the echo of an earlier post");
    }
    MethodsClient client = client(d.targetWorkspaceId());
    String oldest = String.format(Locale.ROOT, "%d.000000", since / 1000 - 2);
    List<Message> recent;
    try {
      if (parentTs.isPresent()) {
        var replies = call(d, "conversations.replies", () -> client.conversationsReplies(r -> r.channel(d.targetChannelId())
            .ts(parentTs.get()).oldest(oldest).includeAllMetadata(true).limit(200)));
        recent = replies.isOk() ? replies.getMessages() : List.of();
      } else {
        var history = call(d, "conversations.history", () -> client.conversationsHistory(r -> r.channel(d.targetChannelId())
            .oldest(oldest).includeAllMetadata(true).limit(200)));
        recent = history.isOk() ? history.getMessages() : List.of();
      }
    } catch (RetryLater spent) {
      // History reads are scarce (since 2025 one a minute for most apps): rather than hold up the
      // channel, post again; if the earlier post did happen, its echo makes it the copy or a
      // duplicate, and Duplicates removes the extra one.
      log.info("sync: delivery {} - no echo of an earlier post and no history read available ({}); posting again",
          d.id(), spent.getMessage());
      return Optional.empty();
    }
    for (Message m : recent == null ? List.<Message>of() : recent) {
      if (m.getMetadata() != null && Relay.METADATA_TYPE.equals(m.getMetadata().getEventType()) && m.getMetadata().getEventPayload() != null
          && d.id().equals(String.valueOf(m.getMetadata().getEventPayload().get("d")))) {
        log.info("sync: delivery {} had been posted (found in history as {}); not posting again", d.id(), m.getTs());
        return Optional.of(m.getTs());
      }
    }
    return Optional.empty();
  }

  // ---- edit, delete, react -----------------------------------------------------------------

  private void edit(JobContext job, Delivery d) throws Exception {
    Optional<Copy> copy = waitForCopy(job, d, d.postId());
    if (copy.isEmpty()) {
      end(job, d, Status.SKIPPED, Optional.empty(), Optional.of("the message was not copied to this channel"));
      return;
    }
    JsonNode message = messageOf(sourceEvent(d.eventId()));
    Renderer.Rendered rendered = Renderer.render(message, lookup(d));
    String text = rendered.text().isBlank() && message.path("files").size() > 0 ? fileLine(message) : rendered.text();
    WebCall web = web(d.targetWorkspaceId());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("channel", d.targetChannelId());
    form.put("ts", copy.get().ts());
    form.put("text", text);
    form.put("blocks", rendered.blocks().map(Object::toString).orElse("[]"));
    var updated = call(d, "chat.update", () -> web.post("chat.update", form));
    if (updated.isOk() || GONE.contains(updated.getError())) {
      end(job, d, Status.DONE, Optional.of(copy.get().ts()), Optional.ofNullable(updated.getError()));
      return;
    }
    refused(job, d, updated.getError());
  }

  private void delete(JobContext job, Delivery d) throws Exception {
    if (posts.copyIn(d.postId(), d.targetWorkspaceId(), d.targetChannelId()).isEmpty()) {
      waitForCopy(job, d, d.postId());
    }
    WebCall web = web(d.targetWorkspaceId());
    for (Copy copy : posts.copies(d.postId())) {
      if (!copy.workspaceId().equals(d.targetWorkspaceId()) || !copy.channelId().equals(d.targetChannelId())) {
        continue;
      }
      var deleted = call(d, "chat.delete", () -> web.post("chat.delete", Map.of("channel", copy.channelId(), "ts", copy.ts())));
      if (!deleted.isOk() && !GONE.contains(deleted.getError())) {
        refused(job, d, deleted.getError());
        return;
      }
    }
    end(job, d, Status.DONE, Optional.empty(), Optional.empty());
  }

  /**
   * Makes the bot's reaction with one emoji on this channel's copy match everyone's: present while
   * anyone on another copy reacts with it, absent otherwise. Decided when the job runs, from the
   * stored reactions, so jobs for the same emoji converge whatever order events came in.
   */
  private void react(JobContext job, Delivery d) throws Exception {
    Optional<Copy> copy = waitForCopy(job, d, d.postId());
    if (copy.isEmpty()) {
      end(job, d, Status.SKIPPED, Optional.empty(), Optional.of("the message was not copied to this channel"));
      return;
    }
    String name = d.detail().orElseThrow();
    boolean wanted = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sync_reaction WHERE post_id = :p AND name = :n"
            + " AND NOT (workspace_id = :w AND channel_id = :c)")
        .bind("p", d.postId()).bind("n", name).bind("w", d.targetWorkspaceId()).bind("c", d.targetChannelId()).mapTo(Long.class).one() > 0);
    WebCall web = web(d.targetWorkspaceId());
    String method = wanted ? "reactions.add" : "reactions.remove";
    var answer = call(d, method, () -> {
      WebCall.Answer reacted = web.post(method, Map.of("channel", d.targetChannelId(), "timestamp", copy.get().ts(), "name", name));
      FaultPoints.reached("sync.after_react");
      return reacted;
    });
    if (answer.isOk() || GONE.contains(answer.getError())) {
      if (wanted && noticeWanted(d)) {
        notice(job, d, web, copy.get(), name, "also shown as a notice (the sync's option)");
        return;
      }
      end(job, d, Status.DONE, Optional.of(copy.get().ts()), Optional.empty());
      return;
    }
    if (wanted && "invalid_name".equals(answer.getError())) {
      // a custom emoji the target workspace does not have: say it in the thread instead
      notice(job, d, web, copy.get(), name, "custom emoji :" + name + ": shown as a notice");
      return;
    }
    refused(job, d, answer.getError());
  }

  /** SyncBot's threaded notice, when the sync asks for it: for a reaction added on another copy. */
  private boolean noticeWanted(Delivery d) throws Exception {
    boolean elsewhere = !(d.sourceWorkspaceId().equals(d.targetWorkspaceId()) && d.sourceChannelId().equals(d.targetChannelId()));
    return elsewhere && "reaction_added".equals(sourceEvent(d.eventId()).path("type").asText())
        && topology.reactionNotices(d.targetWorkspaceId(), d.targetChannelId());
  }

  /** "reacted with :name:" in the copy's thread, posted as the person who reacted. */
  private void notice(JobContext job, Delivery d, WebCall web, Copy copy, String name, String note) throws Exception {
    String userId = sourceEvent(d.eventId()).path("user").asText();
    Person reactor = people.person(d.sourceWorkspaceId(), userId, () -> uncheckedClient(d.sourceWorkspaceId()))
        .orElse(new Person(d.sourceWorkspaceId(), userId, Optional.empty(), "", "", Optional.empty(), false));
    String workspace = workspaceName(d.sourceWorkspaceId());
    Map<String, String> form = new LinkedHashMap<>();
    form.put("channel", d.targetChannelId());
    form.put("thread_ts", copy.ts());
    form.put("username", truncate(reactor.shownName() + " (" + workspace + ")"));
    form.put("icon_url", reactor.avatarUrl().orElse(null));
    form.put("text", "reacted with :" + name + ":");
    form.put("metadata", metadata(d, job));
    // an attempt that stopped between posting its notice and recording it: its echo, or the thread, shows the notice
    Optional<String> earlier = job.attempt() > 1
        ? lookForEarlierPost(deliveries.find(d.id()).orElse(d), Optional.of(copy.ts())) : Optional.empty();
    String ts;
    if (earlier.isPresent()) {
      ts = earlier.get();
    } else {
      var posted = call(d, "chat.postMessage", () -> {
        WebCall.Answer answer = web.post("chat.postMessage", form);
        FaultPoints.reached("sync.after_notice");
        return answer;
      });
      if (!posted.isOk()) {
        refused(job, d, posted.getError());
        return;
      }
      ts = posted.body().path("ts").asText();
    }
    try (var recording = deliveries.recording(d.id(), ts)) {
      job.complete(h -> recordOnce(h, d, ts, Optional.of(note), kept -> new Copy(PostMap.newPostId(), d.targetWorkspaceId(),
          d.targetChannelId(), kept, Kind.REACTION_NOTICE, Optional.of(copy.ts()))));
    }
    counted(d, Status.DONE);
  }

  // ---- shared ------------------------------------------------------------------------------

  /**
   * The copy of {@code postId} in the delivery's target channel. When it is not made yet but may
   * still come (its delivery is queued, or the message is recent enough that Slack may not have
   * delivered its event yet), earlier copies are caught up first and, if the copy is still
   * missing, the job waits for it: nothing is dropped. Empty when it will never exist.
   */
  Optional<Copy> waitForCopy(JobContext job, Delivery d, String postId) throws Exception {
    Optional<Copy> copy = posts.copyIn(postId, d.targetWorkspaceId(), d.targetChannelId());
    if (copy.isPresent()) {
      return copy;
    }
    Optional<Delivery> creation = deliveries.creation(postId, d.targetWorkspaceId(), d.targetChannelId());
    boolean underway = creation.map(c -> c.status() == Status.QUEUED || c.status() == Status.POSTING).orElse(false);
    if (!underway && (creation.isPresent() || !Relay.recent(d.sourceTs(), clock))) {
      return Optional.empty();
    }
    catchUp(job, deliveries.earlierQueuedCreates(d));
    copy = posts.copyIn(postId, d.targetWorkspaceId(), d.targetChannelId());
    if (copy.isPresent()) {
      return copy;
    }
    throw RetryLater.waiting(Duration.ofMillis(200), "the copy of post " + postId + " in " + d.targetChannelId() + " is not made yet");
  }

  /** Slack refused with {@code error}: the target is paused when it cannot receive copies, else the delivery fails. */
  void refused(JobContext job, Delivery d, String error) throws Exception {
    if (TOKEN_ERRORS.contains(error) && job.attempt() < 3) {
      app.get().forgetToken(null, d.targetWorkspaceId()); // perhaps a token cached before a reinstall
      throw new java.io.IOException("Slack refused the token (" + error + "); trying again with the stored one");
    }
    if (PAUSING.contains(error)) {
      pause(job, d, switch (error) {
        case "channel_not_found", "not_in_channel" -> "Tandem Sync is not in the channel any more (" + error + ")";
        case "is_archived" -> "the channel was archived";
        default -> "Slack refused Tandem Sync's token in that workspace (" + error + ")";
      });
      return;
    }
    log.warn("sync: delivery {} ({} to {}/{}) refused by Slack: {}", d.id(), d.op(), d.targetWorkspaceId(), d.targetChannelId(), error);
    end(job, d, Status.FAILED, Optional.empty(), Optional.of(error));
  }

  /** Stops sending to a target that cannot receive, and tells the sync's other channels why. */
  private void pause(JobContext job, Delivery d, String reason) throws Exception {
    log.warn("sync: pausing {}/{}: {}", d.targetWorkspaceId(), d.targetChannelId(), reason);
    String text = ":pause_button: Syncing to <#" + d.targetChannelId() + "> in " + workspaceName(d.targetWorkspaceId())
        + " is paused: " + reason + ". An admin can resume it from the Tandem Sync Home tab.";
    List<LinkedChannel> others = topology.syncChannelsOf(d.targetWorkspaceId(), d.targetChannelId());
    topology.pause(d.targetWorkspaceId(), d.targetChannelId(), Optional.of(reason));
    job.complete(h -> {
      deliveries.finish(h, d.id(), Status.FAILED, Optional.empty(), Optional.of("target paused: " + reason));
      for (LinkedChannel other : others) {
        if (!other.workspaceId().equals(d.targetWorkspaceId()) || !other.channelId().equals(d.targetChannelId())) {
          queue.enqueue(h, JobRequest.of(Notices.JOB, JSON.writeValueAsString(Map.of("workspace", other.workspaceId(),
                  "channel", other.channelId(), "text", text.replace("<#" + d.targetChannelId() + ">", "#" + d.targetChannelId()))))
              .unique(Notices.JOB + ":" + d.id() + ":" + other.channelId()));
        }
      }
    });
    counted(d, Status.FAILED);
  }

  void end(JobContext job, Delivery d, Status status, Optional<String> ts, Optional<String> note) {
    job.complete(h -> deliveries.finish(h, d.id(), status, ts, note));
    counted(d, status);
  }

  void counted(Delivery d, Status status) {
    metrics.outcome(d.op(), status);
    if (status == Status.DONE) {
      metrics.latency(d.op(), Duration.ofMillis(Math.max(0, clock.millis() - d.receivedAt())));
    }
  }

  <T extends SlackApiTextResponse> T call(Delivery d, String method, SlackCalls.Call<T> call) throws Exception {
    return app.get().calls().call(d.targetWorkspaceId(), method, d.targetChannelId(), call);
  }

  /** The event a delivery comes from, as Slack sent it (stored once by the event inbox). */
  JsonNode sourceEvent(String eventId) {
    return events.get(eventId, id -> app.get().storedEvent(id)
        .orElseThrow(() -> new IllegalStateException("event " + id + " is missing from core_slack_event"))
        .path("event"));
  }

  MethodsClient client(String workspaceId) throws NotInstalled {
    try {
      return app.get().client(null, workspaceId);
    } catch (IllegalStateException e) {
      throw new NotInstalled(workspaceId);
    }
  }

  WebCall web(String workspaceId) throws NotInstalled {
    try {
      return app.get().web(null, workspaceId);
    } catch (IllegalStateException e) {
      throw new NotInstalled(workspaceId);
    }
  }

  /** The workspace has no live installation of the Sync app. */
  static final class NotInstalled extends Exception {
    NotInstalled(String workspaceId) {
      super("Tandem Sync is not installed in " + workspaceId);
    }
  }

  String workspaceName(String workspaceId) {
    return workspace(workspaceId).map(SyncTopology.WorkspaceInfo::name).orElse(workspaceId);
  }

  private Optional<SyncTopology.WorkspaceInfo> workspace(String workspaceId) {
    return workspaces.get(workspaceId, topology::workspace);
  }

  /** Who a copy is posted as: the mapped local person, else the author with their workspace's name. */
  record Author(String name, Optional<String> icon, Optional<String> mappedUserId) {}

  Author author(Delivery d, JsonNode message) throws Exception {
    String workspace = workspaceName(d.sourceWorkspaceId());
    if ("bot_message".equals(message.path("subtype").asText()) || (message.has("bot_id") && !message.has("client_msg_id")
        && message.path("user").asText("").isEmpty())) {
      String name = message.path("username").asText(message.path("bot_profile").path("name").asText("A bot"));
      JsonNode icons = message.path("icons").isMissingNode() ? message.path("bot_profile").path("icons") : message.path("icons");
      String icon = icons.path("image_72").asText(icons.path("image_48").asText(""));
      return new Author(truncate(name + " (" + workspace + ")"), Optional.of(icon).filter(s -> !s.isEmpty()), Optional.empty());
    }
    String userId = message.path("user").asText();
    Optional<Person> source = people.person(d.sourceWorkspaceId(), userId, () -> uncheckedClient(d.sourceWorkspaceId()));
    if (source.isEmpty()) {
      return new Author(truncate(userId + " (" + workspace + ")"), Optional.empty(), Optional.empty());
    }
    Optional<Person> local = people.counterpart(source.get(), d.targetWorkspaceId(), () -> uncheckedClient(d.targetWorkspaceId()));
    if (local.isPresent()) {
      return new Author(truncate(local.get().shownName()), local.get().avatarUrl().or(source.get()::avatarUrl), Optional.of(local.get().userId()));
    }
    return new Author(truncate(source.get().shownName() + " (" + workspace + ")"), source.get().avatarUrl(), Optional.empty());
  }

  private MethodsClient uncheckedClient(String workspaceId) {
    return app.get().client(null, workspaceId);
  }

  /** How the renderer sees the target: memoised for one message. */
  Renderer.Lookup lookup(Delivery d) {
    String source = d.sourceWorkspaceId();
    String target = d.targetWorkspaceId();
    String workspace = workspaceName(source);
    Optional<String> domain = workspace(source).flatMap(SyncTopology.WorkspaceInfo::domain);
    Map<String, Optional<Person>> persons = new HashMap<>();
    Map<String, Optional<String>> mapped = new HashMap<>();
    return new Renderer.Lookup() {
      private Optional<Person> person(String userId) {
        return persons.computeIfAbsent(userId, u -> {
          try {
            return people.person(source, u, () -> uncheckedClient(source));
          } catch (Exception e) {
            log.info("sync: could not look up {} in {}: {}", u, source, e.toString());
            return Optional.empty();
          }
        });
      }

      @Override
      public Optional<String> mappedUser(String userId) {
        return mapped.computeIfAbsent(userId, u -> person(u).flatMap(p -> {
          try {
            return people.counterpart(p, target, () -> uncheckedClient(target)).map(Person::userId);
          } catch (Exception e) {
            log.info("sync: could not match {} of {} in {}: {}", u, source, target, e.toString());
            return Optional.empty();
          }
        }));
      }

      @Override
      public String userLabel(String userId) {
        return person(userId).map(Person::shownName).orElse(userId) + " (" + workspace + ")";
      }

      @Override
      public Optional<String> localChannel(String channelId) {
        return topology.counterpartChannel(source, channelId, target);
      }

      @Override
      public Optional<String> localChannelByDomain(String domainName, String channelId) {
        return topology.workspaceByDomain(domainName).flatMap(ws -> ws.equals(target) ? Optional.of(channelId)
            : topology.counterpartChannel(ws, channelId, target));
      }

      @Override
      public Optional<String> archiveUrl(String channelId) {
        return domain.map(dn -> "https://" + dn + ".slack.com/archives/" + channelId);
      }

      @Override
      public String workspaceName() {
        return workspace;
      }
    };
  }

  static String fileLine(JsonNode message) {
    StringBuilder names = new StringBuilder();
    for (JsonNode f : message.path("files")) {
      names.append(names.isEmpty() ? "" : ", ").append(f.path("name").asText(f.path("title").asText("a file")));
    }
    return ":paperclip: " + names;
  }

  /** Slack shows at most 80 characters of a custom username. */
  static String truncate(String name) {
    return name.length() <= 80 ? name : name.substring(0, 79) + "…";
  }
}
