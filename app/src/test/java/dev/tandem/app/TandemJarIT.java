package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import dev.tandem.core.testing.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as users run it: separate processes, real HTTP, real exit codes. */
@Tag("heavy")
class TandemJarIT {
  private static final Path JAR = Path.of("target/tandem.jar").toAbsolutePath();
  @TempDir Path dir;

  @Test
  void serveWithNoSettingsStartsOnSqliteInAFreshDirectory() throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    if (!portFree(3000)) {
      env.put("PORT", String.valueOf(freePort())); // the default port is taken on this machine
    }
    int port = Integer.parseInt(env.getOrDefault("PORT", "3000"));
    Run serve = start(env, "serve");
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

      await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
          .until(() -> get(http, port, "/healthz").statusCode() == 200 && get(http, port, "/readyz").statusCode() == 200);
      String metrics = get(http, port, "/metrics").body();

      assertThat(metrics).contains("jvm_memory_used_bytes").contains("tandem_jobs_queue_depth");
      assertThat(dir.resolve("data/tandem.db")).exists();
    } finally {
      serve.process().destroy(); // SIGTERM: graceful shutdown
      assertThat(serve.process().waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
      assertThat(serve.output()).contains("Tandem is up").doesNotContain("ERROR");
    }
  }

  @Test
  void demoSeedsAcmeAndGlobexWithBothAppsInstalledWithin20Seconds() throws Exception {
    int port = freePort();
    Run demo = start(Map.of("PORT", String.valueOf(port)), "demo");
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

      await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
          .until(() -> get(http, port, "/readyz").body().contains("\"detail\":\"socket mode, 2 installations\""));
      com.fasterxml.jackson.databind.JsonNode workspaces = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(get(http, port, "/sandbox/api/workspaces").body());

      assertThat(get(http, port, "/readyz").body()).contains("\"detail\":\"http mode, 2 installations\"");
      assertThat(workspaces.findValuesAsText("team_id")).contains("T0ACME", "T0GLOBEX");
      Map<String, String> summary = new java.util.TreeMap<>();
      for (var team : workspaces) {
        List<String> people = new ArrayList<>();
        team.path("users").forEach(u -> {
          if (!u.path("is_bot").asBoolean()) {
            people.add(u.path("name").asText() + "<" + u.path("email").asText() + ">" + (u.path("is_admin").asBoolean() ? "*" : ""));
          }
        });
        List<String> channels = new ArrayList<>();
        team.path("channels").forEach(c -> channels.add("#" + c.path("name").asText()));
        summary.put(team.path("team_id").asText() + " " + team.path("name").asText() + " " + team.path("domain").asText(),
            people + " " + channels);
      }
      assertThat(summary).containsExactly(
          Map.entry("T0ACME Acme acme", "[alice<alice@acme.example>*, carol<carol@acme.example>, dave<dave@example.com>] [#general, #leave]"),
          Map.entry("T0GLOBEX Globex globex", "[bob<bob@globex.example>*, erin<erin@globex.example>, dave<dave@example.com>] [#general, #leave]"));
      assertThat(dir.resolve("data/demo/tandem.db")).exists();

      // Acme #general and Globex #general are synced out of the box
      http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/sandbox/api/messages"))
          .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
              "{\"team_id\":\"T0ACME\",\"channel\":\"general\",\"user\":\"carol\",\"text\":\"hello Globex\"}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(20)).until(() -> get(http, port, "/sandbox/api/messages?team_id=T0GLOBEX&channel=C0GLOBGEN").body()
          .contains("\"username\":\"carol (Acme)\""));
      assertThat(get(http, port, "/sandbox/api/messages?team_id=T0GLOBEX&channel=C0GLOBGEN").body()).contains("hello Globex");

      // #leave is a leave channel in both workspaces: an announcement gets its confirmation (over Socket Mode)
      http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/sandbox/api/messages"))
          .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
              "{\"team_id\":\"T0GLOBEX\",\"channel\":\"leave\",\"user\":\"erin\",\"text\":\"off tomorrow, dentist\"}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(20)).until(() -> get(http, port, "/sandbox/api/messages?team_id=T0GLOBEX&channel=C0GLOBLVE").body()
          .contains("leave_confirm"));
      // and Leave records confirmed leave in the sandbox's Google Calendar and Harvest, both up
      assertThat(get(http, port, "/readyz").body()).contains("leave.calendar").contains("leave.harvest");
    } finally {
      demo.process().destroy();
      assertThat(demo.process().waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
  }

  @Test
  void configCheckWithAnUnsupportedDatabaseExits2NamingIt() throws Exception {
    Run p = start(Map.of("DATABASE_URL", "mongo://x"), "config", "check");

    assertThat(p.finishes()).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(p.output()).contains("DATABASE_URL: unsupported scheme 'mongo'");
  }

  @Test
  void twoProcessesMigratingAtOnceBothSucceed() throws Exception {
    for (Dialect dialect : List.of(Dialect.SQLITE, Dialect.POSTGRESQL)) {
      Map<String, String> env = Map.of("DATABASE_URL", TestDatabases.freshUrl(dialect, dir));
      List<Run> both = List.of(start(env, "migrate"), start(env, "migrate"));

      for (Run p : both) {
        assertThat(p.finishes()).isTrue();
        assertThat(p.exitValue()).as(dialect + ": " + p.output()).isZero();
      }
      Run again = start(env, "migrate");
      assertThat(again.finishes()).isTrue();
      assertThat(again.output()).contains("core: up to date");
    }
  }

  /** A started process and the file its output goes to. */
  private record Run(Process process, Path outputFile) {
    boolean finishes() throws InterruptedException {
      return process.waitFor(120, TimeUnit.SECONDS);
    }

    int exitValue() {
      return process.exitValue();
    }

    String output() throws IOException {
      return Files.readString(outputFile, StandardCharsets.UTF_8);
    }
  }

  private Run start(Map<String, String> env, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path output = dir.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TANDEM_") || k.startsWith("DATABASE_") || k.equals("PORT"));
    pb.environment().putAll(env);
    return new Run(pb.start(), output);
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return s.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

}
