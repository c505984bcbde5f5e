package dev.tandem.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.metrics.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import io.javalin.config.RoutesConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WebServerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Metrics metrics = new Metrics();
  private final Readiness readiness = new Readiness(Duration.ofSeconds(2));
  private WebServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    metrics.close();
  }

  @Test
  void readinessListsEveryCheckAndNotConfiguredDoesNotFailIt() throws Exception {
    readiness.register(HealthCheck.of("database", () -> HealthCheck.Status.up("sqlite")));
    readiness.register(HealthCheck.of("slack.sync", () -> HealthCheck.Status.notConfigured("no credentials")));
    start(r -> {});

    HttpResponse<String> health = get("/healthz");
    HttpResponse<String> ready = get("/readyz");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(ready.body());
    assertThat(body.get("status").asText()).isEqualTo("ready");
    assertThat(body.at("/checks/database/status").asText()).isEqualTo("up");
    assertThat(body.at("/checks/slack.sync/status").asText()).isEqualTo("not_configured");
  }

  @Test
  void aFailingOrHangingCheckMakesTheProcessNotReady() throws Exception {
    readiness.register(HealthCheck.of("database", () -> {
      throw new java.sql.SQLException("connection refused to postgresql://app:pw123456@db/x");
    }));
    readiness.register(HealthCheck.of("harvest", () -> {
      new java.util.concurrent.CountDownLatch(1).await();
      return HealthCheck.Status.up("never");
    }));
    start(r -> {});

    HttpResponse<String> ready = get("/readyz");

    assertThat(ready.statusCode()).isEqualTo(503);
    JsonNode body = json.readTree(ready.body());
    assertThat(body.get("status").asText()).isEqualTo("not_ready");
    assertThat(body.at("/checks/database/status").asText()).isEqualTo("down");
    assertThat(body.at("/checks/database/detail").asText()).contains("connection refused").doesNotContain("pw123456");
    assertThat(body.at("/checks/harvest/detail").asText()).isEqualTo("no answer within 2000 ms");
  }

  @Test
  void metricsExposeJvmAndHttpMeters() throws Exception {
    start(r -> {});
    get("/healthz");

    HttpResponse<String> scrape = get("/metrics");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(scrape.body()).contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads")
        .contains("tandem_http_server_requests_seconds_count{method=\"GET\",route=\"/healthz\",status=\"200\"}");
  }

  @Test
  void bodiesOverTheLimitAreRefusedWith413BeforeTheHandlerRuns() throws Exception {
    java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
    start(r -> r.post("/echo", ctx -> {
      handled.incrementAndGet();
      ctx.result(ctx.body());
    }));

    HttpResponse<String> big = post("/echo", "x".repeat(2048));
    HttpResponse<String> small = post("/echo", "hello");

    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(json.readTree(big.body()).at("/error/code").asText()).isEqualTo("content_too_large");
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.body()).isEqualTo("hello");
    assertThat(handled).hasValue(1);
  }

  @Test
  void everyResponseCarriesSecurityHeadersAndARequestIdThatReachesTheLog() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger("dev.tandem.test.route");
    logger.addAppender(logs);
    logs.start();
    start(r -> r.get("/hello", ctx -> {
      logger.info("handling hello");
      ctx.result("hi");
    }));

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/hello")).header("X-Request-Id", "abc-123").build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> generated = get("/hello");

    assertThat(response.headers().firstValue("X-Request-Id")).contains("abc-123");
    assertThat(generated.headers().firstValue("X-Request-Id")).hasValueSatisfying(v -> assertThat(v).hasSize(36));
    assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
    assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
    assertThat(logs.list).first().satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "abc-123"));
    logger.detachAppender(logs);
  }

  @Test
  void httpsBehindAProxyAddsHsts() throws Exception {
    start(r -> {});

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/healthz")).header("X-Forwarded-Proto", "https").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000; includeSubDomains");
  }

  @Test
  void unknownRoutesAndFailuresAnswerJsonErrors() throws Exception {
    start(r -> r.get("/boom", ctx -> {
      throw new IllegalStateException("token xoxb-9999-secret-value leaked");
    }));

    HttpResponse<String> missing = get("/nope");
    HttpResponse<String> boom = get("/boom");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json.readTree(missing.body()).at("/error/code").asText()).isEqualTo("not_found");
    assertThat(boom.statusCode()).isEqualTo(500);
    assertThat(json.readTree(boom.body()).at("/error/code").asText()).isEqualTo("internal");
    assertThat(boom.body()).doesNotContain("xoxb");
  }

  @Test
  void aBrowserAskingForHtmlGetsAPageOutsideTheApis() throws Exception {
    start(r -> {});
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/admin/nope")).header("Accept", "text/html,application/xhtml+xml").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(page.body()).contains("<h1>Not found</h1>", "GET /admin/nope");
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(uri("/api/nope")).header("Accept", "text/html").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(json.readTree(api.body()).at("/error/code").asText()).as("the API answers JSON whatever it is asked").isEqualTo("not_found");
  }

  private void start(Consumer<RoutesConfig> routes) {
    server = new WebServer(new WebSettings("127.0.0.1", 0, 1024), metrics, readiness, routes);
    server.start();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
