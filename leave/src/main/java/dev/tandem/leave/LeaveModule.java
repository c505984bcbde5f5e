package dev.tandem.leave;

import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.module.TandemModule;
import dev.tandem.core.web.HealthCheck;
import java.util.List;
import java.util.Optional;

/**
 * The Leave app (leave announcements to Calendar and Harvest). Until its Slack credentials are configured it
 * reports {@code not_configured} in readiness, which does not make the process unready.
 */
public final class LeaveModule implements TandemModule {
  @Override
  public String name() {
    return "leave";
  }

  @Override
  public Optional<MigrationSet> migrations() {
    return Optional.empty(); // its tables arrive with leave intake
  }

  @Override
  public List<HealthCheck> healthChecks() {
    return List.of(HealthCheck.of("slack.leave", () -> HealthCheck.Status.notConfigured("Leave Slack app credentials are not set")));
  }
}
