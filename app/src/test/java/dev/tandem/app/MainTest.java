package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  @TempDir Path dir;

  @Test
  void configCheckNamesAnUnsupportedDatabaseUrlAndExits2() {
    CliFixture.Result r = CliFixture.run(Map.of("DATABASE_URL", "mongo://x"), dir, "config", "check");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("DATABASE_URL: unsupported scheme 'mongo' (expected sqlite:, postgresql:, mysql: or mariadb:)");
  }

  @Test
  void threeInvalidSettingsAreAllNamedInOneRunWithoutTheSecret() {
    String shortKey = Base64.getEncoder().encodeToString("0123456789abcdefghijklmnopqrstu".getBytes());

    CliFixture.Result r = CliFixture.run(Map.of("DATABASE_URL", "mongo://x", "PORT", "abc", "TANDEM_SECRET_KEY", shortKey), dir,
        "config", "check");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("3 configuration problems").contains("DATABASE_URL:").contains("PORT: not a whole number: 'abc'")
        .contains("TANDEM_SECRET_KEY: decodes to 31 bytes");
    assertThat(r.all()).doesNotContain(shortKey);
  }

  @Test
  void serveWithInvalidSettingsExits2BeforeStarting() {
    CliFixture.Result r = CliFixture.run(Map.of("PORT", "abc", "TANDEM_DATA_DIR", dir.toString()), dir, "serve");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("PORT: not a whole number: 'abc' (expected 0..65535)");
    assertThat(dir.resolve("tandem.db")).doesNotExist();
  }

  @Test
  void aHalfConfiguredSlackAppIsReportedByName() {
    CliFixture.Result r = CliFixture.run(Map.of("SLACK_SYNC_CLIENT_ID", "123.456", "SLACK_LEAVE_BOT_TOKEN", "xoxb-leave-token-123"), dir,
        "config", "check");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("SLACK_SYNC_SIGNING_SECRET: required in HTTP mode")
        .contains("SLACK_SYNC_CLIENT_SECRET: OAuth needs both the client id and the client secret")
        .contains("SLACK_LEAVE_APP_TOKEN: required when SLACK_LEAVE_SOCKET_MODE is true");
    assertThat(r.all()).doesNotContain("xoxb-leave-token-123");
  }

  @Test
  void configCheckShowsSourcesAndMasksSecrets() throws Exception {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    Files.writeString(dir.resolve(".env"), "TANDEM_SECRET_KEY=" + key + "\nPORT=4100\n");

    CliFixture.Result r = CliFixture.run(Map.of("PORT", "4200"), dir, "config", "check");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).containsPattern("PORT\\s+environment\\s+4200").containsPattern("TANDEM_SECRET_KEY\\s+dotenv\\s+\\*{8}")
        .contains("configuration OK").doesNotContain(key);
  }

  @Test
  void everyCommandAnswersHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(new Launch(Map.of(), dir, new java.io.PrintWriter(java.io.Writer.nullWriter()),
        new java.io.PrintWriter(java.io.Writer.nullWriter()), java.time.Clock.systemUTC())), new ArrayList<>(), paths);

    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliFixture.Result r = CliFixture.run(Map.of(), dir, args.toArray(String[]::new));
      assertThat(r.exitCode()).as("%s --help", path).isZero();
      assertThat(r.out()).as("%s --help", path).contains("Usage: tandem");
    }
    assertThat(paths).extracting(p -> String.join(" ", p))
        .contains("serve", "bot", "web", "worker", "migrate", "config check", "keys rotate", "demo", "jobs list", "jobs retry",
            "slack manifest");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    CliFixture.Result r = CliFixture.run(Map.of(), dir, "frobnicate");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument at index 0: 'frobnicate'");
  }

  private static void collect(CommandLine cli, List<String> prefix, List<List<String>> out) {
    for (var entry : cli.getSubcommands().entrySet()) {
      if (entry.getKey().equals("help")) {
        continue;
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(entry.getKey());
      out.add(path);
      collect(entry.getValue(), path, out);
    }
  }
}
