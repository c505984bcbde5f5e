package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import io.javalin.http.Context;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Interactivity payloads a person causes: block_actions (message and Home tab buttons), view_submission
 * (with the ack's response_action applied) and block_suggestion (options load, at most 100). Sent like Slack:
 * form-encoded {@code payload=} signed with the app's secret, or as Socket Mode {@code interactive}
 * envelopes. Also serves the {@code response_url}s handed out with message actions.
 */
final class Interactivity {
  static final int MAX_OPTIONS = 100;
  private final Engine engine;
  private final State state;
  private final HttpDelivery http;
  private final SocketMode socket;
  private final Supplier<String> base;
  private final java.time.Duration triggerValidity;

  Interactivity(Engine engine, HttpDelivery http, SocketMode socket, Supplier<String> base,
      java.time.Duration triggerValidity) {
    this.engine = engine;
    this.state = engine.state;
    this.http = http;
    this.socket = socket;
    this.base = base;
    this.triggerValidity = triggerValidity;
  }

  /** What the app answered: HTTP status (0 = no answer in time, 200 for Socket Mode acks) and ack body. */
  public record Answer(int status, Map<String, Object> body) {}

  private Map<String, Object> userRef(State.Person p) {
    return obj("id", p.id, "username", p.name, "name", p.name, "team_id", p.teamId);
  }

  private String trigger(State.Team t, String appId, String userId) {
    String id = engine.ids.triggerId();
    state.triggers.put(id, new State.Trigger(t.id, appId, userId, engine.clock.millis() + triggerValidity.toMillis()));
    return id;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> findAction(List<Object> blocks, String actionId) {
    if (blocks == null) return null;
    for (Object o : blocks) {
      Map<String, Object> b = (Map<String, Object>) o;
      List<Object> elements = b.get("elements") instanceof List<?> l ? (List<Object>) l : List.of();
      for (Object e : elements) {
        Map<String, Object> el = (Map<String, Object>) e;
        if (actionId.equals(el.get("action_id"))) return withBlock(el, b);
      }
      if (b.get("accessory") instanceof Map<?, ?> acc && actionId.equals(acc.get("action_id"))) {
        return withBlock((Map<String, Object>) acc, b);
      }
    }
    return null;
  }

  private static Map<String, Object> withBlock(Map<String, Object> el, Map<String, Object> block) {
    Map<String, Object> copy = Json.copy(el);
    copy.put("__block_id", block.getOrDefault("block_id", ""));
    return copy;
  }

  private Map<String, Object> action(Map<String, Object> el, String value) {
    Map<String, Object> a = obj("action_id", el.get("action_id"), "block_id", el.get("__block_id"));
    if (el.get("text") != null) a.put("text", el.get("text"));
    Map<String, Object> option = "static_select".equals(el.get("type")) ? option(el, value) : null;
    // selects and pickers report what was picked, not a value
    if (option != null) a.put("selected_option", option);
    else if ("datepicker".equals(el.get("type"))) a.put("selected_date", value);
    else if ("timepicker".equals(el.get("type"))) a.put("selected_time", value);
    else a.put("value", value != null ? value : el.get("value"));
    if (el.get("style") != null) a.put("style", el.get("style"));
    a.put("type", el.getOrDefault("type", "button"));
    a.put("action_ts", engine.eventTs());
    return a;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> option(Map<String, Object> select, String value) {
    List<Object> options = new java.util.ArrayList<>();
    if (select.get("options") instanceof List<?> l) options.addAll(l);
    if (select.get("option_groups") instanceof List<?> groups) {
      groups.forEach(g -> options.addAll((List<Object>) Json.map(g).getOrDefault("options", List.of())));
    }
    return options.stream().map(Json::map).filter(o -> java.util.Objects.equals(o.get("value"), value))
        .findFirst().map(Json::copy).orElseThrow(() -> new IllegalArgumentException("no option " + value));
  }

  /** A person presses a button in a message an app posted. */
  @SuppressWarnings("unchecked")
  Answer pressInMessage(State.Team t, State.Person p, State.Conv c, String messageTs, String actionId, String value) {
    State.App app;
    Map<String, Object> payload;
    synchronized (state) {
      Map<String, Object> m = engine.message(c, messageTs);
      State.Install i = t.installs.values().stream().filter(x -> x.botId.equals(m.get("bot_id"))).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("message " + messageTs + " was not posted by an app"));
      Map<String, Object> el = findAction((List<Object>) m.get("blocks"), actionId);
      if (el == null) throw new IllegalArgumentException("no element with action_id " + actionId + " in " + messageTs);
      app = state.apps.get(i.appId);
      String responseId = engine.ids.digits(13) + "/" + engine.ids.alnumMixed(24);
      state.responseUrls.put(responseId, new State.ResponseUrl(t.id, i.appId, c.id, messageTs, p.id));
      Map<String, Object> shown = Json.copy(m);
      shown.remove("bot_profile");
      shown.remove("reactions");
      payload = obj("type", "block_actions", "user", userRef(p), "api_app_id", i.appId, "token",
          app.reg.verificationToken(), "container", obj("type", "message", "message_ts", messageTs, "channel_id",
              c.id, "is_ephemeral", false), "trigger_id", trigger(t, i.appId, p.id), "team", obj("id", t.id,
              "domain", t.domain), "enterprise", null, "is_enterprise_install", false, "channel",
          obj("id", c.id, "name", c.im ? "directmessage" : c.name), "message", shown, "state", obj("values", obj()),
          "response_url", base.get() + "/slack/response/" + t.id + "/" + responseId, "actions",
          List.of(action(el, value)));
    }
    return send(app, t.id, payload, false);
  }

  /** A person presses a button in an app's Home tab. */
  @SuppressWarnings("unchecked")
  Answer pressInView(State.Team t, State.Person p, String viewId, String actionId, String value) {
    State.App app;
    Map<String, Object> payload;
    synchronized (state) {
      State.View v = state.views.get(viewId);
      if (v == null) throw new IllegalArgumentException("no view " + viewId);
      State.Install i = t.installs.get(v.appId);
      Map<String, Object> el = findAction((List<Object>) v.body.get("blocks"), actionId);
      if (el == null) throw new IllegalArgumentException("no element with action_id " + actionId + " in " + viewId);
      app = state.apps.get(v.appId);
      payload = obj("type", "block_actions", "user", userRef(p), "api_app_id", v.appId, "token",
          app.reg.verificationToken(), "container", obj("type", "view", "view_id", v.id), "trigger_id",
          trigger(t, v.appId, p.id), "team", obj("id", t.id, "domain", t.domain), "enterprise", null,
          "is_enterprise_install", false, "view", Shapes.view(v, i), "actions", List.of(action(el, value)));
    }
    return send(app, t.id, payload, false);
  }

  /**
   * Submits a modal with the given state values ({@code block_id -> action_id -> value object}) and applies
   * the app's response_action: errors (view stays, errors returned), update, push, clear; no action closes it.
   */
  Answer submit(State.Team t, State.Person p, String viewId, Map<String, Object> values) {
    State.App app;
    State.View v;
    Map<String, Object> payload;
    synchronized (state) {
      v = state.views.get(viewId);
      if (v == null || !"modal".equals(v.type) || v.closed) throw new IllegalArgumentException("no open modal " + viewId);
      v.body.put("__state", Json.copy(values));
      app = state.apps.get(v.appId);
      payload = obj("type", "view_submission", "team", obj("id", t.id, "domain", t.domain), "user", userRef(p),
          "api_app_id", v.appId, "token", app.reg.verificationToken(), "trigger_id", trigger(t, v.appId, p.id),
          "view", Shapes.view(v, t.installs.get(v.appId)), "response_urls", List.of(),
          "is_enterprise_install", false, "enterprise", null);
    }
    Answer a = send(app, t.id, payload, true);
    synchronized (state) {
      Object action = a.body().get("response_action");
      State.Install i = t.installs.get(v.appId);
      if ("update".equals(action)) {
        v.body = Json.copy(ViewMethods.checkView(Json.map(a.body().get("view")), "modal"));
      } else if ("push".equals(action)) {
        State.View pushed = new State.View(engine.ids.id('V'), t.id, v.appId, p.id, "modal");
        pushed.body = Json.copy(ViewMethods.checkView(Json.map(a.body().get("view")), "modal"));
        pushed.hash = engine.nowSeconds() + "." + engine.ids.alnumMixed(8);
        pushed.rootViewId = v.rootViewId;
        pushed.previousViewId = v.id;
        state.views.put(pushed.id, pushed);
        return new Answer(a.status(), obj("response_action", "push", "view", Shapes.view(pushed, i)));
      } else if ("clear".equals(action)) {
        state.views.values().stream().filter(x -> v.rootViewId.equals(x.rootViewId)).forEach(x -> x.closed = true);
      } else if (!"errors".equals(action) && a.status() / 100 == 2) {
        v.closed = true;
      }
    }
    return a;
  }

  /** An external_select asks the app for options; Slack shows none if the app returns more than 100. */
  Answer suggest(State.Team t, State.Person p, String viewId, String actionId, String typed) {
    State.App app;
    Map<String, Object> payload;
    synchronized (state) {
      State.View v = state.views.get(viewId);
      if (v == null) throw new IllegalArgumentException("no view " + viewId);
      @SuppressWarnings("unchecked")
      Map<String, Object> el = findInputElement((List<Object>) v.body.get("blocks"), actionId);
      app = state.apps.get(v.appId);
      payload = obj("type", "block_suggestion", "user", userRef(p), "container", obj("type", "view", "view_id", v.id),
          "api_app_id", v.appId, "token", app.reg.verificationToken(), "action_id", actionId, "block_id",
          el == null ? "" : el.get("__block_id"), "value", typed, "team", obj("id", t.id, "domain", t.domain),
          "enterprise", null, "is_enterprise_install", false, "view", Shapes.view(v, t.installs.get(v.appId)));
    }
    Answer a = send(app, t.id, payload, true);
    Object options = a.body().get("options");
    if (options instanceof List<?> l && l.size() > MAX_OPTIONS) {
      return new Answer(a.status(), obj("error", "too_many_options", "count", l.size()));
    }
    return a;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> findInputElement(List<Object> blocks, String actionId) {
    if (blocks == null) return null;
    for (Object o : blocks) {
      Map<String, Object> b = (Map<String, Object>) o;
      if (b.get("element") instanceof Map<?, ?> el && actionId.equals(el.get("action_id"))) {
        return withBlock((Map<String, Object>) el, b);
      }
    }
    return findAction(blocks, actionId);
  }

  private Answer send(State.App app, String teamId, Map<String, Object> payload, boolean acceptsResponse) {
    if (app.spec.socketMode()) {
      Optional<Map<String, Object>> ack = socket.interact(app.reg.appId(), teamId, payload, acceptsResponse);
      return ack.map(b -> new Answer(200, b)).orElse(new Answer(0, Map.of()));
    }
    if (app.spec.requestUrl() == null) return new Answer(0, Map.of());
    String form = "payload=" + OAuth.enc(Json.write(payload));
    Optional<HttpResponse<String>> res = http.interaction(app.spec.requestUrl(), app.reg.signingSecret(), form);
    if (res.isEmpty()) return new Answer(0, Map.of());
    String body = res.get().body();
    Map<String, Object> parsed = Map.of();
    if (body != null && body.trim().startsWith("{")) {
      try {
        parsed = Json.readObject(body);
      } catch (IllegalArgumentException e) {
        parsed = Map.of();
      }
    }
    return new Answer(res.get().statusCode(), parsed);
  }

  /** POST to a response_url: replace_original, delete_original, or a new in_channel/ephemeral message. */
  @SuppressWarnings("unchecked")
  void responseUrl(Context ctx) {
    String id = ctx.pathParam("id") + "/" + ctx.pathParam("secret");
    Map<String, Object> body = Json.readObject(ctx.body());
    synchronized (state) {
      State.ResponseUrl ru = state.responseUrls.get(id);
      if (ru == null) {
        ctx.status(404).result("invalid_token");
        return;
      }
      State.Team t = state.teams.get(ru.teamId());
      State.Conv c = t.convs.get(ru.channel());
      State.Install i = t.installs.get(ru.appId());
      String text = body.get("text") instanceof String s ? s : "";
      List<Object> blocks = body.get("blocks") instanceof List<?> l ? (List<Object>) l : null;
      if (Boolean.TRUE.equals(body.get("delete_original"))) {
        engine.delete(t, c, ru.messageTs());
      } else if (Boolean.TRUE.equals(body.get("replace_original"))) {
        engine.edit(t, c, ru.messageTs(), i.botUserId, text, blocks, null, null);
      } else if ("in_channel".equals(body.get("response_type"))) {
        engine.post(t, c, new Author(t.users.get(i.botUserId), i), new Engine.Post(text, blocks,
            (String) body.get("thread_ts"), false, null, null, null, null, null, null, null));
      } else {
        ephemeral.accept(obj("channel", c.id, "user", ru.userId(), "text", text, "blocks", blocks,
            "app_id", i.appId));
      }
    }
    ctx.contentType("application/json; charset=utf-8").result("{\"ok\":true}");
  }

  private java.util.function.Consumer<Map<String, Object>> ephemeral = m -> {};

  void onEphemeral(java.util.function.Consumer<Map<String, Object>> sink) {
    this.ephemeral = sink;
  }
}
