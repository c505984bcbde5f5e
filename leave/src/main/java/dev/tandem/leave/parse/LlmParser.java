package dev.tandem.leave.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.core.config.Secret;
import dev.tandem.core.log.Redactor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional LLM parser: asks an OpenAI-compatible Chat Completions API (see {@link LlmSettings})
 * for the contract's output with strict structured output, holds the answer to the contract
 * ({@link LlmOutput}), and on any failure answers with the fallback parser (the rule parser) for the
 * same input. Unlike the reference bot, no failure is silent: each fallback is logged at WARN with
 * its reason (never the key, never the message text) and counted in
 * {@code tandem.leave.llm.fallbacks{reason}}; every parse counts in
 * {@code tandem.leave.llm.calls{outcome=llm|fallback}}.
 *
 * <p>The request carries only {@code model}, {@code temperature}, {@code messages} and
 * {@code response_format}: no {@code reasoning} parameters, which non-reasoning models reject.
 * Thread-safe; one request per parse, blocking the caller for at most the configured timeout.
 */
public final class LlmParser implements LeaveParser, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LlmParser.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SYSTEM_PROMPT = resource("llm-system-prompt.txt");
  private static final int MAX_DETAIL = 300;

  /** Who answered a parse. */
  public enum Source { LLM, RULES }

  /** Why the LLM's answer was not used; {@link #tag()} is the metric tag and log word. */
  public enum Reason {
    /** No complete answer within the timeout. */
    TIMEOUT,
    /** The server answered with a status outside 2xx. */
    HTTP_ERROR,
    /** The response body, or the answer inside it, is not JSON. */
    INVALID_JSON,
    /** JSON of the wrong shape: no {@code choices[0].message.content}, or an answer outside the schema. */
    WRONG_SCHEMA,
    /** An answer of the right shape that the contract forbids, or a refusal by the model. */
    INVALID_OUTPUT,
    /** No connection: refused, unknown host, TLS failure, reset, connect timeout, or the caller interrupted. */
    UNREACHABLE;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why the LLM's answer was not used, with a detail for logs and the bot (no message text, no key). */
  public record Failure(Reason reason, String detail) {}

  /** A parse and who answered it; {@code failure} is present exactly when the rules answered. */
  public record Answer(ParsedLeave leave, Source source, Optional<Failure> failure) {}

  /** The start-up check: whether the model answered with structured output, and a sentence for people. */
  public record Check(boolean ok, String message) {}

  private final LlmSettings settings;
  private final LeaveParser fallback;
  private final HttpClient http;
  private final Counter answered;
  private final Counter fellBack;
  private final Map<Reason, Counter> fallbacks = new EnumMap<>(Reason.class);

  public LlmParser(LlmSettings settings, MeterRegistry metrics, LeaveParser fallback) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    Objects.requireNonNull(metrics, "metrics");
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    this.answered = Counter.builder("tandem.leave.llm.calls").tag("outcome", "llm")
        .description("Leave messages parsed by the LLM parser, by who answered").register(metrics);
    this.fellBack = Counter.builder("tandem.leave.llm.calls").tag("outcome", "fallback")
        .description("Leave messages parsed by the LLM parser, by who answered").register(metrics);
    for (Reason r : Reason.values()) {
      fallbacks.put(r, Counter.builder("tandem.leave.llm.fallbacks").tag("reason", r.tag())
          .description("Leave messages the rule parser answered because the LLM failed, by reason").register(metrics));
    }
  }

  /** The LLM's answer if it holds to the contract, else the fallback's; see {@link #answer}. */
  @Override
  public ParsedLeave parse(String text, LocalDate today, List<String> thread) {
    return answer(text, today, thread).leave();
  }

  /** Parses one message and says who answered, the poster's time zone unknown. Never throws. */
  public Answer answer(String text, LocalDate today, List<String> thread) {
    return answer(text, today, Optional.empty(), thread);
  }

  /**
   * Parses one message and says who answered; {@code zone} is the poster's time zone, passed to the
   * model as context. Never throws for any text or any server behaviour.
   */
  public Answer answer(String text, LocalDate today, ZoneId zone, List<String> thread) {
    return answer(text, today, Optional.of(zone), thread);
  }

  private Answer answer(String text, LocalDate today, Optional<ZoneId> zone, List<String> thread) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(today, "today");
    List<String> earlier = List.copyOf(thread);
    Supplier<ParsedLeave> rules = memo(() -> fallback.parse(text, today, earlier));
    try {
      ParsedLeave leave = LlmOutput.read(JSON, ask(text, today, zone, earlier), today, text, earlier, rules);
      answered.increment();
      return new Answer(leave, Source.LLM, Optional.empty());
    } catch (Failed e) {
      fellBack.increment();
      fallbacks.get(e.reason).increment();
      log.warn("llm={} model={} reason={} - the LLM's leave parse was not used, the rule parser answered: {}",
          settings.baseUrl().getHost(), settings.model(), e.reason.tag(), e.detail);
      return new Answer(rules.get(), Source.RULES, Optional.of(new Failure(e.reason, e.detail)));
    }
  }

  /**
   * A start-up probe: one short made-up message, proving that the server is reachable, accepts the
   * request's parameters (model, strict json_schema) and answers within the contract. Not counted
   * in the metrics. On failure the message names the server, the model and what went wrong,
   * including the API's own error message (for example a model that rejects structured output).
   */
  public Check check() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String probe = "Out sick tomorrow, sorry.";
    try {
      LlmOutput.read(JSON, ask(probe, today, Optional.of(ZoneOffset.UTC), List.of()), today, probe, List.of(),
          memo(() -> fallback.parse(probe, today, List.of())));
      return new Check(true, "LLM leave parser: model " + settings.model() + " at " + settings.baseUrl()
          + " answers with structured output");
    } catch (Failed e) {
      return new Check(false, "LLM leave parser: model " + settings.model() + " at " + settings.baseUrl() + " failed the check ("
          + e.reason.tag() + "): " + e.detail.replaceAll("[.\\s]+$", "") + ". Until it passes, the rule parser answers every leave message.");
    }
  }

  @Override
  public void close() {
    http.shutdownNow();
  }

  /** The answer's content string, or why there is none. */
  private String ask(String text, LocalDate today, Optional<ZoneId> zone, List<String> thread) throws Failed {
    HttpResponse<String> response = send(request(text, today, zone, thread));
    if (response.statusCode() / 100 != 2) {
      throw new Failed(Reason.HTTP_ERROR, "HTTP " + response.statusCode() + errorMessage(response.body()));
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new Failed(Reason.INVALID_JSON, "the response body is not JSON");
    }
    JsonNode message = body == null ? null : body.path("choices").path(0).path("message");
    if (message == null || !message.isObject()) {
      throw new Failed(Reason.WRONG_SCHEMA, "the response has no choices[0].message");
    }
    if (message.hasNonNull("refusal")) {
      throw new Failed(Reason.INVALID_OUTPUT, "the model refused to answer");
    }
    JsonNode content = message.path("content");
    if (!content.isTextual() || content.textValue().isBlank()) {
      throw new Failed(Reason.WRONG_SCHEMA, "the response has no choices[0].message.content (finish_reason "
          + body.path("choices").path(0).path("finish_reason").asText("absent") + ")");
    }
    return content.textValue();
  }

  private HttpRequest request(String text, LocalDate today, Optional<ZoneId> zone, List<String> thread) {
    ObjectNode body = JSON.createObjectNode().put("model", settings.model()).put("temperature", 0);
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
    ObjectNode input = JSON.createObjectNode().put("text", text).put("today", today.toString())
        .put("weekday", today.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    zone.ifPresent(z -> input.put("time_zone", z.getId()));
    var earlier = input.putArray("thread");
    thread.forEach(earlier::add);
    messages.addObject().put("role", "user").put("content", "Parse this leave message:\n" + input);
    ObjectNode format = body.putObject("response_format").put("type", "json_schema");
    format.putObject("json_schema").put("name", "leave_parse").put("strict", true).set("schema", LlmOutput.schema(JSON));

    HttpRequest.Builder request = HttpRequest.newBuilder(settings.chatCompletions())
        .timeout(settings.timeout())
        // plain HTTP/1.1 to http:// servers: some local ones (uvicorn, llama.cpp) mishandle the h2c upgrade
        .version("https".equalsIgnoreCase(settings.baseUrl().getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    settings.apiKey().map(Secret::reveal).ifPresent(key -> {
      if (settings.azure()) {
        request.header("api-key", key);
      } else {
        request.header("Authorization", "Bearer " + key);
      }
    });
    return request.build();
  }

  /** Sends with the timeout on the whole exchange: the request's own timeout stops at the headers. */
  private HttpResponse<String> send(HttpRequest request) throws Failed {
    CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      return pending.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new Failed(Reason.TIMEOUT, "no complete answer within " + settings.timeout().toMillis() + " ms");
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new Failed(Reason.UNREACHABLE, "interrupted while waiting for the answer");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpConnectTimeoutException) {
        throw new Failed(Reason.UNREACHABLE, "no connection within " + settings.timeout().toMillis() + " ms");
      }
      if (cause instanceof HttpTimeoutException) {
        throw new Failed(Reason.TIMEOUT, "no answer within " + settings.timeout().toMillis() + " ms");
      }
      throw new Failed(Reason.UNREACHABLE, "cannot reach " + settings.baseUrl() + ": " + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : " " + clean(cause.getMessage())));
    }
  }

  /** The API's own error message (OpenAI's {@code {"error":{"message","type","code"}}}), if the body has one. */
  private String errorMessage(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      String message = error.isTextual() ? error.textValue() : error.path("message").asText("");
      String code = error.path("code").isValueNode() && !error.path("code").isNull() ? error.path("code").asText() : "";
      return message.isBlank() ? "" : ": " + clean(message) + (code.isBlank() ? "" : " (code " + clean(code) + ")");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Bounded, and the key masked even where the Redactor does not know it (keys shorter than it registers). */
  private String clean(String s) {
    String out = Redactor.redact(s);
    String key = settings.apiKey().map(Secret::reveal).orElse("");
    if (!key.isEmpty()) {
      out = out.replace(key, Redactor.MASK);
    }
    return out.length() <= MAX_DETAIL ? out : out.substring(0, MAX_DETAIL) + "…";
  }

  private static <T> Supplier<T> memo(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }

  private static String resource(String name) {
    try (InputStream in = LlmParser.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " beside " + LlmParser.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }

  /** Why an answer cannot be used: the flow inside this package, never seen outside it. */
  static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;
    final Reason reason;
    final String detail;

    Failed(Reason reason, String detail) {
      super(reason.tag() + ": " + detail, null, false, false);
      this.reason = reason;
      this.detail = detail;
    }
  }
}
