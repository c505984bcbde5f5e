package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import dev.tandem.sandbox.FakeOpenAi.Answer;
import dev.tandem.sandbox.FakeOpenAi.HttpError;
import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link FakeOpenAi}'s script over HTTP, under {@code <prefix>/api/llm}: {@code POST /script} appends a
 * JSON list of answers, each an object with a {@code kind}: {@code content} (with {@code content}, a
 * JSON object), {@code invalid_json}, {@code wrong_schema}, {@code refusal} (optional {@code refusal}
 * text), {@code error} ({@code status}, optional {@code message}, {@code type}, {@code code}) or
 * {@code slow} ({@code delay_ms}, optional {@code then}, another answer; by default a not-leave answer).
 * {@code GET /requests} lists the requests received; {@code POST /reset} forgets both and releases
 * waiting slow answers. A bad answer list answers 400 and queues nothing.
 */
final class LlmScriptApi {
  private final FakeOpenAi llm;

  LlmScriptApi(FakeOpenAi llm) {
    this.llm = llm;
  }

  void routes(RoutesConfig r, String p) {
    r.post(p + "/script", ControlApi.safe(ctx -> {
      if (!(Json.read(ctx.body()) instanceof List<?> list)) {
        throw new IllegalArgumentException("body must be a JSON list of answers");
      }
      List<Answer> answers = new ArrayList<>();
      for (Object a : list) {
        answers.add(answer(a));
      }
      llm.script(answers.toArray(Answer[]::new));
      ctx.json(obj("queued", llm.queued()));
    }));
    r.get(p + "/requests", ControlApi.safe(ctx -> ctx.contentType("application/json").result(Json.write(llm.requests()))));
    r.post(p + "/reset", ControlApi.safe(ctx -> {
      llm.reset();
      ctx.json(obj("ok", true));
    }));
  }

  private static Answer answer(Object o) {
    if (!(o instanceof Map<?, ?> a) || !(a.get("kind") instanceof String kind)) {
      throw new IllegalArgumentException("each answer must be an object with a kind: content, invalid_json, wrong_schema, "
          + "refusal, error or slow");
    }
    return switch (kind) {
      case "content" -> {
        if (!(a.get("content") instanceof Map<?, ?> content)) {
          throw new IllegalArgumentException("a content answer needs content, a JSON object");
        }
        yield Answer.content(Json.write(content));
      }
      case "invalid_json" -> Answer.invalidJson();
      case "wrong_schema" -> Answer.wrongSchema();
      case "refusal" -> Answer.refusal(a.get("refusal") instanceof String text ? text : "I'm sorry, I can't help with that.");
      case "error" -> {
        if (!(a.get("status") instanceof Integer status)) {
          throw new IllegalArgumentException("an error answer needs status, 400..599");
        }
        HttpError usual = (HttpError) Answer.error(status,
            a.get("message") instanceof String m ? m : "The sandbox was told to fail this request.");
        yield new HttpError(status, usual.message(), a.get("type") instanceof String t ? t : usual.type(),
            a.get("code") instanceof String c ? c : usual.code());
      }
      case "slow" -> {
        if (!(a.get("delay_ms") instanceof Number ms) || ms.longValue() < 0) {
          throw new IllegalArgumentException("a slow answer needs delay_ms, 0 or more");
        }
        yield Answer.slow(Duration.ofMillis(ms.longValue()), a.get("then") == null
            ? Answer.content("{\"is_leave\":false,\"is_cancellation\":false,\"dates\":[]}") : answer(a.get("then")));
      }
      default -> throw new IllegalArgumentException("unknown kind '" + kind + "' (expected content, invalid_json, wrong_schema, "
          + "refusal, error or slow)");
    };
  }
}
