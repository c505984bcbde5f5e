package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.jobs.JobContext;
import dev.tandem.core.jobs.JobHandler;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.jobs.RetryLater;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.WebCall;
import dev.tandem.sync.relay.Deliveries.Delivery;
import dev.tandem.sync.relay.Deliveries.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes extra copies. When the outcome of a post is unknown (Slack took it but the answer was
 * lost, or Tandem stopped before recording it) and no echo came within the grace period, the
 * delivery may post again rather than wait for a history read (since 2025 one a minute for most
 * apps). Every post carries its delivery id in its metadata, so if the first post did happen its
 * echo names the same delivery with another ts: whichever message was recorded first is the copy,
 * and this job deletes the other one. The decision is made when the job runs, from the stored
 * copy, so the recorded copy is never deleted.
 */
final class Duplicates implements JobHandler {
  static final String JOB = "sync.duplicate";
  private static final Logger log = LoggerFactory.getLogger(Duplicates.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> GONE = Set.of("message_not_found", "channel_not_found", "is_archived", "not_in_channel");
  private static final Duration UNDECIDED = Duration.ofSeconds(1);

  private final org.jdbi.v3.core.Jdbi jdbi;
  private final JobQueue queue;
  private final Deliveries deliveries;
  private final SyncMetrics metrics;
  private final Supplier<SlackApp> app;

  Duplicates(org.jdbi.v3.core.Jdbi jdbi, JobQueue queue, Deliveries deliveries, SyncMetrics metrics, Supplier<SlackApp> app) {
    this.jdbi = jdbi;
    this.queue = queue;
    this.deliveries = deliveries;
    this.metrics = metrics;
    this.app = app;
  }

  /** Asks for a check of message {@code ts}, posted for delivery {@code deliveryId}, in the caller's transaction. */
  void check(Handle h, String deliveryId, String workspaceId, String channelId, String ts) {
    String payload = JSON.createObjectNode().put("d", deliveryId).put("w", workspaceId).put("c", channelId).put("ts", ts).toString();
    queue.enqueue(h, JobRequest.of(JOB, payload).unique(JOB + ":" + workspaceId + ":" + channelId + ":" + ts));
  }

  /** The same in a transaction of its own. */
  void check(String deliveryId, String workspaceId, String channelId, String ts) {
    jdbi.useTransaction(h -> check(h, deliveryId, workspaceId, channelId, ts));
  }

  @Override
  public void run(JobContext job) throws Exception {
    JsonNode p = JSON.readTree(job.payload());
    String id = p.path("d").asText();
    String workspace = p.path("w").asText();
    String channel = p.path("c").asText();
    String ts = p.path("ts").asText();
    Optional<Delivery> delivery = deliveries.find(id);
    Optional<String> copy = delivery.flatMap(Delivery::targetTs);
    if (copy.isEmpty()) {
      if (delivery.isPresent() && (delivery.get().status() == Status.QUEUED || delivery.get().status() == Status.POSTING)) {
        throw RetryLater.waiting(UNDECIDED, "delivery " + id + " has not settled its copy yet");
      }
      // no such delivery (another installation's metadata?) or one that ended without a copy: not ours to delete
      log.warn("sync: message {} in {}/{} names delivery {}, which has no copy; left alone", ts, workspace, channel, id);
      job.complete(h -> { });
      return;
    }
    if (copy.get().equals(ts) || !delivery.get().targetWorkspaceId().equals(workspace) || !delivery.get().targetChannelId().equals(channel)) {
      job.complete(h -> { });
      return;
    }
    SlackApp slack = app.get();
    WebCall web = slack.web(null, workspace);
    var deleted = slack.calls().call(workspace, "chat.delete", channel, () -> web.post("chat.delete", Map.of("channel", channel, "ts", ts)));
    if (!deleted.isOk() && !GONE.contains(deleted.getError())) {
      throw new IllegalStateException("chat.delete of duplicate " + ts + " in " + workspace + "/" + channel + " refused: " + deleted.getError());
    }
    metrics.duplicateRemoved();
    log.info("sync: delivery {} was posted twice in {}/{}; removed {} and kept {}", id, workspace, channel, ts, copy.get());
    job.complete(h -> { });
  }
}
