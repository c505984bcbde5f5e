package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts and times every Web API call of one app, by method, HTTP status and Slack's error code,
 * as an OkHttp interceptor: 429s, 5xx answers and network failures ({@code status="io_error"})
 * are counted too (the SDK's response listeners only see successful answers).
 */
final class ApiCallMetrics implements Interceptor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_PEEK_BYTES = 64 * 1024;
  private final String app;
  private final MeterRegistry metrics;

  ApiCallMetrics(String app, MeterRegistry metrics) {
    this.app = app;
    this.metrics = metrics;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    String path = chain.request().url().encodedPath();
    String method = path.substring(path.lastIndexOf('/') + 1);
    long started = System.nanoTime();
    Response response;
    try {
      response = chain.proceed(chain.request());
    } catch (IOException e) {
      record(method, "io_error", "none", started);
      throw e;
    }
    String error = response.code() == 429 ? "ratelimited" : errorOf(response);
    record(method, String.valueOf(response.code()), error, started);
    return response;
  }

  private void record(String method, String status, String error, long started) {
    Timer.builder("tandem.slack.api.calls").description("Slack Web API calls")
        .tag("app", app).tag("method", method).tag("status", status).tag("error", error)
        .register(metrics)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  private static String errorOf(Response response) {
    String type = response.header("Content-Type", "");
    if (!type.startsWith("application/json")) {
      return "none";
    }
    try {
      JsonNode node = JSON.readTree(response.peekBody(MAX_PEEK_BYTES).string());
      return node.path("ok").asBoolean(true) ? "none" : node.path("error").asText("unknown");
    } catch (IOException e) {
      return "unparsable";
    }
  }
}
