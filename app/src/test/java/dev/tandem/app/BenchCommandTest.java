package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem bench admin-records} on a small data set: every request answered, every figure present. */
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void adminRecordsMeasuresEveryRequestAndExportsEveryRecord() throws Exception {
    CliFixture.Result r = CliFixture.run(Map.of("TANDEM_DATA_DIR", dir.toString()), dir, "bench", "admin-records", "--messages", "1000");
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode result = new ObjectMapper().readTree(r.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    assertThat(result.path("bench").asText()).isEqualTo("admin-records");
    assertThat(result.path("params").path("records").asInt()).isEqualTo(1000);
    JsonNode metrics = result.path("metrics");
    for (String request : new String[] {"api_list", "api_failed", "api_person_range", "api_last_page", "page_records", "page_dashboard"}) {
      assertThat(metrics.path(request + "_p50_ms").asDouble()).as(request).isPositive();
      assertThat(metrics.path(request + "_p99_ms").asDouble()).as(request).isGreaterThanOrEqualTo(metrics.path(request + "_p50_ms").asDouble());
    }
    assertThat(metrics.path("csv_lines").asInt()).as("a header and every record").isEqualTo(1001);
  }
}
