package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.Inserts;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import dev.tandem.sync.SyncSettings;
import dev.tandem.sync.link.SyncTopology;
import dev.tandem.sync.link.SyncTopology.LinkedChannel;
import dev.tandem.sync.relay.Deliveries.Delivery;
import dev.tandem.sync.relay.Deliveries.Op;
import dev.tandem.sync.relay.Deliveries.Status;
import dev.tandem.sync.relay.PostMap.Copy;
import dev.tandem.sync.relay.PostMap.Kind;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out: each Slack event of a synced channel (already stored once by its {@code event_id},
 * and handled here in that event's durable job) becomes one delivery per target channel, enqueued
 * in one transaction with the post map entry of the source. Everything is keyed by what caused
 * it, so running an event twice creates nothing new.
 *
 * <p>Tandem's own posts come back as events: a post carrying our {@code tandem_delivery} metadata
 * records where its copy landed (this is how an unknown outcome is resolved without posting
 * twice); anything else our bot did is ignored, so no topology can loop.
 */
public final class Relay {
  static final String JOB = "sync.deliver";
  static final String METADATA_TYPE = "tandem_delivery";
  private static final Logger log = LoggerFactory.getLogger(Relay.class);
  /** How late Slack may deliver a message's own event (its retries end 5 minutes after the first attempt). */
  static final java.time.Duration RECENT = java.time.Duration.ofMinutes(10);

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final JobQueue queue;
  private final SyncTopology topology;
  private final PostMap posts;
  private final Deliveries deliveries;
  private final SyncSettings settings;
  private final SyncMetrics metrics;
  private final Clock clock;
  private final OwnBot ownBot;
  private final Duplicates duplicates;

  Relay(Jdbi jdbi, Dialect dialect, JobQueue queue, SyncTopology topology, PostMap posts, Deliveries deliveries, Duplicates duplicates,
      SyncSettings settings, SyncMetrics metrics, OwnBot ownBot, Clock clock) {
    this.duplicates = duplicates;
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.queue = queue;
    this.topology = topology;
    this.posts = posts;
    this.deliveries = deliveries;
    this.settings = settings;
    this.metrics = metrics;
    this.ownBot = ownBot;
    this.clock = clock;
  }

  void attach(SlackApp app) {
    app.absorb(this::absorbEcho);
    app.on("message", this::onMessage);
    app.on("message.*", this::onMessage);
    app.on("reaction_added", e -> onReaction(e, true));
    app.on("reaction_removed", e -> onReaction(e, false));
  }

  static String workspaceOf(SlackEvent e) {
    return e.teamId().or(e::enterpriseId).orElseThrow(() -> new IllegalStateException("event " + e.eventId() + " names no workspace"));
  }

  void onMessage(SlackEvent e) {
    JsonNode ev = e.event();
    String ws = workspaceOf(e);
    String channel = ev.path("channel").asText();
    switch (ev.path("subtype").asText("")) {
      case "", "thread_broadcast", "me_message", "bot_message", "file_share" -> onPost(e, ws, channel, ev);
      case "message_changed" -> onEdit(e, ws, channel, ev);
      case "message_deleted" -> onDelete(e, ws, channel, ev);
      default -> { } // joins, topic changes and the like are not messages people wrote
    }
  }

  private void onPost(SlackEvent e, String ws, String channel, JsonNode ev) {
    if (isEcho(ev)) {
      return; // absorbed on arrival (absorbEcho); never synced again
    }
    if (ownBot.isOurs(e, ev)) {
      return;
    }
    List<LinkedChannel> peers = topology.peersOf(ws, channel);
    if (peers.isEmpty()) {
      return;
    }
    String ts = ev.path("ts").asText();
    String threadTs = ev.path("thread_ts").asText(null);
    boolean reply = threadTs != null && !threadTs.equals(ts);
    Optional<String> parent = Optional.empty();
    if (reply) {
      parent = posts.postOf(ws, channel, threadTs);
      if (parent.isEmpty() && recent(threadTs, clock)) {
        // the parent's own event may still be on its way: give it its post id now; its copies
        // are made before this reply's (the reply's delivery catches them up or waits)
        parent = Optional.of(posts.record(new Copy(PostMap.newPostId(), ws, channel, threadTs, Kind.MESSAGE, Optional.empty())));
      }
      if (parent.isEmpty()) {
        log.info("sync: reply {} in {}/{} skipped: its parent {} was posted before the channel was synced", ts, ws, channel, threadTs);
        metrics.skipped("reply_to_unsynced");
        return;
      }
    }
    Optional<String> parentPost = parent;
    boolean hasFiles = ev.path("files").size() > 0;
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      String postId = posts.record(h, new Copy(PostMap.newPostId(), ws, channel, ts, Kind.MESSAGE, Optional.ofNullable(reply ? threadTs : null)));
      for (LinkedChannel peer : peers) {
        enqueue(h, new Delivery(Deliveries.id(postId, peer.workspaceId(), peer.channelId(), "create"), e.eventId(), Op.CREATE, postId,
            ws, channel, ts, peer.workspaceId(), peer.channelId(), parentPost, Status.QUEUED, 0, Optional.empty(), Optional.empty(),
            Optional.empty(), now));
        if (hasFiles) {
          enqueue(h, new Delivery(Deliveries.id(postId, peer.workspaceId(), peer.channelId(), "files"), e.eventId(), Op.FILES, postId,
              ws, channel, ts, peer.workspaceId(), peer.channelId(), Optional.empty(), Status.QUEUED, 0, Optional.empty(),
              Optional.empty(), Optional.empty(), now));
        }
      }
    });
  }

  private void onEdit(SlackEvent e, String ws, String channel, JsonNode ev) {
    JsonNode message = ev.path("message");
    JsonNode previous = ev.path("previous_message");
    if ("tombstone".equals(message.path("subtype").asText())) {
      // a deleted message that had replies stays as a tombstone, which Slack reports as an edit
      if (!isEcho(previous) && !ownBot.isOurs(e, previous)) {
        fanOutToCopies(e, ws, channel, message.path("ts").asText(), Op.DELETE, Optional.empty());
      }
      return;
    }
    if (isEcho(message) || ownBot.isOurs(e, message)) {
      return;
    }
    if (Objects.equals(message.path("text"), previous.path("text")) && Objects.equals(message.path("blocks"), previous.path("blocks"))
        && Objects.equals(message.path("attachments"), previous.path("attachments"))) {
      return; // a reply count, an unfurl's metadata or a pin changed, not what people see
    }
    String ts = message.path("ts").asText();
    if (posts.postOf(ws, channel, ts).isEmpty() && recent(ts, clock)) {
      // Slack delivered the edit before the message itself (events are not ordered): copy the
      // message as it is now; its own event, when it comes, finds the same deliveries
      onPost(e, ws, channel, message);
      return;
    }
    fanOutToCopies(e, ws, channel, ts, Op.EDIT, Optional.empty());
  }

  /**
   * Whether a message is young enough that Slack may still deliver its own event (its last retry
   * comes 5 minutes after the first attempt).
   */
  static boolean recent(String ts, Clock clock) {
    try {
      return clock.millis() - (long) (Double.parseDouble(ts) * 1000) < RECENT.toMillis();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void onDelete(SlackEvent e, String ws, String channel, JsonNode ev) {
    JsonNode previous = ev.path("previous_message");
    if (isEcho(previous) || ownBot.isOurs(e, previous)) {
      return;
    }
    fanOutToCopies(e, ws, channel, ev.path("deleted_ts").asText(), Op.DELETE, Optional.empty());
  }

  /**
   * A reaction on any copy: stored as that person's, then every copy of the post (the one reacted
   * on included) is brought in line with the union of everyone's reactions.
   */
  void onReaction(SlackEvent e, boolean added) {
    JsonNode ev = e.event();
    JsonNode item = ev.path("item");
    if (!"message".equals(item.path("type").asText()) || ownBot.isOurUser(e, ev.path("user").asText())) {
      return;
    }
    String ws = workspaceOf(e);
    String channel = item.path("channel").asText();
    String ts = item.path("ts").asText();
    List<LinkedChannel> everywhere = topology.syncChannelsOf(ws, channel);
    Optional<String> post = posts.postOf(ws, channel, ts);
    if (post.isEmpty() && recent(ts, clock) && !everywhere.isEmpty()) {
      // a reaction delivered before its message: the message's copies will carry it
      post = Optional.of(posts.record(new Copy(PostMap.newPostId(), ws, channel, ts, Kind.MESSAGE, Optional.empty())));
    }
    if (post.isEmpty()) {
      return;
    }
    String name = ev.path("reaction").asText();
    String user = ev.path("user").asText();
    Optional<String> postId = post;
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      if (added) {
        Inserts.ignoringDuplicate(h, dialect, "INSERT INTO sync_reaction (post_id, workspace_id, channel_id, user_id, name, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)", "post_id, workspace_id, channel_id, user_id, name", postId.get(), ws, channel, user, name, now);
      } else {
        h.execute("DELETE FROM sync_reaction WHERE post_id = ? AND workspace_id = ? AND channel_id = ? AND user_id = ? AND name = ?",
            postId.get(), ws, channel, user, name);
      }
      for (LinkedChannel target : everywhere) {
        if (target.active()) {
          enqueue(h, new Delivery(Deliveries.id(e.eventId(), target.workspaceId(), target.channelId(), "react"), e.eventId(), Op.REACT,
              postId.get(), ws, channel, ts, target.workspaceId(), target.channelId(), Optional.of(name), Status.QUEUED,
              0, Optional.empty(), Optional.empty(), Optional.empty(), now));
        }
      }
    });
  }

  private void fanOutToCopies(SlackEvent e, String ws, String channel, String ts, Op op, Optional<String> detail) {
    Optional<String> post = posts.postOf(ws, channel, ts);
    if (post.isEmpty()) {
      return; // written before the channel was synced
    }
    List<LinkedChannel> peers = topology.peersOf(ws, channel);
    long now = clock.millis();
    String kind = op.name().toLowerCase(java.util.Locale.ROOT);
    jdbi.useTransaction(h -> {
      for (LinkedChannel peer : peers) {
        enqueue(h, new Delivery(Deliveries.id(e.eventId(), peer.workspaceId(), peer.channelId(), kind), e.eventId(), op, post.get(), ws,
            channel, ts, peer.workspaceId(), peer.channelId(), detail, Status.QUEUED, 0, Optional.empty(), Optional.empty(),
            Optional.empty(), now));
      }
    });
  }

  private void enqueue(Handle h, Delivery d) {
    if (deliveries.insert(h, d)) {
      queue.enqueue(h, JobRequest.of(JOB, "{\"d\":\"" + d.id() + "\"}").orderedBy(d.orderingKey()).unique(JOB + ":" + d.id())
          .attempts(settings.deliveryAttempts()));
    }
  }

  static boolean isEcho(JsonNode message) {
    return METADATA_TYPE.equals(message.path("metadata").path("event_type").asText());
  }

  /**
   * Our own post came back (in the acknowledging request): its ts is noted on the delivery at once,
   * one indexed update instead of a stored event and a job. A delivery whose outcome was unknown
   * finds it there. Returns whether the event was one of our deliveries' echoes.
   */
  boolean absorbEcho(String ws, JsonNode ev) {
    if (!"message".equals(ev.path("type").asText()) || !isEcho(ev)) {
      return false;
    }
    String id = ev.path("metadata").path("event_payload").path("d").asText("");
    String channel = ev.path("channel").asText();
    String ts = ev.path("ts").asText();
    if (deliveries.echoed(id, ws, channel, ts)) {
      duplicates.check(id, ws, channel, ts);
    }
    return true;
  }
}
