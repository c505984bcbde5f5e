package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.config.ConfigReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All roles in-process on an SQLite file in a fresh directory, over real HTTP. */
class ServeIT {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void startsOnSqliteInAFreshDirectoryAndReportsHealthReadinessAndMetrics() throws Exception {
    Settings settings = Settings.read(new ConfigReader(Map.of("PORT", "0", "TANDEM_DATA_DIR", dir.resolve("data").toString()), Map.of()));
    try (Wiring wiring = new Wiring(settings, Clock.systemUTC())) {
      int port = wiring.start(Wiring.allRoles());

      HttpResponse<String> health = get(port, "/healthz");
      HttpResponse<String> ready = get(port, "/readyz");
      HttpResponse<String> metrics = get(port, "/metrics");

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(ready.statusCode()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(ready.body());
      assertThat(body.at("/checks/database/status").asText()).isEqualTo("up");
      assertThat(body.at("/checks/slack.sync/status").asText()).isEqualTo("not_configured");
      assertThat(body.at("/checks/slack.leave/status").asText()).isEqualTo("not_configured");
      assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("tandem_jobs_queue_depth{status=\"queued\"}")
          .contains("hikaricp_connections");
      assertThat(dir.resolve("data/tandem.db")).exists();
      assertThat(dir.resolve("data/secret.key")).exists();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
