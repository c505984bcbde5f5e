package dev.tandem.app;

import dev.tandem.core.jobs.JobAdmin;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Inspect durable jobs and retry dead-lettered ones.",
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.RetryJob.class})
final class JobsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static JobAdmin admin(Wiring wiring) {
    wiring.migrate();
    return new JobAdmin(wiring.database.jdbi(), wiring.settings.core().jobs(), wiring.clock);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the newest jobs, by default the dead letter (status dead) with each last error.")
  static final class ListJobs implements Callable<Integer> {
    private final Launch launch;

    enum Status { queued, running, done, dead, all }

    @Option(names = "--status", defaultValue = "dead", description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Status status;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    ListJobs(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() {
      try (Wiring wiring = new Wiring(Settings.read(launch.config()), launch.clock())) {
        var jobs = admin(wiring).list(status == Status.all ? Optional.empty() : Optional.of(status.name()), limit);
        launch.out().printf("%-10s %-32s %-8s %-8s %-24s %s%n", "ID", "KIND", "STATUS", "ATTEMPTS", "UPDATED", "LAST ERROR");
        for (JobAdmin.JobView j : jobs) {
          launch.out().printf("%-10d %-32s %-8s %-8s %-24s %s%n", j.id(), j.kind(), j.status(), j.attempts() + "/" + j.maxAttempts(),
              j.updatedAt(), j.lastError().map(e -> e.replace('\n', ' ')).orElse(""));
        }
        launch.out().println(jobs.size() + " job" + (jobs.size() == 1 ? "" : "s"));
      }
      return Main.OK;
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true, description = "Queue a dead job again with a fresh budget of attempts.")
  static final class RetryJob implements Callable<Integer> {
    private final Launch launch;

    @Parameters(paramLabel = "JOB_ID", description = "The id shown by 'tandem jobs list'.")
    long id;

    RetryJob(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() {
      try (Wiring wiring = new Wiring(Settings.read(launch.config()), launch.clock())) {
        return switch (admin(wiring).retry(id)) {
          case QUEUED -> {
            launch.out().println("job " + id + " queued again; a running worker picks it up at its next poll");
            yield Main.OK;
          }
          case NOT_DEAD -> {
            launch.err().println("job " + id + " is not dead: only dead-lettered jobs can be retried");
            yield Main.FAILURE;
          }
          case NOT_FOUND -> {
            launch.err().println("no job " + id);
            yield Main.FAILURE;
          }
        };
      }
    }
  }
}
