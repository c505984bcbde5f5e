package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.QueryStringParser;
import com.slack.api.bolt.util.SlackRequestParser;
import com.slack.api.methods.response.oauth.OAuthV2AccessResponse;
import dev.tandem.core.web.WebServer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP face of one Slack app: Bolt served from Javalin, and the OAuth v2 install flow. */
final class SlackRoutes {
  private static final Logger log = LoggerFactory.getLogger(SlackRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SlackApp app;
  private final SlackSettings global;
  private final OAuthStates states;
  private final SlackRequestParser parser;

  SlackRoutes(SlackApp app, SlackSettings global, OAuthStates states) {
    this.app = app;
    this.global = global;
    this.states = states;
    this.parser = new SlackRequestParser(app.bolt().config());
  }

  void register(RoutesConfig routes) {
    String base = "/slack/" + app.name();
    routes.post(base + "/events", this::events);
    routes.get(base + "/install", this::install);
    routes.get(base + "/oauth_redirect", this::redirect);
  }

  static void notConfigured(RoutesConfig routes, String name) {
    String message = "the " + name + " Slack app is not configured on this server (set SLACK_" + name.toUpperCase(java.util.Locale.ROOT) + "_*)";
    for (String path : List.of("/events", "/install", "/oauth_redirect")) {
      routes.addHttpHandler(path.equals("/events") ? io.javalin.http.HandlerType.POST : io.javalin.http.HandlerType.GET,
          "/slack/" + name + path, ctx -> WebServer.error(ctx, 404, "app_not_configured", message));
    }
  }

  /** Events, interactivity, options and slash commands: one URL, as Slack's app config allows. */
  private void events(Context ctx) throws Exception {
    if (app.settings().signingSecret().isEmpty()) {
      WebServer.error(ctx, 404, "socket_mode_only", "the " + app.name() + " app receives its events over Socket Mode;"
          + " set SLACK_" + app.name().toUpperCase(java.util.Locale.ROOT) + "_SIGNING_SECRET to accept HTTP requests too");
      return;
    }
    Map<String, List<String>> headers = new HashMap<>();
    for (String name : ctx.headerMap().keySet()) {
      headers.put(name, new ArrayList<>(ctx.req().getHeaders(name) == null ? List.of() : java.util.Collections.list(ctx.req().getHeaders(name))));
    }
    Request<?> request = parser.parse(SlackRequestParser.HttpRequest.builder()
        .requestUri(ctx.path())
        .queryString(QueryStringParser.toMap(ctx.queryString()))
        .headers(new RequestHeaders(headers))
        .requestBody(ctx.body())
        .remoteAddress(ctx.ip())
        .build());
    if (request == null) {
      if (ctx.body().contains("app_rate_limited") && app.verified(ctx.header("X-Slack-Request-Timestamp"), ctx.body(),
          ctx.header("X-Slack-Signature"))) {
        JsonNode notice = JSON.readTree(ctx.body());
        if ("app_rate_limited".equals(notice.path("type").asText())) {
          write(ctx, app.inbox().rateLimitedNotice(notice));
          return;
        }
      }
      WebServer.error(ctx, 400, "bad_request", "not a Slack request this endpoint understands");
      return;
    }
    write(ctx, app.bolt().run(request));
  }

  private static void write(Context ctx, Response response) {
    ctx.status(response.getStatusCode());
    if (response.getHeaders() != null) {
      response.getHeaders().forEach((name, values) -> values.forEach(v -> ctx.res().addHeader(name, v)));
    }
    if (response.getContentType() != null) {
      ctx.contentType(response.getContentType());
    }
    if (response.getBody() != null) {
      ctx.result(response.getBody());
    }
  }

  private void install(Context ctx) {
    if (!app.settings().distributed()) {
      page(ctx, 404, "Single-workspace mode", "The " + app.spec().displayName()
          + " app runs with a configured bot token; set SLACK_" + app.name().toUpperCase(java.util.Locale.ROOT)
          + "_CLIENT_ID and _CLIENT_SECRET to install it into workspaces with OAuth.");
      return;
    }
    String state = states.issue(app.name());
    // The state is also bound to this browser: a link started elsewhere cannot finish here.
    ctx.res().addHeader("Set-Cookie", stateCookie() + "=" + state + "; Path=/slack/" + app.name() + "; Max-Age="
        + OAuthStates.LIFETIME.toSeconds() + "; HttpOnly; SameSite=Lax" + (WebServer.isHttps(ctx) ? "; Secure" : ""));
    String authorize = global.authorizeUrl();
    ctx.redirect(authorize + (authorize.contains("?") ? "&" : "?") + "client_id=" + enc(app.settings().clientId().orElseThrow())
        + "&scope=" + enc(String.join(",", app.spec().botScopes())) + "&user_scope="
        + "&redirect_uri=" + enc(redirectUri()) + "&state=" + enc(state));
  }

  private void redirect(Context ctx) throws Exception {
    String error = ctx.queryParam("error");
    if (error != null) {
      page(ctx, 400, "Installation cancelled", "Slack answered: " + error + ". Start again from the install link when you are ready.");
      return;
    }
    String state = ctx.queryParam("state");
    if (state == null || !state.equals(ctx.cookie(stateCookie()))) {
      page(ctx, 400, "Installation started elsewhere", "This install was not started from this browser (or its cookie expired)."
          + " Open /slack/" + app.name() + "/install here and try again.");
      return;
    }
    if (!states.consume(app.name(), state)) {
      page(ctx, 400, "Installation link expired", "This install link is unknown, used or older than 10 minutes. Start again from "
          + "/slack/" + app.name() + "/install.");
      return;
    }
    String code = ctx.queryParam("code");
    if (code == null || code.isBlank()) {
      page(ctx, 400, "Installation failed", "Slack sent no code.");
      return;
    }
    OAuthV2AccessResponse access = app.anonymousClient().oauthV2Access(r -> r
        .clientId(app.settings().clientId().orElseThrow())
        .clientSecret(app.settings().clientSecret().orElseThrow().reveal())
        .code(code)
        .redirectUri(redirectUri()));
    if (!access.isOk()) {
      log.warn("app={} - oauth.v2.access failed: {}", app.name(), access.getError());
      page(ctx, 502, "Installation failed", "Slack refused the installation (" + access.getError() + "). Start again from the install link.");
      return;
    }
    // oauth.v2.access names the bot user but not the bot id, which tells our own posts apart
    var identity = app.anonymousClient().authTest(r -> r.token(access.getAccessToken()));
    String botId = identity.isOk() ? identity.getBotId() : null;
    String teamId = access.getTeam() == null ? null : access.getTeam().getId();
    String enterpriseId = access.getEnterprise() == null ? null : access.getEnterprise().getId();
    app.installations().save(enterpriseId, teamId, access.getTeam() == null ? null : access.getTeam().getName(), access.getAppId(),
        botId, access.getBotUserId(), access.getScope(), access.getAccessToken(),
        access.getAuthedUser() == null ? null : access.getAuthedUser().getId());
    log.info("app={} team={} - installed", app.name(), teamId);
    app.installations().find(enterpriseId, teamId).ifPresent(app::installed);
    page(ctx, 200, "Installed", app.spec().displayName() + " is installed in "
        + (access.getTeam() == null ? "your organisation" : access.getTeam().getName()) + ". You can close this page and open the app in Slack.");
  }

  private String stateCookie() {
    return "tandem_oauth_" + app.name();
  }

  private String redirectUri() {
    return global.publicUrl() + "/slack/" + app.name() + "/oauth_redirect";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void page(Context ctx, int status, String title, String text) {
    ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + esc(title) + " - Tandem</title></head><body><main><h1>" + esc(title) + "</h1><p>" + esc(text) + "</p></main></body></html>");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
