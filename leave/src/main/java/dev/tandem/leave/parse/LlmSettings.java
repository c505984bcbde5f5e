package dev.tandem.leave.parse;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.config.Secret;
import dev.tandem.core.log.Redactor;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the optional LLM parser sends leave messages: any server speaking OpenAI's Chat Completions
 * API (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp). Absent unless {@code TANDEM_LEAVE_LLM_URL}
 * is set, so the rule parser alone stays the default and Tandem needs no network to parse leave.
 *
 * @param baseUrl the API base without {@code /chat/completions} and without a trailing slash,
 *     e.g. {@code https://api.openai.com/v1} or an Azure deployment URL
 * @param model the model name sent in every request (Azure deployments ignore it)
 * @param apiKey the key, if the server wants one (Ollama does not)
 * @param timeout limit on one whole request, connection to last byte; past it the rules answer
 * @param apiVersion Azure's {@code api-version} query parameter; when present the request is
 *     Azure-style (also for a non-Azure host, which is how the sandbox stands in for Azure)
 */
public record LlmSettings(URI baseUrl, String model, Optional<Secret> apiKey, Duration timeout, Optional<String> apiVersion) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final String URL = "TANDEM_LEAVE_LLM_URL";
  static final String MODEL = "TANDEM_LEAVE_LLM_MODEL";
  static final String API_KEY = "TANDEM_LEAVE_LLM_API_KEY";
  static final String TIMEOUT = "TANDEM_LEAVE_LLM_TIMEOUT";
  static final String API_VERSION = "TANDEM_LEAVE_LLM_API_VERSION";

  public LlmSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(apiVersion, "apiVersion");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout <= 0: " + timeout);
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("model is blank");
    }
    baseUrl = URI.create(checkedBase(baseUrl.toString()));
  }

  /**
   * The LLM settings, or empty when {@code TANDEM_LEAVE_LLM_URL} is unset (the LLM is off). Every
   * setting is read either way so that all of them appear in {@code config check} and the docs;
   * a URL without a model, or an Azure deployment URL without an API version, is a problem by name.
   */
  public static Optional<LlmSettings> read(ConfigReader config) {
    Optional<URI> url = config.parse(URL, null,
        "Base URL of an OpenAI-compatible Chat Completions API for parsing leave messages with an LLM, e.g. "
            + "https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), a vLLM server's /v1 or an Azure deployment "
            + "https://RESOURCE.openai.azure.com/openai/deployments/DEPLOYMENT. Unset: the built-in rule parser alone. "
            + "When the LLM fails or answers outside the contract, the rule parser answers instead.",
        false, raw -> URI.create(checkedBase(raw.strip())));
    Optional<String> model = config.optionalString(MODEL,
        "Model for the LLM leave parser, e.g. gpt-4o-mini or llama3.1:8b; required with " + URL + ". It must support "
            + "structured output (response_format json_schema).");
    Optional<Secret> key = config.secret(API_KEY,
        "API key of the LLM server: sent as 'Authorization: Bearer', or as 'api-key' to Azure. Leave unset for servers "
            + "without keys (Ollama).");
    Duration timeout = config.duration(TIMEOUT, DEFAULT_TIMEOUT, Duration.ofMillis(100),
        "Longest wait for one LLM answer (connection to last byte); past it the rule parser answers.");
    Optional<String> apiVersion = config.optionalString(API_VERSION,
        "Azure OpenAI only: the api-version query parameter, e.g. 2024-10-21. Required by Azure deployment URLs "
            + "(.../openai/deployments/NAME); setting it also makes requests Azure-style (api-key header).");
    if (url.isEmpty()) {
      return Optional.empty();
    }
    if (model.isEmpty()) {
      config.problem(MODEL, "required when " + URL + " is set (the model to ask, e.g. gpt-4o-mini)");
      return Optional.empty();
    }
    if (apiVersion.isEmpty() && url.get().getPath().contains("/openai/deployments/")) {
      config.problem(API_VERSION, "required by the Azure deployment URL " + url.get() + " (e.g. 2024-10-21)");
      return Optional.empty();
    }
    return Optional.of(new LlmSettings(url.get(), model.get().strip(), key, timeout, apiVersion.map(String::strip)));
  }

  /** Azure OpenAI wants its key in an {@code api-key} header and (for deployment URLs) an {@code api-version} query. */
  public boolean azure() {
    String host = baseUrl.getHost().toLowerCase(Locale.ROOT);
    return apiVersion.isPresent() || host.endsWith(".azure.com");
  }

  /** The Chat Completions endpoint, with Azure's {@code api-version} when given. */
  public URI chatCompletions() {
    return URI.create(baseUrl + "/chat/completions"
        + apiVersion.map(v -> "?api-version=" + URLEncoder.encode(v, StandardCharsets.UTF_8)).orElse(""));
  }

  private static String checkedBase(String raw) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: '" + Redactor.redact(raw) + "' (expected for example https://api.openai.com/v1)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL: '" + Redactor.redact(raw) + "' (expected for example https://api.openai.com/v1)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("the base URL takes no query or fragment: '" + Redactor.redact(raw) + "' (Azure's api-version goes in "
          + API_VERSION + ")");
    }
    String base = raw.replaceAll("/+$", "");
    if (base.endsWith("/chat/completions")) {
      throw new IllegalArgumentException("give the base URL without /chat/completions: '" + Redactor.redact(raw) + "'");
    }
    return base;
  }
}
