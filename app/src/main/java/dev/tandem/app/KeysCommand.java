package dev.tandem.app;

import dev.tandem.core.vault.KeyRotation;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the keys that encrypt secrets at rest.",
    subcommands = {KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = {
        "Re-encrypt every stored secret under the current key.",
        "With a key file (TANDEM_SECRET_KEY unset): a new key is generated first, and old keys are removed from the file once nothing uses them.",
        "With TANDEM_SECRET_KEY: set it to the new key and TANDEM_PREVIOUS_SECRET_KEYS to the old one, run this, then drop the old one."
      })
  static final class Rotate implements Callable<Integer> {
    private final Launch launch;

    Rotate(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() {
      try (Wiring wiring = new Wiring(Settings.read(launch.config()), launch.clock())) {
        wiring.migrate();
        KeyRotation rotation = wiring.keyRotation();
        rotation.checkAllKeysPresent();
        KeyRotation.Result result = rotation.rotate(new SecureRandom());
        launch.out().println("current key id " + result.currentKeyId() + ": " + result.reencrypted() + " secrets re-encrypted");
        if (!result.retiredKeyIds().isEmpty()) {
          launch.out().println("no secret uses key ids " + result.retiredKeyIds() + " any more"
              + (wiring.vault.keys().keyFile().isPresent() ? " (removed from the key file)" : "; drop them from TANDEM_PREVIOUS_SECRET_KEYS (and delete any old key file)"));
        }
      }
      return Main.OK;
    }
  }
}
