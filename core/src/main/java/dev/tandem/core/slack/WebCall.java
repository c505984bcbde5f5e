package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.util.http.SlackHttpClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.Response;

/**
 * A Web API call for the hot path: the form posted through the app's HTTP client (same timeouts,
 * same metrics interceptor), the answer read with Jackson as a tree. The SDK's typed methods build
 * a new Gson and reflect over the whole {@code Message} model for every answer, which cost more CPU
 * than the rest of a sync delivery together (measured with {@code tandem bench sync-latency}).
 */
public final class WebCall {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SlackHttpClient http;
  private final String apiUrl;
  private final String token;

  WebCall(SlackHttpClient http, String apiUrl, String token) {
    this.http = http;
    this.apiUrl = apiUrl;
    this.token = token;
  }

  /** Slack's answer: {@code ok}, {@code error} and the whole body. */
  public static final class Answer implements SlackApiTextResponse {
    private final JsonNode body;
    private Map<String, List<String>> headers = Map.of();

    Answer(JsonNode body) {
      this.body = body;
    }

    public JsonNode body() {
      return body;
    }

    @Override
    public boolean isOk() {
      return body.path("ok").asBoolean(false);
    }

    @Override
    public String getError() {
      return body.path("error").textValue();
    }

    @Override
    public String getWarning() {
      return body.path("warning").textValue();
    }

    @Override
    public String getNeeded() {
      return body.path("needed").textValue();
    }

    @Override
    public String getProvided() {
      return body.path("provided").textValue();
    }

    @Override
    public Map<String, List<String>> getHttpResponseHeaders() {
      return headers;
    }

    @Override
    public void setHttpResponseHeaders(Map<String, List<String>> headers) {
      this.headers = headers;
    }

    @Override
    public void setOk(boolean ok) {
      throw new UnsupportedOperationException("an answer is read-only");
    }

    @Override
    public void setError(String error) {
      throw new UnsupportedOperationException("an answer is read-only");
    }

    @Override
    public void setWarning(String warning) {
      throw new UnsupportedOperationException("an answer is read-only");
    }

    @Override
    public void setNeeded(String needed) {
      throw new UnsupportedOperationException("an answer is read-only");
    }

    @Override
    public void setProvided(String provided) {
      throw new UnsupportedOperationException("an answer is read-only");
    }
  }

  /**
   * Posts {@code form} (null values left out) to {@code method}. A non-200 answer is thrown as
   * {@link SlackApiException}, as the SDK does, so that {@link SlackCalls} treats both alike.
   */
  public Answer post(String method, Map<String, String> form) throws IOException, SlackApiException {
    FormBody.Builder body = new FormBody.Builder();
    form.forEach((k, v) -> {
      if (v != null) {
        body.add(k, v);
      }
    });
    try (Response response = http.postFormWithBearerHeader(apiUrl + method, token, body.build())) {
      String text = response.body() == null ? "" : response.body().string();
      if (response.code() != 200) {
        throw new SlackApiException(response, text);
      }
      Answer answer = new Answer(JSON.readTree(text));
      answer.setHttpResponseHeaders(response.headers().toMultimap());
      return answer;
    }
  }
}
