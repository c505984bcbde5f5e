package dev.tandem.sandbox;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST <prefix>/slack/api/{method}}: parses form or JSON bodies, finds the token (Authorization Bearer
 * or {@code token} argument), checks token type and scopes, applies knobs (latency, tiers, faults), runs the
 * method and logs the call. Errors are HTTP 200 {@code ok:false}; rate limits are HTTP 429 with Retry-After.
 */
final class WebApi {
  private static final Logger log = LoggerFactory.getLogger(WebApi.class);
  static final Set<State.TokenKind> BOT_OR_USER = Set.of(State.TokenKind.BOT, State.TokenKind.USER);

  interface Impl {
    Map<String, Object> call(Req r);
  }

  /** A method: its tier, which token kinds it takes (empty = none needed), the scope it needs (or null). */
  record Spec(RateTier tier, Set<State.TokenKind> tokens, String scope, Impl impl) {}

  private final Map<String, Spec> methods = new HashMap<>();
  private final State state;
  private final Knobs knobs;
  private final RateLimiter limiter;
  private final FakeSlackOptions options;
  private final Random dice;
  final Journal<ApiCall> calls = new Journal<>(FakeSlack.JOURNAL_CAPACITY);
  private final Map<String, java.util.concurrent.atomic.LongAdder> succeeded = new java.util.concurrent.ConcurrentHashMap<>();

  WebApi(State state, Knobs knobs, RateLimiter limiter, FakeSlackOptions options) {
    this.state = state;
    this.knobs = knobs;
    this.limiter = limiter;
    this.options = options;
    this.dice = new Random(options.randomSeed());
  }

  void register(String method, RateTier tier, String scope, Impl impl) {
    methods.put(method, new Spec(tier, BOT_OR_USER, scope, impl));
  }

  void register(String method, RateTier tier, Set<State.TokenKind> tokens, String scope, Impl impl) {
    methods.put(method, new Spec(tier, tokens, scope, impl));
  }

  void handle(Context ctx) throws InterruptedException {
    String method = ctx.pathParam("method");
    Map<String, Object> args = args(ctx);
    sleep(knobs.latency());
    Spec spec = methods.get(method);
    if (spec == null) {
      log.warn("method={} - unknown_method: the sandbox does not implement it; a real caller would fail", method);
      answer(ctx, 200, Map.of("ok", false, "error", "unknown_method"));
      calls.add(new ApiCall(options.clock().instant(), method, null, null, "none", args, 200, false,
          "unknown_method", true));
      return;
    }
    String bearer = bearer(ctx);
    String tokenValue = bearer != null ? bearer : args.get("token") instanceof String s ? s : null;
    args.remove("token");
    Req req;
    try {
      req = authenticate(method, spec, tokenValue, args, ctx.header("Authorization"));
    } catch (SlackError e) {
      finish(ctx, method, null, args, 200, error(e));
      return;
    }
    if (knobs.tierLimits()) {
      String key = method + "|" + (req.install() == null ? "-" : req.install().appId) + "|"
          + (req.team() == null ? "-" : req.team().id);
      OptionalLong wait = limiter.window(key, knobs.perMinute(spec.tier()), 60_000);
      if (wait.isPresent()) {
        ratelimited(ctx, req, args, wait.getAsLong());
        return;
      }
    }
    Knobs.Fault fault = knobs.faultFor(method);
    double roll = fault == null ? 1.0 : dice.nextDouble();
    if (fault != null && roll < fault.share429()) {
      ratelimited(ctx, req, args, 1);
      return;
    }
    if (fault != null && roll < fault.share429() + fault.share5xx()) {
      ctx.status(503).result("upstream_error");
      calls.add(call(method, req, args, 503, false, "http_503"));
      return;
    }
    boolean timeoutBefore = fault != null && roll < fault.share429() + fault.share5xx() + fault.shareTimeoutBefore();
    boolean timeoutAfter = !timeoutBefore && fault != null
        && roll < fault.share429() + fault.share5xx() + fault.shareTimeoutBefore() + fault.shareTimeoutAfter();
    if (timeoutBefore) {
      sleep(options.faultHold());
      ctx.status(504).result("timeout");
      calls.add(call(method, req, args, 504, false, "timeout_before_processing"));
      return;
    }
    Map<String, Object> body;
    int status = 200;
    try {
      Map<String, Object> result;
      synchronized (state) {
        result = spec.impl().call(req);
      }
      body = new LinkedHashMap<>();
      body.put("ok", true);
      body.putAll(result);
      if (ctx.contentType() != null && ctx.contentType().startsWith("application/json")
          && !ctx.contentType().toLowerCase().contains("charset")) {
        // Slack answers a JSON body without a charset with a warning (observed behaviour)
        body.put("warning", "missing_charset");
        body.put("response_metadata", Map.of("warnings", List.of("missing_charset")));
      }
    } catch (RateLimitedError e) {
      ratelimited(ctx, req, args, e.retryAfterSeconds);
      return;
    } catch (SlackError e) {
      body = error(e);
    }
    if (timeoutAfter) {
      sleep(options.faultHold());
      ctx.status(504).result("timeout");
      calls.add(call(method, req, args, 504, Boolean.TRUE.equals(body.get("ok")), "timeout_after_processing"));
      return;
    }
    finish(ctx, method, req, args, status, body);
  }

