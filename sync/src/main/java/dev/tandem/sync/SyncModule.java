package dev.tandem.sync;

import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.module.TandemModule;
import dev.tandem.core.web.HealthCheck;
import java.util.List;
import java.util.Optional;

/**
 * The Sync app (cross-workspace channel sync). Until its Slack credentials are configured it
 * reports {@code not_configured} in readiness, which does not make the process unready.
 */
public final class SyncModule implements TandemModule {
  @Override
  public String name() {
    return "sync";
  }

  @Override
  public Optional<MigrationSet> migrations() {
    return Optional.empty(); // its tables arrive with the sync engine
  }

  @Override
  public List<HealthCheck> healthChecks() {
    return List.of(HealthCheck.of("slack.sync", () -> HealthCheck.Status.notConfigured("Sync Slack app credentials are not set")));
  }
}
