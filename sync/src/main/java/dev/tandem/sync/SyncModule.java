package dev.tandem.sync;

import dev.tandem.core.db.Database;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.module.TandemModule;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackAppSpec;
import dev.tandem.sync.home.HomeTab;
import dev.tandem.sync.link.SyncTopology;
import dev.tandem.sync.relay.SyncEngine;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The Sync app (cross-workspace channel sync): its tables, its message path and its Slack app. */
public final class SyncModule implements TandemModule {
  private final SyncTopology topology;
  private final SyncEngine engine;
  private final HomeTab home;

  public SyncModule(Database database, JobQueue queue, SyncSettings settings, Clock clock, MeterRegistry metrics) {
    this.topology = new SyncTopology(database.jdbi(), clock);
    this.engine = new SyncEngine(database, queue, topology, settings, clock, metrics);
    this.home = new HomeTab(topology, database.jdbi(), queue, clock, settings.requireAdmin(), metrics);
  }

  /** Groups, syncs and channel links (configured on the Home tab, or with the operator CLI). */
  public SyncTopology topology() {
    return topology;
  }

  public SyncEngine engine() {
    return engine;
  }

  @Override
  public void onSlackApp(SlackApp app) {
    engine.attach(app);
    home.attach(app);
  }

  @Override
  public void registerJobs(JobRegistry jobs) {
    engine.registerJobs(jobs);
    jobs.every(java.time.Duration.ofHours(1), "sync.purge_join_attempts", job -> home.purgeJoinAttempts());
    jobs.handle(HomeTab.matchingJobKind(), home.matchingJob());
    jobs.handle(HomeTab.newcomerJobKind(), home.newcomerJob());
  }

  /** Scopes and events of SyncBot's manifest: read, post as others, files, reactions, people, lifecycle. */
  public static final SlackAppSpec SLACK_APP = new SlackAppSpec("sync", "Tandem Sync",
      List.of("app_mentions:read", "channels:history", "channels:join", "channels:manage", "channels:read", "chat:write",
          "chat:write.customize", "files:read", "files:write", "groups:history", "groups:read", "groups:write", "im:write",
          "reactions:read", "reactions:write",
          "team:read", "users:read", "users:read.email"),
      List.of("app_home_opened", "app_uninstalled", "member_joined_channel", "message.channels", "message.groups",
          "reaction_added", "reaction_removed", "team_join", "tokens_revoked", "user_profile_changed"),
      false);

  @Override
  public String name() {
    return "sync";
  }

  @Override
  public Optional<SlackAppSpec> slackApp() {
    return Optional.of(SLACK_APP);
  }
}
