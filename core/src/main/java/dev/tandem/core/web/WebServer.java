package dev.tandem.core.web;

import dev.tandem.core.log.Redactor;
import dev.tandem.core.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one HTTP server of a process (Javalin 7 on virtual threads): liveness, readiness and
 * metrics endpoints, a request body limit, security headers, a request id in every log line of
 * a request, request metrics, and JSON errors of the shape {@code {"error":{"code","message"}}}.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  private final Javalin javalin;

  public WebServer(WebSettings settings, Metrics metrics, Readiness readiness, Consumer<RoutesConfig> routes) {
    this.javalin = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.jetty.host = settings.host();
      config.jetty.port = settings.port();
      config.http.maxRequestSize = settings.maxBodyBytes();
      config.startup.showJavalinBanner = false;
      config.requestLogger.http((ctx, ms) -> record(metrics, ctx, ms));
      RoutesConfig r = config.routes;
      r.before(ctx -> begin(ctx, settings.maxBodyBytes()));
      r.after(WebServer::end);
      r.get("/healthz", ctx -> ctx.json(Map.of("status", "up")));
      r.get("/readyz", ctx -> ready(ctx, readiness));
      r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
      r.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), codeOf(e.getStatus()), e.getMessage()));
      r.exception(Exception.class, (e, ctx) -> {
        log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
        answer(ctx, 500, "internal", "internal error (request id " + MDC.get("request_id") + ")");
      });
      r.error(404, ctx -> {
        if (ctx.result() == null || ctx.result().isEmpty()) {
          answer(ctx, 404, "not_found", "no such route: " + ctx.method() + " " + ctx.path());
        }
      });
      routes.accept(r);
    });
  }

  /** Starts listening; returns the bound port (useful when configured with port 0). */
  public int start() {
    javalin.start();
    return javalin.port();
  }

  /** A registered endpoint: method and path pattern (e.g. GET /admin/people/{id}). */
  public record Route(String method, String path) {}

  /** Every HTTP endpoint registered on this server (not the before/after filters), for tests that walk them all. */
  public java.util.List<Route> routes() {
    return javalin.unsafe.internalRouter.allHttpHandlers().stream().map(p -> p.endpoint)
        .filter(e -> e.method.isHttpMethod()).map(e -> new Route(e.method.name(), e.path)).toList();
  }

  public int port() {
    return javalin.port();
  }

  @Override
  public void close() {
    javalin.stop();
  }

  private static void begin(Context ctx, int maxBodyBytes) {
    String incoming = ctx.header(REQUEST_ID_HEADER);
    String id = incoming != null && SAFE_REQUEST_ID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    MDC.put("request_id", id);
    ctx.header(REQUEST_ID_HEADER, id);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (isHttps(ctx)) {
      ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    long length = ctx.req().getContentLengthLong();
    if (length > maxBodyBytes) {
      throw new HttpResponseException(413, "request body of " + length + " bytes is over the limit of " + maxBodyBytes + " bytes");
    }
  }

  private static void end(Context ctx) {
    MDC.remove("request_id");
  }

  /** Whether the client reached us over HTTPS, directly or through a proxy that says so. */
  public static boolean isHttps(Context ctx) {
    String forwarded = ctx.header("X-Forwarded-Proto");
    return "https".equalsIgnoreCase(ctx.scheme()) || (forwarded != null && forwarded.strip().toLowerCase(java.util.Locale.ROOT).startsWith("https"));
  }

  private static void ready(Context ctx, Readiness readiness) {
    Readiness.Report report = readiness.check();
    Map<String, Object> checks = new LinkedHashMap<>();
    report.checks().forEach((name, status) -> checks.put(name, Map.of(
        "status", status.state().name().toLowerCase(java.util.Locale.ROOT),
        "detail", status.detail() == null ? "" : status.detail())));
    ctx.status(report.ready() ? 200 : 503).json(Map.of("status", report.ready() ? "ready" : "not_ready", "checks", checks));
  }

  /** The error as a small page for a browser asking for HTML outside the APIs, else as the standard JSON error. */
  private static void answer(Context ctx, int status, String code, String message) {
    String accept = ctx.header("Accept");
    boolean page = accept != null && accept.startsWith("text/html") && !ctx.path().startsWith("/api/") && !ctx.path().startsWith("/slack/");
    if (!page) {
      error(ctx, status, code, message);
      return;
    }
    String text = escape(Redactor.redact(message == null ? "" : message));
    ctx.status(status).html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status + " · Tandem</title></head>"
        + "<body><main><h1>" + (status == 404 ? "Not found" : status >= 500 ? "Something went wrong" : "Not done") + "</h1><p>" + text
        + "</p><p><a href=\"/admin\">Back to the admin</a></p></main></body></html>");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Writes the standard JSON error body. */
  public static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).json(Map.of("error", Map.of("code", code, "message", Redactor.redact(message == null ? "" : message))));
  }

  private static String codeOf(int status) {
    HttpStatus s = HttpStatus.forStatus(status);
    return s == HttpStatus.UNKNOWN ? "http_" + status : s.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static void record(Metrics metrics, Context ctx, Float ms) {
    String route;
    try {
      var endpoint = ctx.endpoints().matchedHttpEndpoint();
      route = endpoint != null ? endpoint.path : "unmatched";
    } catch (RuntimeException e) {
      route = "unmatched";
    }
    Timer.builder("tandem.http.server.requests")
        .description("HTTP requests served")
        .tag("method", ctx.method().name())
        .tag("route", route)
        .tag("status", String.valueOf(ctx.statusCode()))
        .register(metrics.registry())
        .record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
    MDC.remove("request_id");
  }
}
