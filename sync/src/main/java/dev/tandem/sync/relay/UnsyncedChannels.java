package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.jobs.JobContext;
import dev.tandem.core.jobs.JobHandler;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import dev.tandem.sync.link.SyncTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person added the bot to a channel nobody syncs (SyncBot's "bot added to a channel" rule):
 * it says what it is for and leaves. A public channel it leaves at once (the Home tab joins public
 * channels by itself when one is picked); a private channel is how an admin lets it in before
 * picking the channel on the Home tab, so there it stays for {@code TANDEM_SYNC_INVITE_GRACE} and
 * leaves only if the channel is still not synced then. The bot's own joins carry no inviter and
 * are not concerned.
 */
final class UnsyncedChannels implements JobHandler {
  static final String JOB = "sync.unsynced_channel";
  private static final Logger log = LoggerFactory.getLogger(UnsyncedChannels.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobQueue queue;
  private final SyncTopology topology;
  private final OwnBot ownBot;
  private final Supplier<SlackApp> app;
  private final Clock clock;
  private final Duration grace;

  UnsyncedChannels(JobQueue queue, SyncTopology topology, OwnBot ownBot, Supplier<SlackApp> app, Clock clock, Duration grace) {
    this.queue = queue;
    this.topology = topology;
    this.ownBot = ownBot;
    this.app = app;
    this.clock = clock;
    this.grace = grace;
  }

  void attach(SlackApp slack) {
    slack.on("member_joined_channel", this::joined);
  }

  private void joined(SlackEvent e) throws Exception {
    JsonNode ev = e.event();
    String workspace = Relay.workspaceOf(e);
    String channel = ev.path("channel").asText();
    if (!ownBot.isOurUser(e, ev.path("user").asText()) || ev.path("inviter").asText("").isEmpty()
        || topology.liveLink(workspace, channel).isPresent()) {
      return;
    }
    if ("G".equals(ev.path("channel_type").asText())) {
      say(workspace, channel, ":wave: Tandem Sync copies messages between workspaces. This private channel is not synced yet: an admin can"
          + " pick it on the Tandem Sync Home tab (\"Sync a channel\" or \"Start syncing\") within " + minutes(grace)
          + ". If it is not synced by then, I will leave.");
      queue.enqueue(JobRequest.of(JOB, JSON.createObjectNode().put("workspace", workspace).put("channel", channel).toString())
          .at(clock.instant().plus(grace)).unique(JOB + ":" + workspace + ":" + channel + ":" + e.eventId()));
      return;
    }
    say(workspace, channel, ":wave: Tandem Sync copies messages between workspaces, but this channel is not synced, so I am leaving."
        + " To sync it, an admin picks it on the Tandem Sync Home tab; I join public channels by myself.");
    leave(workspace, channel);
  }

  /** The grace period of a private channel is over. */
  @Override
  public void run(JobContext job) throws Exception {
    JsonNode p = JSON.readTree(job.payload());
    String workspace = p.path("workspace").asText();
    String channel = p.path("channel").asText();
    if (topology.liveLink(workspace, channel).isEmpty()) {
      say(workspace, channel, ":wave: Nobody picked this channel on the Tandem Sync Home tab, so I am leaving. Invite me again when you want to sync it.");
      leave(workspace, channel);
    }
    job.complete(h -> { });
  }

  private void say(String workspace, String channel, String text) throws Exception {
    SlackApp slack = app.get();
    var posted = slack.calls().call(workspace, "chat.postMessage", channel,
        () -> slack.client(null, workspace).chatPostMessage(r -> r.channel(channel).text(text)));
    if (!posted.isOk()) {
      log.warn("sync: could not explain myself in {}/{}: {}", workspace, channel, posted.getError());
    }
  }

  private void leave(String workspace, String channel) throws Exception {
    SlackApp slack = app.get();
    var left = slack.calls().call(workspace, "conversations.leave", channel,
        () -> slack.client(null, workspace).conversationsLeave(r -> r.channel(channel)));
    if (!left.isOk()) {
      log.warn("sync: could not leave unsynced channel {}/{}: {}", workspace, channel, left.getError());
    } else {
      log.info("sync: left {}/{}, which is not synced", workspace, channel);
    }
  }

  private static String minutes(Duration d) {
    long m = Math.max(1, d.toMinutes());
    return m + (m == 1 ? " minute" : " minutes");
  }
}
