package dev.tandem.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Runs the CLI in-process with an environment of the test's own. */
final class CliFixture {
  record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private CliFixture() {}

  static Result run(Map<String, String> env, Path workingDir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new Launch(env, workingDir, new PrintWriter(out, true), new PrintWriter(err, true), Clock.systemUTC()));
    return new Result(code, out.toString(), err.toString());
  }
}
