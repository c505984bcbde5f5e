package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible Chat Completions server whose answers tests script, for the LLM leave parser.
 * {@code POST <prefix>/openai/v1/chat/completions} (OpenAI, Ollama, vLLM style) and
 * {@code POST <prefix>/openai/deployments/{name}/chat/completions?api-version=…} (Azure style) answer
 * in Chat Completions' response shape (API reference, https://platform.openai.com/docs/api-reference/chat/object)
 * with the next scripted {@link Answer}, or 503 when none is left. Errors use OpenAI's shape
 * {@code {"error":{"message","type","param","code"}}}; like OpenAI it refuses a request without
 * {@code model} or {@code messages} and a strict {@code json_schema} whose objects do not list every
 * property as required or allow additional properties (Structured Outputs guide). Every request is
 * recorded, headers included, before it is judged.
 *
 * <p>Scripted over HTTP too: {@code POST <prefix>/api/llm/script} (a JSON list of answers),
 * {@code GET <prefix>/api/llm/requests}, {@code POST <prefix>/api/llm/reset}; see docs/SANDBOX.md.
 * A slow answer parks its request without holding a thread, so other requests go on; reset and close
 * release parked requests at once with a 503. Thread-safe.
 */
public final class FakeOpenAi implements AutoCloseable {
  /** How many requests are kept for inspection (the newest). */
  static final int REQUEST_CAPACITY = 1000;

  /** One scripted answer to one chat completion request. */
  public sealed interface Answer {
    /** A valid answer: {@code json} (a JSON object) becomes the message content, as structured output returns it. */
    static Answer content(String json) {
      if (!(Json.read(json) instanceof Map<?, ?>)) {
        throw new IllegalArgumentException("content must be a JSON object: " + json);
      }
      return new Content(json);
    }

    /** Content that is not JSON: a model cut off mid-answer. */
    static Answer invalidJson() {
      return new Content("{\"is_leave\": true, \"dates\": [{\"date\": \"2026-");
    }

    /** A JSON object of the wrong schema: the reference bot's field names. */
    static Answer wrongSchema() {
      return new Content("{\"is_leave_request\":true,\"is_cancellation\":false,\"confidence\":\"high\",\"dates\":[]}");
    }

    /** The model refuses: {@code content} null, {@code refusal} set. */
    static Answer refusal(String text) {
      return new Refusal(Objects.requireNonNull(text, "text"));
    }

    /** An HTTP error with OpenAI's error body; type and code as OpenAI gives them for the usual statuses. */
    static Answer error(int status, String message) {
      return new HttpError(status, message, switch (status) {
        case 429 -> "requests";
        default -> status >= 500 ? "server_error" : "invalid_request_error";
      }, switch (status) {
        case 401 -> "invalid_api_key";
        case 404 -> "model_not_found";
        case 429 -> "rate_limit_exceeded";
        default -> null;
      });
    }

    /** {@code then}, after {@code delay}; the request waits without holding a server thread. */
    static Answer slow(Duration delay, Answer then) {
      return new Slow(delay, then);
    }
  }

  record Content(String json) implements Answer {}

  record Refusal(String text) implements Answer {}

  record HttpError(int status, String message, String type, String code, String param) implements Answer {
    HttpError(int status, String message, String type, String code) {
      this(status, message, type, code, null);
    }

    HttpError {
      if (status < 400 || status > 599) throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
      Objects.requireNonNull(message, "message");
    }
  }

  record Slow(Duration delay, Answer then) implements Answer {
    Slow {
      if (delay.isNegative()) throw new IllegalArgumentException("negative delay: " + delay);
      Objects.requireNonNull(then, "then");
    }
  }

  /** A request as received: path, query parameters, headers (names lower case) and the body (parsed when JSON). */
  public record Request(String path, Map<String, String> query, Map<String, String> headers, Object body) {
    public Request {
      query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
  }

  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final Journal<Request> requests = new Journal<>(REQUEST_CAPACITY);
  /** Slow answers still waiting: completed with {@code true} when their delay is over, {@code false} when released. */
  private final Set<CompletableFuture<Boolean>> parked = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();

