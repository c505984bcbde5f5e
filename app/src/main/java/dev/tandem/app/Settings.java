package dev.tandem.app;

import dev.tandem.core.CoreSettings;
import dev.tandem.core.config.ConfigReader;

/** Every setting of the process: core's, then each app's as they are added. Validated as a whole. */
record Settings(CoreSettings core) {
  /** Reads everything, then throws {@link dev.tandem.core.config.ConfigException} naming every problem. */
  static Settings read(ConfigReader config) {
    Settings settings = readLeniently(config);
    config.throwIfProblems();
    return settings;
  }

  /** Reads everything, leaving the problems in {@code config} (for {@code config check}). */
  static Settings readLeniently(ConfigReader config) {
    return new Settings(CoreSettings.read(config));
  }
}
