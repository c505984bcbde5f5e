package dev.tandem.core.slack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
  private static final long MAX_PEEK_BYTES = 8 * 1024;
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

  /** Slack's top-level {@code ok}/{@code error}, read as a stream: list answers can be large. */
  private static String errorOf(Response response) {
    String type = response.header("Content-Type", "");
    if (!type.startsWith("application/json")) {
      return "none";
    }
    try (JsonParser parser = JSON.getFactory().createParser(response.peekBody(MAX_PEEK_BYTES).byteStream())) {
      boolean ok = true;
      String error = "unknown";
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "unparsable";
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("ok".equals(field)) {
          ok = value == JsonToken.VALUE_TRUE;
          if (ok) {
            return "none"; // Slack writes "ok" first: the rest of a successful answer is not needed here
          }
        } else if ("error".equals(field) && value == JsonToken.VALUE_STRING) {
          error = parser.getText();
        } else {
          parser.skipChildren();
        }
        if (!ok && !"unknown".equals(error)) {
          break;
        }
      }
      return ok ? "none" : error;
    } catch (IOException e) {
      // a body longer than the peek ends the stream early; ok/error come first in Slack's answers
      return "none";
    }
  }
}
