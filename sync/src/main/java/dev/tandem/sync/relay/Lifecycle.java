package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.sync.link.SyncTopology;
import dev.tandem.sync.link.SyncTopology.LinkedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workspace uninstalling and reinstalling Sync (SyncBot's soft delete, §E 51–52): a bot-level
 * {@code tokens_revoked} or {@code app_uninstalled} soft-deletes the workspace and pauses its
 * channels, and the other channels of those syncs are told; a reinstall within the retention
 * period resumes exactly those channels; after it, a daily sweep purges the workspace's data. A
 * user-level {@code tokens_revoked} (a person revoking their own token) is not an uninstall.
 */
final class Lifecycle {
  static final String PURGE_JOB = "sync.purge_workspaces";
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;
  private final JobQueue queue;
  private final SyncTopology topology;
  private final Clock clock;
  private final Duration retention;

  Lifecycle(Jdbi jdbi, JobQueue queue, SyncTopology topology, Clock clock, Duration retention) {
    this.jdbi = jdbi;
    this.queue = queue;
    this.topology = topology;
    this.clock = clock;
    this.retention = retention;
  }

  void attach(SlackApp app) {
    app.on("app_uninstalled", e -> uninstalled(Relay.workspaceOf(e)));
    app.on("tokens_revoked", e -> {
      if (!e.event().path("tokens").path("bot").isEmpty()) {
        uninstalled(Relay.workspaceOf(e));
      }
    });
  }

  void uninstalled(String workspaceId) {
    List<LinkedChannel> paused = topology.uninstall(workspaceId);
    if (paused.isEmpty()) {
      return;
    }
    log.warn("sync: workspace {} uninstalled; {} channels paused for {} days", workspaceId, paused.size(), retention.toDays());
    tellPartners(paused, workspaceId, ":warning: *" + name(workspaceId) + "* uninstalled Tandem Sync, so its channel is paused: nothing is"
        + " copied to or from it. If Tandem Sync is reinstalled there within " + retention.toDays() + " days, syncing resumes.");
  }

  void reinstalled(String workspaceId) {
    List<LinkedChannel> restored = topology.restore(workspaceId);
    if (restored.isEmpty()) {
      return;
    }
    log.info("sync: workspace {} reinstalled; {} channels resume", workspaceId, restored.size());
    jdbi.useTransaction(h -> {
      for (LinkedChannel c : restored) {
        queue.enqueue(h, notice(workspaceId, c.channelId(), ":white_check_mark: Tandem Sync was reinstalled: this channel syncs again."));
      }
    });
    tellPartners(restored, workspaceId, ":white_check_mark: *" + name(workspaceId) + "* reinstalled Tandem Sync: syncing with it resumes.");
  }

  /** The daily sweep: workspaces uninstalled longer than the retention period lose their data. */
  void purge() {
    for (String workspaceId : topology.uninstalledBefore(clock.millis() - retention.toMillis())) {
      String name = name(workspaceId);
      List<LinkedChannel> partners = topology.purge(workspaceId);
      log.warn("sync: workspace {} was uninstalled over {} days ago; its sync data is purged", workspaceId, retention.toDays());
      jdbi.useTransaction(h -> {
        for (LinkedChannel p : partners) {
          queue.enqueue(h, notice(p.workspaceId(), p.channelId(), ":wastebasket: *" + name + "* uninstalled Tandem Sync more than "
              + retention.toDays() + " days ago; its channel no longer takes part in this sync."));
        }
      });
    }
  }

  private void tellPartners(List<LinkedChannel> channels, String workspaceId, String text) {
    jdbi.useTransaction(h -> {
      for (LinkedChannel c : channels) {
        for (LinkedChannel other : topology.channelsOf(c.syncId())) {
          if (!other.workspaceId().equals(workspaceId)) {
            queue.enqueue(h, notice(other.workspaceId(), other.channelId(), text));
          }
        }
      }
    });
  }

  private static JobRequest notice(String workspace, String channel, String text) {
    try {
      return JobRequest.of(Notices.JOB, JSON.writeValueAsString(Map.of("workspace", workspace, "channel", channel, "text", text)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String name(String workspaceId) {
    return topology.workspace(workspaceId).map(SyncTopology.WorkspaceInfo::name).orElse(workspaceId);
  }
}
