package dev.tandem.app;

import dev.tandem.core.db.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Apply every module's database migrations and exit. Safe to run again, and from several processes at once.")
final class MigrateCommand implements Callable<Integer> {
  private final Launch launch;

  MigrateCommand(Launch launch) {
    this.launch = launch;
  }

  @Override
  public Integer call() {
    try (Wiring wiring = new Wiring(Settings.read(launch.config()), launch.clock())) {
      for (Migrations.Applied a : wiring.migrate()) {
        launch.out().println(a.module() + ": " + (a.migrationsApplied() == 0 ? "up to date" : a.migrationsApplied() + " migrations applied")
            + " (schema version " + a.schemaVersion() + ")");
      }
      launch.out().println("database " + wiring.database.url() + " is up to date");
    }
    return Main.OK;
  }
}
