package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.methods.response.team.TeamInfoResponse;
import com.slack.api.model.User;
import dev.tandem.core.db.Database;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.slack.Installation;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import dev.tandem.sync.SyncSettings;
import dev.tandem.sync.link.SyncTopology;
import dev.tandem.sync.users.People;
import dev.tandem.sync.users.UserDirectory;
import dev.tandem.sync.users.UserMappings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Sync app's message path put together: the fan-out on events, the delivery jobs, and the
 * people directory kept fresh (crawled at install, updated on {@code team_join} and
 * {@code user_profile_changed}).
 */
public final class SyncEngine {
  /** Crawls a workspace's people (users.list) and its domain (team.info); payload {"workspace": id}. */
  public static final String CRAWL_JOB = "sync.directory";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SyncTopology topology;
  private final JobQueue queue;
  private final People people;
  private final OwnBot ownBot;
  private final Relay relay;
  private final Deliverer deliverer;
  private final Duplicates duplicates;
  private final Lifecycle lifecycle;
  private final UnsyncedChannels unsynced;
  private final Notices notices;
  private final PostMap posts;
  private volatile SlackApp app;

  public SyncEngine(Database database, JobQueue queue, SyncTopology topology, SyncSettings settings, Clock clock, MeterRegistry registry) {
    this.topology = topology;
    this.queue = queue;
    Supplier<SlackApp> slack = () -> {
      SlackApp a = app;
      if (a == null) {
        throw new IllegalStateException("the Sync Slack app is not configured (SLACK_SYNC_SIGNING_SECRET and credentials)");
      }
      return a;
    };
    this.posts = new PostMap(database.jdbi(), database.dialect(), clock);
    Deliveries deliveries = new Deliveries(database.jdbi(), database.dialect(), clock);
    SyncMetrics metrics = new SyncMetrics(registry);
    this.people = new People(new UserDirectory(database.jdbi(), clock), new UserMappings(database.jdbi(), clock),
        () -> slack.get().calls(), clock);
    this.ownBot = new OwnBot(slack);
    this.duplicates = new Duplicates(database.jdbi(), queue, deliveries, metrics, slack);
    this.relay = new Relay(database.jdbi(), database.dialect(), queue, topology, posts, deliveries, duplicates, settings, metrics, ownBot,
        clock);
    this.deliverer = new Deliverer(database.jdbi(), queue, topology, posts, deliveries, duplicates, people,
        new Files(posts, deliveries, settings, slack), settings, metrics, slack, clock);
    this.notices = new Notices(slack);
    this.lifecycle = new Lifecycle(database.jdbi(), queue, topology, clock, settings.retention());
    this.unsynced = new UnsyncedChannels(queue, topology, ownBot, slack, clock, settings.inviteGrace());
  }

  public void attach(SlackApp slackApp) {
    this.app = slackApp;
    relay.attach(slackApp);
    lifecycle.attach(slackApp);
    unsynced.attach(slackApp);
    slackApp.onInstalled(this::installed);
    slackApp.on("team_join", e -> personChanged(e));
    slackApp.on("user_profile_changed", e -> personChanged(e));
  }

  public void registerJobs(JobRegistry jobs) {
    jobs.handle(Relay.JOB, deliverer);
    jobs.handle(Notices.JOB, notices);
    jobs.handle(Duplicates.JOB, duplicates);
    jobs.handle(UnsyncedChannels.JOB, unsynced);
    jobs.every(java.time.Duration.ofDays(1), Lifecycle.PURGE_JOB, job -> lifecycle.purge());
    jobs.handle(CRAWL_JOB, job -> {
      String ws = JSON.readTree(job.payload()).path("workspace").asText();
      var client = app.client(null, ws);
      TeamInfoResponse team = app.calls().call(ws, "team.info", null, () -> client.teamInfo(r -> r));
      if (team.isOk() && team.getTeam() != null) {
        topology.setDomain(ws, team.getTeam().getName(), team.getTeam().getDomain());
      }
      people.crawl(ws, client);
      job.complete(h -> { });
    });
  }

  /** Each install or reinstall records (or restores) its workspace, then reads its domain and people. */
  private void installed(Installation i) {
    String ws = i.teamId().or(i::enterpriseId).orElseThrow();
    boolean wasUninstalled = topology.upsertWorkspace(ws, Installation.key(i.enterpriseId().orElse(null), i.teamId().orElse(null)),
        i.teamId().orElse(null), i.teamName().orElse(ws), null);
    if (wasUninstalled) {
      lifecycle.reinstalled(ws);
    }
    ownBot.forget(ws);
    queue.enqueue(JobRequest.of(CRAWL_JOB, "{\"workspace\":\"" + ws + "\"}").orderedBy(CRAWL_JOB + ":" + ws));
  }

  private void personChanged(SlackEvent e) throws Exception {
    User user = com.slack.api.util.json.GsonFactory.createSnakeCase().fromJson(e.event().path("user").toString(), User.class);
    if (user != null && user.getId() != null) {
      people.changed(Relay.workspaceOf(e), user);
    }
  }
}
