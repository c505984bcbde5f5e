package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.util.http.listener.HttpResponseListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Counts and times every Web API call of one app, by method, HTTP status and Slack's error code. */
final class ApiCallMetrics extends HttpResponseListener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String app;
  private final MeterRegistry metrics;

  ApiCallMetrics(String app, MeterRegistry metrics) {
    this.app = app;
    this.metrics = metrics;
  }

  @Override
  public void accept(State state) {
    okhttp3.Response response = state.getResponse();
    String path = response.request().url().encodedPath();
    String method = path.substring(path.lastIndexOf('/') + 1);
    Timer.builder("tandem.slack.api.calls").description("Slack Web API calls")
        .tag("app", app).tag("method", method).tag("status", String.valueOf(response.code()))
        .tag("error", errorOf(state.getParsedResponseBody()))
        .register(metrics)
        .record(Math.max(0, response.receivedResponseAtMillis() - response.sentRequestAtMillis()), TimeUnit.MILLISECONDS);
  }

  private static String errorOf(String body) {
    if (body == null || body.isEmpty() || body.charAt(0) != '{') {
      return "none";
    }
    try {
      JsonNode node = JSON.readTree(body);
      return node.path("ok").asBoolean(true) ? "none" : node.path("error").asText("unknown");
    } catch (java.io.IOException e) {
      return "unparsable";
    }
  }
}