  FakeOpenAi(Clock clock, ScheduledExecutorService timer) {
    this.clock = clock;
    this.timer = timer;
  }

  /** Appends answers, used in order, one per accepted request. */
  public void script(Answer... answers) {
    script.addAll(List.of(answers));
  }

  /** Scripted answers not used yet. */
  public int queued() {
    return script.size();
  }

  /** Requests received, oldest first (the newest 1000), rejected ones included. */
  public List<Request> requests() {
    return requests.snapshot();
  }

  /** Forgets the script and the recorded requests, and releases waiting slow answers with a 503. */
  public void reset() {
    script.clear();
    requests.clear();
    release();
  }

  /** Releases waiting slow answers with a 503, so a server stop never waits for them. */
  @Override
  public void close() {
    script.clear();
    release();
  }

  private void release() {
    for (CompletableFuture<Boolean> f : parked) {
      f.complete(false);
    }
  }

  void routes(RoutesConfig r, String prefix) {
    r.post(prefix + "/openai/v1/chat/completions", ctx -> chat(ctx, false));
    r.post(prefix + "/openai/deployments/{deployment}/chat/completions", ctx -> chat(ctx, true));
    new LlmScriptApi(this).routes(r, prefix + "/api/llm");
  }

  private void chat(Context ctx, boolean azure) {
    Map<String, String> query = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
    Map<String, String> headers = new LinkedHashMap<>();
    ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    Object body;
    try {
      body = Json.read(ctx.body());
    } catch (IllegalArgumentException e) {
      body = ctx.body();
    }
    requests.add(new Request(ctx.path(), query, headers, body));

    if (azure && query.get("api-version") == null) {
      // Azure answers a deployment path without api-version as an unknown resource
      json(ctx, 404, obj("error", obj("code", "404", "message", "Resource not found")));
      return;
    }
    if (!(body instanceof Map<?, ?> map)) {
      error(ctx, new HttpError(400, "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.",
          "invalid_request_error", null));
      return;
    }
    HttpError refused = refusal(Json.map(map));
    if (refused != null) {
      error(ctx, refused);
      return;
    }
    Answer next = script.poll();
    if (next == null) {
      error(ctx, new HttpError(503, "The sandbox has no answer scripted for this request: script one with FakeOpenAi.script(...) "
          + "or POST <prefix>/api/llm/script.", "server_error", "sandbox_no_answer_scripted"));
      return;
    }
    answer(ctx, next, String.valueOf(map.get("model")), Json.map(map));
  }

