package dev.tandem.core;

import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.jobs.JobSettings;
import dev.tandem.core.jobs.Sweeps;
import dev.tandem.core.module.TandemModule;
import dev.tandem.core.slack.InstallationStore;
import dev.tandem.core.vault.EncryptedColumn;
import dev.tandem.core.vault.SecretStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Core's own contributions: the job and secret tables, and the purge of finished jobs. */
public final class CoreModule implements TandemModule {
  private final Jdbi jdbi;
  private final JobSettings jobs;
  private final Clock clock;

  public CoreModule(Jdbi jdbi, JobSettings jobs, Clock clock) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "core";
  }

  @Override
  public List<EncryptedColumn> encryptedColumns() {
    return List.of(SecretStore.COLUMN, InstallationStore.BOT_TOKEN);
  }

  @Override
  public void registerJobs(JobRegistry registry) {
    registry.every(Duration.ofHours(1), "core.purge_finished_jobs", Sweeps.purgeFinishedJobs(jdbi, jobs.retention(), clock));
  }
}
