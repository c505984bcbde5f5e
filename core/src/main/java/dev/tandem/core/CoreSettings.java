package dev.tandem.core;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.db.DatabaseSettings;
import dev.tandem.core.jobs.JobSettings;
import dev.tandem.core.log.LogSettings;
import dev.tandem.core.vault.VaultSettings;
import dev.tandem.core.web.WebSettings;
import java.nio.file.Path;

/** The settings of core, read once at start-up and then frozen. */
public record CoreSettings(
    Path dataDir, DatabaseSettings database, VaultSettings vault, WebSettings web, JobSettings jobs, LogSettings log,
    String faultPoint) {

  public static CoreSettings read(ConfigReader config) {
    Path dataDir = config.path("TANDEM_DATA_DIR", Path.of("./data"),
        "Directory for the SQLite database, the generated key file and other local state.").toAbsolutePath().normalize();
    return new CoreSettings(
        dataDir,
        DatabaseSettings.read(config, dataDir),
        VaultSettings.read(config, dataDir),
        WebSettings.read(config),
        JobSettings.read(config),
        LogSettings.read(config),
        config.string("TANDEM_FAULT_POINT", "", "Testing only: halt the process, as kill -9 would, at this named point (name or name:n)."));
  }
}