  private void answer(Context ctx, Answer a, String model, Map<String, Object> request) {
    switch (a) {
      case Content c -> json(ctx, 200, completion(model, request, c.json(), null));
      case Refusal r -> json(ctx, 200, completion(model, request, null, r.text()));
      case HttpError e -> error(ctx, e);
      case Slow s -> {
        long delay = 0;
        Answer then = s;
        while (then instanceof Slow inner) {
          delay += inner.delay().toMillis();
          then = inner.then();
        }
        Answer after = then;
        CompletableFuture<Boolean> due = new CompletableFuture<>();
        parked.add(due);
        try {
          timer.schedule(() -> due.complete(true), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
          due.complete(false);
        }
        ctx.future(() -> due.thenAccept(onTime -> {
          parked.remove(due);
          if (onTime) {
            answer(ctx, after, model, request);
          } else {
            error(ctx, new HttpError(503, "The sandbox was reset or closed while this answer was delayed.", "server_error",
                "sandbox_released"));
          }
        }));
      }
    }
  }

  /** Chat Completions' response object, one choice, finished with {@code stop}. */
  private Map<String, Object> completion(String model, Map<String, Object> request, String content, String refusal) {
    int prompt = 0;
    if (request.get("messages") instanceof List<?> messages) {
      for (Object m : messages) {
        prompt += m instanceof Map<?, ?> mm ? tokens(String.valueOf(mm.get("content"))) : 0;
      }
    }
    int completion = tokens(content == null ? refusal : content);
    return obj("id", "chatcmpl-sbx" + ids.incrementAndGet(), "object", "chat.completion",
        "created", clock.millis() / 1000, "model", model,
        "choices", List.of(obj("index", 0,
            "message", obj("role", "assistant", "content", content, "refusal", refusal, "annotations", List.of()),
            "logprobs", null, "finish_reason", "stop")),
        "usage", obj("prompt_tokens", prompt, "completion_tokens", completion, "total_tokens", prompt + completion,
            "prompt_tokens_details", obj("cached_tokens", 0, "audio_tokens", 0),
            "completion_tokens_details", obj("reasoning_tokens", 0, "audio_tokens", 0,
                "accepted_prediction_tokens", 0, "rejected_prediction_tokens", 0)),
        "service_tier", "default", "system_fingerprint", "fp_sandbox");
  }

  /** A rough count (four characters a token), enough for a usage block's shape. */
  private static int tokens(String s) {
    return (s.length() + 3) / 4;
  }

  /** The 400 OpenAI would answer the request with, or null. */
  private static HttpError refusal(Map<String, Object> body) {
    if (!(body.get("model") instanceof String model) || model.isBlank()) {
      return new HttpError(400, "you must provide a model parameter", "invalid_request_error", null);
    }
    if (!(body.get("messages") instanceof List<?> messages) || messages.isEmpty()) {
      return new HttpError(400, "Missing required parameter: 'messages'.", "invalid_request_error", "missing_required_parameter",
          "messages");
    }
    if (body.get("response_format") instanceof Map<?, ?> format && "json_schema".equals(format.get("type"))) {
      if (!(format.get("json_schema") instanceof Map<?, ?> js) || !(js.get("name") instanceof String name)
          || !name.matches("[A-Za-z0-9_-]{1,64}") || !(js.get("schema") instanceof Map<?, ?> schema)) {
        return new HttpError(400, "Invalid 'response_format.json_schema': it needs a name (letters, digits, _ or -, at most 64) "
            + "and a schema object.", "invalid_request_error", null, "response_format");
      }
      String problem = Boolean.TRUE.equals(js.get("strict")) ? strictProblem(Json.map(schema), "()") : null;
      if (problem != null) {
        return new HttpError(400, "Invalid schema for response_format '" + name + "': In context=" + problem,
            "invalid_request_error", null, "response_format");
      }
    }
    return null;
  }

  /** Strict mode's rule on every object of the schema: all properties required, no additional ones. */
  private static String strictProblem(Map<String, Object> schema, String where) {
    if (schema.get("properties") instanceof Map<?, ?> props) {
      if (!Boolean.FALSE.equals(schema.get("additionalProperties"))) {
        return where + ", 'additionalProperties' is required to be supplied and to be false.";
      }
      List<?> required = schema.get("required") instanceof List<?> l ? l : List.of();
      for (Object key : props.keySet()) {
        if (!required.contains(key)) {
          return where + ", 'required' is required to be supplied and to be an array including every key in properties. Missing '"
              + key + "'.";
        }
      }
      for (Map.Entry<?, ?> e : props.entrySet()) {
        String inner = e.getValue() instanceof Map<?, ?> m ? strictProblem(Json.map(m), where + ".properties." + e.getKey()) : null;
        if (inner != null) {
          return inner;
        }
      }
    }
    if (schema.get("items") instanceof Map<?, ?> items) {
      return strictProblem(Json.map(items), where + ".items");
    }
    return null;
  }

  private static void error(Context ctx, HttpError e) {
    json(ctx, e.status(), obj("error", obj("message", e.message(), "type", e.type(), "param", e.param(), "code", e.code())));
  }

  /** Written by hand so that nulls stay, as OpenAI sends them ({@code refusal: null}). */
  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
