package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Installing apps: the OAuth v2 authorize page ({@code GET <prefix>/oauth/v2/authorize}), oauth.v2.access,
 * and apps.connections.open (which shares the app-credential checks). An install creates the bot user, the
 * bot id and an {@code xoxb-} token; a reinstall keeps them and issues a new token.
 */
final class OAuth {
  private final Engine engine;
  private final State state;
  private final SocketMode socket;
  private final Supplier<String> wsBase;

  OAuth(Engine engine, SocketMode socket, Supplier<String> wsBase) {
    this.engine = engine;
    this.state = engine.state;
    this.socket = socket;
    this.wsBase = wsBase;
  }

  void register(WebApi api) {
    api.register("oauth.v2.access", RateTier.TIER_4, java.util.Set.of(), null, this::access);
    api.register("apps.connections.open", RateTier.TIER_1, java.util.Set.of(State.TokenKind.APP), null,
        this::connectionsOpen);
  }

  State.Install install(State.App app, State.Team t, List<String> scopes) {
    State.Install i = t.installs.get(app.reg.appId());
    if (i != null) {
      state.tokens.remove(i.botToken);
      i.botToken = engine.ids.botToken();
      i.revoked = false;
      i.scopes.clear();
      i.scopes.addAll(scopes);
    } else {
      State.Person bot = new State.Person(engine.ids.id('U'), t.id);
      bot.name = app.spec.name().toLowerCase().replaceAll("[^a-z0-9]+", "_");
      bot.realName = app.spec.name();
      bot.bot = true;
      bot.botId = engine.ids.id('B');
      bot.appId = app.reg.appId();
      bot.color = "4bbe2e";
      bot.avatarHash = engine.ids.hex(6);
      bot.updated = engine.nowSeconds();
      bot.tz = "America/Los_Angeles";
      bot.tzLabel = "Pacific Daylight Time";
      bot.tzOffset = -25200;
      t.users.put(bot.id, bot);
      i = new State.Install(app.reg.appId(), t.id, bot.id, bot.botId, engine.ids.botToken(), scopes,
          app.spec.name(), engine.nowSeconds());
      t.installs.put(app.reg.appId(), i);
    }
    state.tokens.put(i.botToken, new State.Token(State.TokenKind.BOT, t.id, app.reg.appId(), i.botUserId));
    return i;
  }

  private State.App appByClientId(String clientId) {
    return state.apps.values().stream().filter(a -> a.reg.clientId().equals(clientId)).findFirst().orElse(null);
  }

  void authorize(Context ctx) {
    String clientId = ctx.queryParam("client_id");
    String redirect = ctx.queryParam("redirect_uri");
    String teamKey = ctx.queryParam("team");
    synchronized (state) {
      State.App app = clientId == null ? null : appByClientId(clientId);
      if (app == null) {
        ctx.status(400).html("<h1>invalid_client_id</h1>");
        return;
      }
      if (redirect == null || redirect.isBlank()) {
        ctx.status(400).html("<h1>bad_redirect_uri</h1>");
        return;
      }
      if (teamKey == null || teamKey.isBlank()) {
        ctx.html(picker(ctx, app));
        return;
      }
      State.Team t = state.teams.values().stream()
          .filter(x -> x.id.equals(teamKey) || x.domain.equals(teamKey)).findFirst().orElse(null);
      if (t == null) {
        ctx.status(400).html("<h1>team_not_found</h1>");
        return;
      }
      String userKey = ctx.queryParam("user");
      State.Person installer = userKey != null ? t.userByIdOrName(userKey).orElse(null)
          : t.users.values().stream().filter(p -> p.admin && !p.bot).findFirst()
              .orElse(t.users.values().stream().filter(p -> !p.bot).findFirst().orElse(null));
      if (installer == null) {
        ctx.status(400).html("<h1>no installing user in " + t.id + "</h1>");
        return;
      }
      String scope = ctx.queryParam("scope");
      List<String> scopes = scope == null || scope.isBlank() ? app.spec.botScopes()
          : Arrays.asList(scope.split(","));
      install(app, t, scopes);
      String code = engine.ids.digits(13) + "." + engine.ids.digits(13) + "." + engine.ids.hex(32);
      String userScope = ctx.queryParam("user_scope");
      state.codes.put(code, new State.OAuthCode(app.reg.appId(), t.id, installer.id, redirect,
          engine.clock.millis() + 600_000));
      userScopes.put(code, userScope == null ? "" : userScope);
      String stateParam = ctx.queryParam("state");
      String sep = redirect.contains("?") ? "&" : "?";
      ctx.redirect(redirect + sep + "code=" + enc(code) + (stateParam == null ? "" : "&state=" + enc(stateParam)));
    }
  }

