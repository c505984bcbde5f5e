package dev.tandem.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake OpenAI-compatible API over HTTP: Chat Completions' shapes, OpenAI's errors, scripting and recording. */
class FakeOpenAiTest {
  private static final String LEAVE = "{\"is_leave\":true,\"is_cancellation\":false,"
      + "\"dates\":[{\"date\":\"2026-03-13\",\"type\":\"full\",\"category\":\"vacation\"}]}";
  private final FakeSlack slack = FakeSlack.create(FakeSlackOptions.forTests());
  private final String base = "http://127.0.0.1:" + slack.start(0) + "/sandbox";

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void aScriptedAnswerComesInChatCompletionsShape() {
    script("[{\"kind\":\"content\",\"content\":" + LEAVE + "}]");

    SandboxFixture.Raw r = chat(aRequest(), "sk-test");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).containsOnlyKeys("id", "object", "created", "model", "choices", "usage", "service_tier",
        "system_fingerprint");
    assertThat((String) r.body().get("id")).startsWith("chatcmpl-");
    assertThat(r.body()).containsEntry("object", "chat.completion").containsEntry("model", "gpt-test");
    assertThat(r.body().get("created")).isInstanceOf(Number.class);
    Map<String, Object> choice = map(((List<?>) r.body().get("choices")).getFirst());
    assertThat(choice).containsEntry("index", 0).containsEntry("finish_reason", "stop").containsEntry("logprobs", null);
    assertThat(map(choice.get("message"))).containsEntry("role", "assistant").containsEntry("content", LEAVE)
        .containsEntry("refusal", null);
    Map<String, Object> usage = map(r.body().get("usage"));
    assertThat((Integer) usage.get("total_tokens"))
        .isEqualTo((Integer) usage.get("prompt_tokens") + (Integer) usage.get("completion_tokens"));
  }

  @Test
  void answersAreUsedInOrderAndCoverBrokenContentAndRefusals() {
    script("[{\"kind\":\"invalid_json\"},{\"kind\":\"wrong_schema\"},{\"kind\":\"refusal\",\"refusal\":\"No.\"}]");

    String invalid = (String) message(chat(aRequest(), null)).get("content");
    String wrong = (String) message(chat(aRequest(), null)).get("content");
    Map<String, Object> refusal = message(chat(aRequest(), null));

    assertThat(invalid).startsWith("{").doesNotEndWith("}");
    assertThat(Json.readObject(wrong)).containsKey("is_leave_request").doesNotContainKey("is_leave");
    assertThat(refusal).containsEntry("content", null).containsEntry("refusal", "No.");
  }

  @Test
  void anErrorAnswerUsesOpenAisErrorShape() {
    script("[{\"kind\":\"error\",\"status\":429,\"message\":\"Rate limit reached\"}]");

    SandboxFixture.Raw r = chat(aRequest(), null);

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.body()).containsOnlyKeys("error");
    assertThat(map(r.body().get("error")))
        .containsExactlyEntriesOf(ordered("Rate limit reached", "requests", null, "rate_limit_exceeded"));
  }

  @Test
  void anUnscriptedRequestAnswers503SayingSo() {
    SandboxFixture.Raw r = chat(aRequest(), null);

    assertThat(r.status()).isEqualTo(503);
    assertThat((String) map(r.body().get("error")).get("message")).contains("no answer scripted");
    assertThat(map(r.body().get("error"))).containsEntry("type", "server_error").containsEntry("code", "sandbox_no_answer_scripted");
  }

  @Test
  void aRequestWithoutModelOrMessagesIsRefusedWithoutUsingTheScript() {
    script("[{\"kind\":\"content\",\"content\":" + LEAVE + "}]");

    SandboxFixture.Raw noModel = chat(Map.of("messages", List.of(Map.of("role", "user", "content", "hi"))), null);
    SandboxFixture.Raw noMessages = chat(Map.of("model", "gpt-test"), null);

    assertThat(noModel.status()).isEqualTo(400);
    assertThat(map(noModel.body().get("error"))).containsEntry("message", "you must provide a model parameter")
        .containsEntry("type", "invalid_request_error");
    assertThat(noMessages.status()).isEqualTo(400);
    assertThat(map(noMessages.body().get("error"))).containsEntry("param", "messages");
    assertThat(slack.openAi().queued()).isEqualTo(1);
  }

  @Test
  void aStrictSchemaMustRequireEveryPropertyAndForbidOthers() {
    script("[{\"kind\":\"content\",\"content\":" + LEAVE + "}]");
    Map<String, Object> loose = Json.obj("model", "gpt-test", "messages", List.of(Map.of("role", "user", "content", "hi")),
        "response_format", Map.of("type", "json_schema", "json_schema", Map.of("name", "leave_parse", "strict", true,
            "schema", Map.of("type", "object", "properties", Map.of("is_leave", Map.of("type", "boolean")),
                "required", List.of("is_leave")))));

    SandboxFixture.Raw r = chat(loose, null);

    assertThat(r.status()).isEqualTo(400);
    assertThat((String) map(r.body().get("error")).get("message")).contains("'leave_parse'", "additionalProperties");
  }

  @Test
  void requestsAreRecordedWithHeadersQueryAndBody() throws Exception {
    script("[{\"kind\":\"content\",\"content\":" + LEAVE + "},{\"kind\":\"content\",\"content\":" + LEAVE + "}]");
    chat(aRequest(), "sk-test");

    SandboxFixture.Raw azureWithout = post(base + "/openai/deployments/leave/chat/completions", Json.write(aRequest()), null);
    SandboxFixture.Raw azure = post(base + "/openai/deployments/leave/chat/completions?api-version=2024-10-21",
        Json.write(aRequest()), null);
    List<?> recorded = SandboxFixture.JSON.readValue(SandboxFixture.HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/api/llm/requests")).build(), HttpResponse.BodyHandlers.ofString()).body(),
        List.class);

    assertThat(azureWithout.status()).isEqualTo(404);
    assertThat(azure.status()).isEqualTo(200);
    assertThat(recorded).hasSize(3);
    Map<String, Object> first = map(recorded.getFirst());
    assertThat(first).containsEntry("path", "/sandbox/openai/v1/chat/completions");
    assertThat(map(first.get("headers"))).containsEntry("authorization", "Bearer sk-test");
    assertThat(map(first.get("body"))).containsEntry("model", "gpt-test");
    assertThat(map(map(recorded.get(2)).get("query"))).containsEntry("api-version", "2024-10-21");
  }

  @Test
  void aSlowAnswerHoldsNoOtherRequestAndResetReleasesIt() throws Exception {
    script("[{\"kind\":\"slow\",\"delay_ms\":60000},{\"kind\":\"content\",\"content\":" + LEAVE + "}]");
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/openai/v1/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(aRequest()))).build();

    CompletableFuture<HttpResponse<String>> slow = SandboxFixture.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> slack.openAi().queued() == 1);
    SandboxFixture.Raw quick = chat(aRequest(), null);

    assertThat(quick.status()).isEqualTo(200);
    assertThat(slow).isNotDone();
    assertThat(post(base + "/api/llm/reset", "{}", null).status()).isEqualTo(200);
    HttpResponse<String> released = slow.get(10, TimeUnit.SECONDS);
    assertThat(released.statusCode()).isEqualTo(503);
    assertThat(released.body()).contains("sandbox_released");
    assertThat(slack.openAi().requests()).isEmpty();
  }

  @Test
  void aBadScriptIsRefusedWholly() {
    SandboxFixture.Raw r = post(base + "/api/llm/script", "[{\"kind\":\"wrong_schema\"},{\"kind\":\"teapot\"}]", null);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("unknown kind 'teapot'");
    assertThat(slack.openAi().queued()).isZero();
  }

  private void script(String answers) {
    SandboxFixture.Raw r = post(base + "/api/llm/script", answers, null);
    assertThat(r.status()).as(r.response().body()).isEqualTo(200);
  }

  private SandboxFixture.Raw chat(Map<String, Object> body, String key) {
    return post(base + "/openai/v1/chat/completions", Json.write(body), key);
  }

  private static SandboxFixture.Raw post(String url, String body, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return SandboxFixture.send(b.build());
  }

  private static Map<String, Object> aRequest() {
    return Json.obj("model", "gpt-test", "temperature", 0, "messages", List.of(Map.of("role", "system", "content", "Parse."),
        Map.of("role", "user", "content", "off friday")));
  }

  private static Map<String, Object> message(SandboxFixture.Raw r) {
    return map(map(((List<?>) r.body().get("choices")).getFirst()).get("message"));
  }

  private static Map<String, Object> ordered(String message, String type, String param, String code) {
    return Json.obj("message", message, "type", type, "param", param, "code", code);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
