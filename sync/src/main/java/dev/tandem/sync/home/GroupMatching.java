package dev.tandem.sync.home;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.jobs.JobContext;
import dev.tandem.core.jobs.JobHandler;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.jobs.RetryLater;
import dev.tandem.sync.link.SyncTopology;
import dev.tandem.sync.users.BulkMatching;
import dev.tandem.sync.users.UserDirectory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auto-matching when a workspace joins a group (as SyncBot does): its people against every other
 * member's, both ways, so the user-mapping screen shows them at once and mentions resolve without a
 * lookup. Waits while a directory has not been crawled yet (the crawl runs at install).
 */
final class GroupMatching implements JobHandler {
  static final String JOB = "sync.match_group";
  static final String NEWCOMER_JOB = "sync.match_newcomer";
  private static final Logger log = LoggerFactory.getLogger(GroupMatching.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobQueue queue;
  private final SyncTopology topology;
  private final UserDirectory directory;
  private final BulkMatching matching;

  GroupMatching(JobQueue queue, SyncTopology topology, UserDirectory directory, BulkMatching matching) {
    this.queue = queue;
    this.topology = topology;
    this.directory = directory;
    this.matching = matching;
  }

  /** Asks for the matching of a workspace that just joined a group. */
  void joined(String groupId, String workspaceId) {
    queue.enqueue(JobRequest.of(JOB, JSON.createObjectNode().put("group", groupId).put("workspace", workspaceId).toString())
        .orderedBy(JOB + ":" + workspaceId));
  }

  /** Asks for the matching of a person who joined a workspace ({@code team_join}). */
  void newcomer(String workspaceId, String userId) {
    queue.enqueue(JobRequest.of(NEWCOMER_JOB, JSON.createObjectNode().put("workspace", workspaceId).put("user", userId).toString())
        .orderedBy(JOB + ":" + workspaceId));
  }

  /** The newcomer job: them against every workspace that shares a group, and those workspaces' unmatched people against them. */
  JobHandler newcomers() {
    return job -> {
      JsonNode p = JSON.readTree(job.payload());
      String workspace = p.path("workspace").asText();
      var person = directory.find(workspace, p.path("user").asText());
      if (person.isPresent() && !person.get().bot()) {
        java.util.Set<String> partners = new java.util.TreeSet<>();
        topology.groupsOf(workspace).forEach(g -> g.members().stream()
            .filter(m -> "active".equals(m.status()) && !m.workspaceId().equals(workspace)).forEach(m -> partners.add(m.workspaceId())));
        for (String other : partners) {
          matching.newcomer(person.get(), other);
        }
      }
      job.complete(h -> { });
    };
  }

  @Override
  public void run(JobContext job) throws Exception {
    JsonNode p = JSON.readTree(job.payload());
    String groupId = p.path("group").asText();
    String workspace = p.path("workspace").asText();
    var group = topology.groupsOf(workspace).stream().filter(g -> g.id().equals(groupId)).findFirst();
    if (group.isEmpty()) {
      job.complete(h -> { });
      return; // left again meanwhile
    }
    for (SyncTopology.Member other : group.get().members()) {
      if (other.workspaceId().equals(workspace) || !"active".equals(other.status())) {
        continue;
      }
      if (directory.people(workspace).isEmpty() || directory.people(other.workspaceId()).isEmpty()) {
        throw RetryLater.waiting(Duration.ofSeconds(30), "waiting for the people of " + workspace + " and " + other.workspaceId());
      }
      int here = matching.matchAll(other.workspaceId(), workspace);
      int there = matching.matchAll(workspace, other.workspaceId());
      log.info("sync: matched people of {} and {} ({} and {} found)", workspace, other.workspaceId(), here, there);
    }
    job.complete(h -> { });
  }
}