  private final Map<String, String> userScopes = new java.util.concurrent.ConcurrentHashMap<>();

  private String picker(Context ctx, State.App app) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Install ")
        .append(esc(app.spec.name())).append("</title></head><body><h1>Install ").append(esc(app.spec.name()))
        .append("</h1><p>Pick a workspace:</p><ul>");
    String query = ctx.queryString() == null ? "" : ctx.queryString();
    for (State.Team t : state.teams.values()) {
      b.append("<li><a href=\"?").append(esc(query)).append("&amp;team=").append(enc(t.id)).append("\">")
          .append(esc(t.name)).append(" (").append(esc(t.domain)).append(")</a></li>");
    }
    return b.append("</ul></body></html>").toString();
  }

  private Map<String, Object> access(Req r) {
    String clientId = r.str("client_id");
    String secret = r.str("client_secret");
    if (r.basicAuth() != null && r.basicAuth().startsWith("Basic ")) {
      String[] cs = new String(Base64.getDecoder().decode(r.basicAuth().substring(6).trim()),
          StandardCharsets.UTF_8).split(":", 2);
      clientId = cs[0];
      secret = cs.length > 1 ? cs[1] : null;
    }
    State.App app = clientId == null ? null : appByClientId(clientId);
    if (app == null) throw new SlackError("invalid_client_id");
    if (!app.reg.clientSecret().equals(secret)) throw new SlackError("bad_client_secret");
    String code = r.str("code");
    State.OAuthCode c = code == null ? null : state.codes.remove(code);
    if (c == null || !c.appId().equals(app.reg.appId())) throw new SlackError("invalid_code");
    if (engine.clock.millis() > c.expiresAtMillis()) throw new SlackError("invalid_code");
    if (r.str("redirect_uri") != null && !r.str("redirect_uri").equals(c.redirectUri())) {
      throw new SlackError("bad_redirect_uri");
    }
    State.Team t = state.teams.get(c.teamId());
    State.Install i = t.installs.get(app.reg.appId());
    String userScope = userScopes.getOrDefault(code, "");
    userScopes.remove(code);
    Map<String, Object> authed = obj("id", c.userId());
    if (!userScope.isEmpty()) {
      String userToken = engine.ids.userToken();
      state.tokens.put(userToken, new State.Token(State.TokenKind.USER, t.id, app.reg.appId(), c.userId()));
      authed.put("scope", userScope);
      authed.put("access_token", userToken);
      authed.put("token_type", "user");
    }
    return obj("app_id", app.reg.appId(), "authed_user", authed, "scope", String.join(",", i.scopes),
        "token_type", "bot", "access_token", i.botToken, "bot_user_id", i.botUserId,
        "team", obj("id", t.id, "name", t.name), "enterprise", null, "is_enterprise_install", false);
  }

  private Map<String, Object> connectionsOpen(Req r) {
    State.App app = state.apps.get(r.token().appId());
    if (!app.spec.socketMode()) throw new SlackError("not_allowed_token_type");
    String url = wsBase.get() + "/slack/socket/link/?ticket=" + socket.ticket(app.reg.appId()) + "&app_id="
        + engine.ids.hex(32);
    return obj("url", url);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
