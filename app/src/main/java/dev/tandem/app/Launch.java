package dev.tandem.app;

import dev.tandem.core.config.ConfigReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What one invocation of the CLI runs with: the environment, the working directory (where
 * {@code .env} is read), the output streams and the clock. Passed to every command, so tests run
 * commands in-process with an environment of their own.
 */
record Launch(Map<String, String> env, Path workingDir, PrintWriter out, PrintWriter err, Clock clock) {
  Launch {
    env = Map.copyOf(env);
  }

  ConfigReader config() {
    return ConfigReader.load(env, workingDir);
  }
}