  private Req authenticate(String method, Spec spec, String tokenValue, Map<String, Object> args, String authz) {
    if (spec.tokens().isEmpty()) {
      return new Req(method, args, new State.Token(null, null, null, null), null, null, authz);
    }
    if (tokenValue == null || tokenValue.isBlank()) throw new SlackError("not_authed");
    State.Token token;
    State.Team team;
    State.Install install = null;
    synchronized (state) {
      token = state.tokens.get(tokenValue);
      if (token == null) throw new SlackError("invalid_auth");
      if (!spec.tokens().contains(token.kind())) throw new SlackError("not_allowed_token_type");
      team = token.teamId() == null ? null : state.teams.get(token.teamId());
      if (team != null && token.appId() != null) install = team.installs.get(token.appId());
      if (install != null && install.revoked) throw new SlackError("token_revoked");
      if (spec.scope() != null && install != null) {
        boolean has = false;
        for (String alt : spec.scope().split("\\|")) has |= install.scopes.contains(alt);
        if (!has) {
          Map<String, Object> extra = new LinkedHashMap<>();
          extra.put("needed", spec.scope().split("\\|")[0]);
          extra.put("provided", String.join(",", install.scopes));
          throw new SlackError("missing_scope", extra);
        }
      }
    }
    return new Req(method, args, token, team, install, authz);
  }

  private void ratelimited(Context ctx, Req req, Map<String, Object> args, long retryAfter) {
    // recorded before answering, so that whoever sees the effect of the answer also sees the call
    calls.add(call(req.method(), req, args, 429, false, "ratelimited"));
    ctx.header("Retry-After", Long.toString(retryAfter));
    answer(ctx, 429, Map.of("ok", false, "error", "ratelimited"));
  }

  private void finish(Context ctx, String method, Req req, Map<String, Object> args, int status,
      Map<String, Object> body) {
    boolean ok = Boolean.TRUE.equals(body.get("ok"));
    ApiCall c = req == null
        ? new ApiCall(options.clock().instant(), method, null, null, "none", args, status, ok,
            (String) body.get("error"), false)
        : call(method, req, args, status, ok, (String) body.get("error"));
    // recorded before answering, so that whoever sees the effect of the answer also sees the call
    calls.add(c);
    if (ok) succeeded.computeIfAbsent(method, m -> new java.util.concurrent.atomic.LongAdder()).increment();
    answer(ctx, status, body);
    if (!ok) log.debug("method={} team={} - ok=false error={}", method, c.teamId(), c.error());
  }

  /** Calls of {@code method} answered {@code ok: true} since the sandbox started. */
  long succeeded(String method) {
    var n = succeeded.get(method);
    return n == null ? 0 : n.sum();
  }

  private ApiCall call(String method, Req req, Map<String, Object> args, int status, boolean ok, String error) {
    String kind = req.token().kind() == null ? "none" : req.token().kind().name().toLowerCase();
    return new ApiCall(options.clock().instant(), method, req.team() == null ? null : req.team().id,
        req.token().appId(), kind, args, status, ok, error, false);
  }

  private static Map<String, Object> error(SlackError e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ok", false);
    body.put("error", e.error);
    body.putAll(e.extra);
    return body;
  }

  private static void answer(Context ctx, int status, Map<String, Object> body) {
    ctx.status(status).contentType("application/json; charset=utf-8").result(Json.write(body));
  }

  private static String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) return h.substring(7).trim();
    return null;
  }

  /** Query string, then form or JSON body; later sources win, as Slack merges them. */
  static Map<String, Object> args(Context ctx) {
    Map<String, Object> args = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> args.put(k, v.getFirst()));
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
    String body = ctx.body();
    if (type.startsWith("application/json")) {
      if (!body.isBlank()) {
        try {
          args.putAll(Json.readObject(body));
        } catch (IllegalArgumentException e) {
          args.put("__invalid_json", true);
        }
      }
    } else if (!body.isBlank()) {
      for (String pair : body.split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        args.put(k, v);
      }
    }
    return args;
  }

  static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero() && !d.isNegative()) Thread.sleep(d);
  }

  List<String> methodNames() {
    return new ArrayList<>(methods.keySet());
  }

  /** Thrown by a method to answer HTTP 429 (chat.postMessage's per-channel limit). */
  static final class RateLimitedError extends SlackError {
    private static final long serialVersionUID = 1L;
    final long retryAfterSeconds;

    RateLimitedError(long retryAfterSeconds) {
      super("ratelimited");
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }
}
