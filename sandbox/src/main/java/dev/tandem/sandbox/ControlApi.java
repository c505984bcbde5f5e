package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON control API under {@code <prefix>/api}: list workspaces, act as a person (post, edit, delete,
 * react, upload, press buttons, open the Home tab, submit modals) and inspect messages, views, calls and
 * deliveries. Users and channels may be given by id or name. Bad input answers 400 {@code {"error":...}}.
 */
final class ControlApi {
  private final FakeSlack slack;
  private final State state;
  private final Engine engine;
  private final Interactivity ix;
  private final Seeding seeding;

  ControlApi(FakeSlack slack, State state, Engine engine, Interactivity ix, Seeding seeding) {
    this.slack = slack;
    this.state = state;
    this.engine = engine;
    this.ix = ix;
    this.seeding = seeding;
  }

  void routes(RoutesConfig r, String prefix) {
    String p = prefix + "/api";
    r.get(p + "/workspaces", safe(ctx -> ctx.json(workspaces())));
    r.post(p + "/messages", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      ctx.json(obj("ts", seeding.postAsUser(s(b, "team_id"), s(b, "channel"), s(b, "user"), s(b, "text"),
          opt(b, "thread_ts"), Boolean.TRUE.equals(b.get("reply_broadcast")))));
    }));
    r.get(p + "/messages", safe(ctx -> ctx.json(obj("messages", slack.messages(q(ctx, "team_id"), q(ctx, "channel"))))));
    r.post(p + "/messages/edit", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      seeding.edit(s(b, "team_id"), s(b, "channel"), s(b, "user"), s(b, "ts"), s(b, "text"));
      ctx.json(obj("ok", true));
    }));
    r.post(p + "/messages/delete", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      seeding.delete(s(b, "team_id"), s(b, "channel"), s(b, "user"), s(b, "ts"));
      ctx.json(obj("ok", true));
    }));
    r.post(p + "/reactions", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      seeding.react(s(b, "team_id"), s(b, "channel"), s(b, "user"), s(b, "ts"), s(b, "name"),
          Boolean.TRUE.equals(b.get("remove")));
      ctx.json(obj("ok", true));
    }));
    r.post(p + "/files", safe(ctx -> ctx.json(uploadAsPerson(body(ctx)))));
    r.get(p + "/files/{file_id}", safe(this::download));
    r.post(p + "/actions", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      var a = seeding.press(ix, s(b, "team_id"), s(b, "user"), s(b, "channel"), s(b, "message_ts"),
          s(b, "action_id"), opt(b, "value"));
      ctx.json(obj("status", a.status(), "ack", a.body()));
    }));
    r.post(p + "/home/open", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      ctx.json(obj("channel", seeding.openHome(s(b, "team_id"), s(b, "user"), appId(s(b, "team_id"), opt(b, "app_id")))));
    }));
    r.get(p + "/views/home", safe(ctx -> ctx.json(seeding.homeView(q(ctx, "team_id"), q(ctx, "user"),
        ctx.queryParam("app_id")).map(v -> (Object) v).orElse(obj()))));
    r.get(p + "/views/modals", safe(ctx -> ctx.json(seeding.openModals(q(ctx, "team_id"), q(ctx, "user")))));
    r.post(p + "/views/actions", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      ctx.json(obj("status", slack.pressViewButton(s(b, "team_id"), s(b, "user"), s(b, "view_id"),
          s(b, "action_id"), opt(b, "value"))));
    }));
    r.post(p + "/views/submit", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      Object values = b.getOrDefault("values", Map.of());
      ctx.json(slack.submitView(s(b, "team_id"), s(b, "user"), s(b, "view_id"), Json.map(values)));
    }));
    r.post(p + "/views/close", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      closeModal(s(b, "team_id"), s(b, "user"), s(b, "view_id"));
      ctx.json(obj("ok", true));
    }));
    r.post(p + "/views/suggest", safe(ctx -> {
      Map<String, Object> b = body(ctx);
      ctx.json(slack.suggest(s(b, "team_id"), s(b, "user"), s(b, "view_id"), s(b, "action_id"),
          opt(b, "value") == null ? "" : opt(b, "value")));
    }));
    r.get(p + "/calls", safe(ctx -> ctx.json(slack.calls())));
    r.get(p + "/deliveries", safe(ctx -> ctx.json(slack.deliveries())));
    r.get(p + "/ephemerals", safe(ctx -> ctx.json(slack.ephemerals())));
  }

  /** Bad input answers 400 here, not through app-wide exception mappers of a host Javalin. */
  static Handler safe(Handler h) {
    return ctx -> {
      try {
        h.handle(ctx);
      } catch (IllegalArgumentException e) {
        ctx.status(400).json(Map.of("error", String.valueOf(e.getMessage())));
      } catch (SlackError e) {
        ctx.status(400).json(Map.of("error", e.error));
      }
    };
  }

  private List<Object> workspaces() {
    synchronized (state) {
      List<Object> out = new ArrayList<>();
      for (State.Team t : state.teams.values()) {
        List<Object> channels = new ArrayList<>();
        // direct messages too (an app's messages to a person, e.g. an invitation with buttons), as Slack's sidebar shows them
        t.convs.values().forEach(c -> channels.add(obj("id", c.id, "name", c.name, "is_private", c.isPrivate || c.im, "is_im", c.im,
            "members", List.copyOf(c.members))));
        List<Object> users = new ArrayList<>();
        t.users.values().forEach(u -> users.add(obj("id", u.id, "name", u.name, "email", u.email, "is_admin",
            u.admin, "is_bot", u.bot)));
        List<Object> apps = new ArrayList<>();
        t.installs.values().forEach(i -> apps.add(obj("app_id", i.appId, "bot_user_id", i.botUserId, "bot_id",
            i.botId, "name", i.botName)));
        out.add(obj("team_id", t.id, "name", t.name, "domain", t.domain, "channels", channels, "users", users,
            "apps", apps));
      }
      return out;
    }
  }

  private String appId(String teamId, String given) {
    if (given != null) return given;
    synchronized (state) {
      return state.team(teamId).installs.keySet().stream().findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no app installed in " + teamId));
    }
  }

  private Map<String, Object> uploadAsPerson(Map<String, Object> b) {
    return slack.shareFile(s(b, "team_id"), s(b, "channel"), s(b, "user"), s(b, "filename"),
        s(b, "content").getBytes(StandardCharsets.UTF_8), opt(b, "initial_comment"), opt(b, "title"), opt(b, "thread_ts"));
  }

  /** The person closes the top modal (view_closed is not sent; see docs/SANDBOX.md). */
  private void closeModal(String teamId, String user, String viewId) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Person p = seeding.person(t, user);
      State.View v = state.views.get(viewId);
      if (v == null || !"modal".equals(v.type) || v.closed || !v.userId.equals(p.id) || !v.teamId.equals(t.id)) {
        throw new IllegalArgumentException("no open modal " + viewId + " for " + p.id);
      }
      v.closed = true;
    }
  }

  /** A file's content for the browser UI: always an attachment, so an uploaded page never runs here. */
  private void download(Context ctx) {
    synchronized (state) {
      State.FileObj f = state.files.get(ctx.pathParam("file_id"));
      if (f == null || f.content == null || !f.teamId.equals(q(ctx, "team_id"))) {
        throw new IllegalArgumentException("no file " + ctx.pathParam("file_id") + " in " + ctx.queryParam("team_id"));
      }
      ctx.header("Content-Disposition", "attachment; filename=\"" + f.name.replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
          .header("X-Content-Type-Options", "nosniff").contentType("application/octet-stream").result(f.content);
    }
  }

  static Map<String, Object> body(Context ctx) {
    try {
      return Json.readObject(ctx.body());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("body must be a JSON object");
    }
  }

  private static String s(Map<String, Object> b, String key) {
    Object v = b.get(key);
    if (v == null || v.toString().isEmpty()) throw new IllegalArgumentException("missing " + key);
    return v.toString();
  }

  private static String opt(Map<String, Object> b, String key) {
    Object v = b.get(key);
    return v == null || v.toString().isEmpty() ? null : v.toString();
  }

  private static String q(Context ctx, String key) {
    String v = ctx.queryParam(key);
    if (v == null || v.isEmpty()) throw new IllegalArgumentException("missing query parameter " + key);
    return v;
  }
}
