package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Seeding and acting as a person: what the public FakeSlack methods and the control API both do. */
final class Seeding {
  private static final String[] COLORS = {"9f69e7", "e96699", "e7392d", "4bbe2e", "3c989f", "674b1b"};
  private final Engine engine;
  private final State state;
  private final HttpDelivery http;
  private final OAuth oauth;
  private final Consumer<Delivery> record;

  Seeding(Engine engine, HttpDelivery http, OAuth oauth, Consumer<Delivery> record) {
    this.engine = engine;
    this.state = engine.state;
    this.http = http;
    this.oauth = oauth;
    this.record = record;
  }

  Workspace addWorkspace(String teamId, String name, String domain) {
    synchronized (state) {
      String id = teamId != null ? teamId : engine.ids.id('T');
      if (state.teams.containsKey(id)) throw new IllegalArgumentException("team exists: " + id);
      state.teams.put(id, new State.Team(id, name, domain));
      return new Workspace(id, name, domain);
    }
  }

  void addCustomEmoji(String teamId, String name) {
    synchronized (state) {
      state.team(teamId).customEmoji.add(name);
    }
  }

  User addUser(String teamId, String userId, String name, String realName, String email, boolean admin) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Person p = new State.Person(userId != null ? userId : engine.ids.id('U'), t.id);
      if (t.users.containsKey(p.id)) throw new IllegalArgumentException("user exists: " + p.id);
      p.name = name;
      p.realName = realName;
      p.email = email;
      p.admin = admin;
      p.color = COLORS[t.users.size() % COLORS.length];
      p.avatarHash = engine.ids.hex(6);
      p.updated = engine.nowSeconds();
      t.users.put(p.id, p);
      engine.emit(t.id, null, null, obj("type", "team_join", "user", Shapes.user(p, true)));
      return new User(t.id, p.id, name, realName, email, admin, false);
    }
  }

  Channel addChannel(String teamId, String channelId, String name, boolean isPrivate, List<String> members) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      String creator = members.isEmpty() ? "" : person(t, members.getFirst()).id;
      State.Conv c = new State.Conv(channelId != null ? channelId : engine.ids.id(isPrivate ? 'G' : 'C'), t.id,
          name, isPrivate, false, null, engine.nowSeconds(), creator);
      c.general = !isPrivate && t.convs.values().stream().noneMatch(x -> x.general);
      for (String m : members) c.members.add(person(t, m).id);
      t.convs.put(c.id, c);
      return new Channel(t.id, c.id, name, isPrivate, false, List.copyOf(c.members));
    }
  }

  AppRegistration registerApp(AppSpec spec) {
    AppRegistration reg;
    synchronized (state) {
      String appId = spec.appId() != null ? spec.appId() : engine.ids.id('A');
      if (state.apps.containsKey(appId)) throw new IllegalArgumentException("app exists: " + appId);
      reg = new AppRegistration(appId,
          spec.clientId() != null ? spec.clientId() : engine.ids.digits(13) + "." + engine.ids.digits(13),
          spec.clientSecret() != null ? spec.clientSecret() : engine.ids.hex(16),
          spec.signingSecret() != null ? spec.signingSecret() : engine.ids.hex(16),
          spec.appToken() != null ? spec.appToken() : engine.ids.appToken(appId), engine.ids.alnumMixed(24));
      state.apps.put(appId, new State.App(spec, reg, engine.nowSeconds()));
      if (spec.socketMode()) {
        state.tokens.put(reg.appToken(), new State.Token(State.TokenKind.APP, null, appId, null));
      }
    }
    if (spec.requestUrl() != null) {
      // Slack verifies a request URL when it is saved; the outcome is recorded as a delivery
      Thread.ofVirtual().start(() -> verifyUrl(reg.appId()));
    }
    return reg;
  }

  /** Sends url_verification to the app's request URL, as Slack does when the URL is saved. */
  boolean verifyUrl(String appId) {
    State.App app;
    synchronized (state) {
      app = state.apps.get(appId);
    }
    if (app == null || app.spec.requestUrl() == null) throw new IllegalArgumentException("no request URL: " + appId);
    String challenge = engine.ids.alnumMixed(52);
    String body = Json.write(obj("token", app.reg.verificationToken(), "challenge", challenge, "type",
        "url_verification"));
    try {
      HttpResponse<String> res = http.send(app.spec.requestUrl(), app.reg.signingSecret(), body,
          "application/json", 0, null);
      boolean ok = res.statusCode() == 200 && res.body().contains(challenge);
      record.accept(new Delivery(appId, null, challenge, "url_verification", 0, res.statusCode(),
          ok ? "ok" : "http_error"));
      return ok;
    } catch (java.io.IOException e) {
      record.accept(new Delivery(appId, null, challenge, "url_verification", 0, 0, "connection_failed"));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Installation install(String appId, String teamId) {
    synchronized (state) {
      State.App app = state.apps.get(appId);
      if (app == null) throw new IllegalArgumentException("unknown app: " + appId);
      State.Install i = oauth.install(app, state.team(teamId), app.spec.botScopes());
      return new Installation(i.appId, i.teamId, i.botUserId, i.botId, i.botToken, i.scopes);
    }
  }

  void remove(String teamId, String channel, String userId) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      engine.leave(t, conv(t, channel), person(t, userId).id);
    }
  }

  void archive(String teamId, String channel, String userId) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Conv c = conv(t, channel);
      if (c.archived) throw new IllegalArgumentException("channel already archived: " + c.id);
      c.archived = true;
      engine.emit(t.id, c.id, null, obj("type", "channel_archive", "channel", c.id, "user", person(t, userId).id,
          "event_ts", engine.eventTs()));
    }
  }

  void invite(String teamId, String channel, String userId, String inviter) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      engine.join(t, conv(t, channel), person(t, userId).id, inviter == null ? null : person(t, inviter).id);
    }
  }

  void uninstall(String appId, String teamId) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Install i = t.installs.get(appId);
      if (i == null) throw new IllegalArgumentException("not installed: " + appId + " in " + t.id);
      i.revoked = true;
      List<String> userTokens = state.tokens.values().stream().filter(x -> x.kind() == State.TokenKind.USER
          && appId.equals(x.appId()) && t.id.equals(x.teamId())).map(State.Token::userId).distinct().toList();
      state.tokens.remove(i.botToken);
      state.tokens.entrySet().removeIf(e -> appId.equals(e.getValue().appId()) && t.id.equals(e.getValue().teamId()));
      engine.emit(t.id, null, appId, obj("type", "tokens_revoked", "tokens", obj("oauth", userTokens,
          "bot", List.of(i.botUserId))));
      engine.emit(t.id, null, appId, obj("type", "app_uninstalled"));
    }
  }

  void updateProfile(String teamId, String userId, String realName, String title, String email) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Person p = person(t, userId);
      if (realName != null) p.realName = realName;
      if (title != null) p.title = title;
      if (email != null) p.email = email;
      p.updated = engine.nowSeconds();
      engine.emit(t.id, null, null, obj("user", Shapes.user(p, true), "cache_ts", p.updated, "type",
          "user_profile_changed", "event_ts", engine.eventTs()));
    }
  }

  State.Person person(State.Team t, String key) {
    return t.userByIdOrName(key).orElseThrow(() -> new IllegalArgumentException("unknown user: " + key));
  }

  State.Conv conv(State.Team t, String key) {
    return t.convByIdOrName(key).orElseThrow(() -> new IllegalArgumentException("unknown channel: " + key));
  }

  /** A person posts; "/me text" becomes a me_message. Posting to a public channel joins it first. */
  String postAsUser(String teamId, String channel, String user, String text, String threadTs, boolean broadcast) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Conv c = conv(t, channel);
      State.Person p = person(t, user);
      if (!c.members.contains(p.id)) {
        if (c.isPrivate || c.im) throw new IllegalArgumentException(p.id + " is not in private " + c.id);
        engine.join(t, c, p.id, null);
      }
      String subtype = null;
      String body = text;
      if (text.startsWith("/me ") && threadTs == null) {
        subtype = "me_message";
        body = text.substring(4);
      }
      Map<String, Object> m = engine.post(t, c, new Author(p, null), new Engine.Post(body, null, threadTs, broadcast,
          null, null, null, null, null, null, subtype));
      return (String) m.get("ts");
    }
  }

  /**
   * A person uploads a file into a channel (or a thread) from the composer, with an optional message: a
   * {@code file_share} message. Returns the file id and the message ts.
   */
  Map<String, Object> shareFileAsUser(FileMethods files, String base, String teamId, String channel, String user, String filename,
      byte[] content, String text, String title, String threadTs) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Conv c = conv(t, channel);
      State.Person p = person(t, user);
      State.FileObj f = files.create(t.id, p.id, filename, content.length);
      f.content = content;
      f.completed = true;
      if (title != null) f.title = title;
      Map<String, Object> m = engine.post(t, c, new Author(p, null), new Engine.Post(text == null ? "" : text, null, threadTs, false,
          null, null, null, null, null, List.of(Shapes.file(f, t, base)), null));
      m.put("upload", true);
      f.shares.computeIfAbsent(c.id, k -> new ArrayList<>()).add(obj("reply_users", List.of(), "reply_users_count", 0,
          "reply_count", 0, "ts", m.get("ts"), "channel_name", c.name, "team_id", t.id));
      return obj("file_id", f.id, "ts", m.get("ts"));
    }
  }

  byte[] fileContent(String fileId) {
    synchronized (state) {
      State.FileObj f = state.files.get(fileId);
      if (f == null || f.content == null) throw new IllegalArgumentException("no file " + fileId);
      return f.content.clone();
    }
  }

  void react(String teamId, String channel, String user, String ts, String name, boolean remove) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      engine.react(t, conv(t, channel), ts, person(t, user).id, name, remove);
    }
  }

  void edit(String teamId, String channel, String user, String ts, String text) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Conv c = conv(t, channel);
      State.Person p = person(t, user);
      if (!p.id.equals(engine.message(c, ts).get("user"))) throw new IllegalArgumentException(p.id + " did not post " + ts);
      engine.edit(t, c, ts, p.id, text, null, null, null);
    }
  }

  void delete(String teamId, String channel, String user, String ts) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Conv c = conv(t, channel);
      State.Person p = person(t, user);
      if (!p.id.equals(engine.message(c, ts).get("user")) && !p.admin) {
        throw new IllegalArgumentException(p.id + " may not delete " + ts);
      }
      engine.delete(t, c, ts);
    }
  }

  Interactivity.Answer press(Interactivity ix, String teamId, String user, String channel, String ts,
      String actionId, String value) {
    State.Team t;
    State.Person p;
    State.Conv c;
    synchronized (state) {
      t = state.team(teamId);
      p = person(t, user);
      c = conv(t, channel);
    }
    return ix.pressInMessage(t, p, c, ts, actionId, value);
  }

  String openHome(String teamId, String user, String appId) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Person p = person(t, user);
      State.Install i = t.installs.get(appId);
      if (i == null) throw new IllegalArgumentException("not installed: " + appId + " in " + t.id);
      State.Conv dm = Access.imWith(engine, t, i, p.id);
      Map<String, Object> event = obj("type", "app_home_opened", "user", p.id, "channel", dm.id, "tab", "home");
      String viewId = i.homeViewByUser.get(p.id);
      if (viewId != null) {
        Map<String, Object> view = Shapes.view(state.views.get(viewId), i);
        view.remove("previous_view_id"); // absent from the recorded app_home_opened view
        event.put("view", view);
      }
      event.put("event_ts", engine.eventTs());
      engine.emit(t.id, dm.id, appId, event);
      return dm.id;
    }
  }

  Optional<Map<String, Object>> homeView(String teamId, String user, String appId) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Person p = person(t, user);
      List<State.Install> installs = appId != null ? List.of(t.installs.get(appId)) : List.copyOf(t.installs.values());
      for (State.Install i : installs) {
        String viewId = i == null ? null : i.homeViewByUser.get(p.id);
        if (viewId != null) return Optional.of(Shapes.view(state.views.get(viewId), i));
      }
      return Optional.empty();
    }
  }

  List<Map<String, Object>> openModals(String teamId, String user) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      State.Person p = person(t, user);
      List<Map<String, Object>> out = new ArrayList<>();
      state.views.values().stream().filter(v -> v.teamId.equals(t.id) && v.userId.equals(p.id)
          && "modal".equals(v.type) && !v.closed).forEach(v -> out.add(Shapes.view(v, t.installs.get(v.appId))));
      return out;
    }
  }

  List<Map<String, Object>> messages(String teamId, String channel) {
    synchronized (state) {
      State.Team t = state.team(teamId);
      List<Map<String, Object>> out = new ArrayList<>();
      conv(t, channel).messages.values().forEach(m -> out.add(Json.copy(m)));
      return out;
    }
  }
}
