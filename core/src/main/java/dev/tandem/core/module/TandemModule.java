package dev.tandem.core.module;

import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackAppSpec;
import dev.tandem.core.vault.EncryptedColumn;
import dev.tandem.core.web.HealthCheck;
import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a feature module (core itself, Sync, Leave) contributes to a process: migrations, job
 * handlers, HTTP routes, readiness checks and the columns the token vault must re-encrypt on
 * key rotation. Modules are built with their dependencies in the app's composition root.
 */
public interface TandemModule {
  /** The module name, also its table prefix and migration folder ({@code db/<name>/}). */
  String name();

  default Optional<MigrationSet> migrations() {
    return Optional.of(new MigrationSet(name()));
  }

  /** Columns holding vault-sealed values, so that {@code keys rotate} finds every secret. */
  default List<EncryptedColumn> encryptedColumns() {
    return List.of();
  }

  /** Registers job handlers and recurring sweeps; called only in processes with the worker role. */
  default void registerJobs(JobRegistry jobs) {}

  /** Adds HTTP routes for the roles this process runs. */
  default void registerRoutes(RoutesConfig routes, Set<Role> roles) {}

  default List<HealthCheck> healthChecks() {
    return List.of();
  }

  /** The Slack app this module runs, if any. */
  default Optional<SlackAppSpec> slackApp() {
    return Optional.empty();
  }

  /** Called once the module's Slack app is configured and built: register event handlers and Bolt listeners. */
  default void onSlackApp(SlackApp app) {}
}
