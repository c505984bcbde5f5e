package dev.tandem.sync;

import dev.tandem.core.module.TandemModule;
import dev.tandem.core.slack.Installation;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.sync.link.SyncTopology;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import dev.tandem.core.slack.SlackAppSpec;
import java.util.List;
import java.util.Optional;

/** The Sync app (cross-workspace channel sync). Its engine arrives with the sync engine issue. */
public final class SyncModule implements TandemModule {
  private final SyncTopology topology;

  public SyncModule(Jdbi jdbi, Clock clock) {
    this.topology = new SyncTopology(jdbi, clock);
  }

  /** Groups, syncs and channel links (for the operator CLI until the Home tab lands). */
  public SyncTopology topology() {
    return topology;
  }

  /** Each install or reinstall records (or restores) its workspace. */
  @Override
  public void onSlackApp(SlackApp app) {
    app.onInstalled(i -> topology.upsertWorkspace(i.teamId().or(i::enterpriseId).orElseThrow(),
        Installation.key(i.enterpriseId().orElse(null), i.teamId().orElse(null)), i.teamId().orElse(null),
        i.teamName().orElse(i.teamId().orElse("?")), null));
  }

  /** Scopes and events of SyncBot's manifest: read, post as others, files, reactions, people, lifecycle. */
  public static final SlackAppSpec SLACK_APP = new SlackAppSpec("sync", "Tandem Sync",
      List.of("app_mentions:read", "channels:history", "channels:join", "channels:read", "chat:write", "chat:write.customize",
          "files:read", "files:write", "groups:history", "groups:read", "im:write", "reactions:read", "reactions:write",
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
