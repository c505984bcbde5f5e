package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import io.javalin.http.Context;
import java.net.URLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The external upload flow: files.getUploadURLExternal (an upload URL on the sandbox, the declared length
 * recorded), a POST of the bytes to it, files.completeUploadExternal (answers only ids and titles; the share,
 * its message ts and the file_share event come after the configured delay), files.info with {@code shares},
 * and downloads of {@code url_private} with a token in {@code Authorization: Bearer}.
 */
final class FileMethods {
  private final Engine engine;
  private final State state;
  private final Supplier<String> base;
  private final ScheduledExecutorService timer;
  private final Duration shareDelay;

  FileMethods(Engine engine, Supplier<String> base, ScheduledExecutorService timer, Duration shareDelay) {
    this.engine = engine;
    this.state = engine.state;
    this.base = base;
    this.timer = timer;
    this.shareDelay = shareDelay;
  }

  void register(WebApi api) {
    api.register("files.getUploadURLExternal", RateTier.TIER_4, "files:write", this::uploadUrl);
    api.register("files.completeUploadExternal", RateTier.TIER_4, "files:write", this::complete);
    api.register("files.info", RateTier.TIER_4, "files:read", this::info);
  }

  private Map<String, Object> uploadUrl(Req r) {
    String filename = r.str("filename");
    int length = r.integer("length", -1);
    if (filename == null || length < 0) throw new SlackError("invalid_arguments");
    State.FileObj f = create(r.team().id, Access.actor(r), filename, length);
    return obj("upload_url", base.get() + "/slack/upload/v1/" + f.id, "file_id", f.id);
  }

  State.FileObj create(String teamId, String userId, String filename, long length) {
    State.FileObj f = new State.FileObj(engine.ids.id('F'), teamId, userId, filename, length, engine.nowSeconds());
    String guess = URLConnection.guessContentTypeFromName(filename);
    if (guess != null) f.mimetype = guess;
    state.files.put(f.id, f);
    return f;
  }

  /** The upload POST: raw bytes or a multipart {@code file} part. */
  void upload(Context ctx) {
    byte[] bytes;
    if (ctx.isMultipartFormData() && ctx.uploadedFile("file") != null) {
      try (var in = ctx.uploadedFile("file").content()) {
        bytes = in.readAllBytes();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot read upload", e);
      }
    } else {
      bytes = ctx.bodyAsBytes();
    }
    synchronized (state) {
      State.FileObj f = state.files.get(ctx.pathParam("id"));
      if (f == null || f.completed) {
        ctx.status(404).result("file_not_found");
        return;
      }
      f.content = bytes;
    }
    ctx.status(200).contentType("text/plain").result("OK - " + bytes.length);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> complete(Req r) {
    List<Object> files = r.jsonList("files", "invalid_arguments");
    if (files == null || files.isEmpty()) throw new SlackError("invalid_arguments");
    String channelId = r.str("channel_id");
    State.Conv c = channelId == null ? null : Access.conv(r, "channel_id");
    if (c != null) Access.requireMember(r, c);
    List<State.FileObj> done = new ArrayList<>();
    List<Object> out = new ArrayList<>();
    for (Object o : files) {
      Map<String, Object> spec = (Map<String, Object>) o;
      State.FileObj f = state.files.get(String.valueOf(spec.get("id")));
      if (f == null || f.content == null || !f.teamId.equals(r.team().id)) throw new SlackError("file_not_found");
      if (f.completed) throw new SlackError("file_already_completed");
      f.completed = true;
      if (spec.get("title") instanceof String t && !t.isEmpty()) f.title = t;
      done.add(f);
      out.add(obj("id", f.id, "title", f.title));
    }
    if (c != null) {
      share(r.team(), c, Access.author(r), done, r.str("initial_comment"), r.str("thread_ts"));
    }
    return obj("files", out);
  }

  /** After the share delay, posts the files in the channel (message, ts, shares, file_share event). */
  void share(State.Team t, State.Conv c, Author a, List<State.FileObj> files, String comment, String threadTs) {
    timer.schedule(() -> {
      synchronized (state) {
        List<Map<String, Object>> shapes = new ArrayList<>();
        files.forEach(f -> shapes.add(Shapes.file(f, t, base.get())));
        Map<String, Object> m = engine.post(t, c, a, new Engine.Post(comment == null ? "" : comment, null,
            threadTs, false, null, null, null, null, null, shapes, null));
        for (State.FileObj f : files) {
          f.shares.computeIfAbsent(c.id, k -> new ArrayList<>()).add(obj("reply_users", List.of(),
              "reply_users_count", 0, "reply_count", 0, "ts", m.get("ts"), "channel_name", c.name, "team_id", t.id));
        }
      }
    }, shareDelay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Map<String, Object> info(Req r) {
    State.FileObj f = state.files.get(r.str("file"));
    if (f == null || !f.teamId.equals(r.team().id) || !f.completed) throw new SlackError("file_not_found");
    Map<String, Object> m = Shapes.file(f, r.team(), base.get());
    List<String> channels = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String> ims = new ArrayList<>();
    Map<String, Object> pub = obj();
    Map<String, Object> priv = obj();
    f.shares.forEach((cid, entries) -> {
      State.Conv c = r.team().convs.get(cid);
      (c.im ? ims : c.isPrivate ? groups : channels).add(cid);
      (c.isPrivate || c.im ? priv : pub).put(cid, Json.copy(entries));
    });
    m.put("channels", channels);
    m.put("groups", groups);
    m.put("ims", ims);
    m.put("comments_count", 0);
    Map<String, Object> shares = obj();
    if (!pub.isEmpty()) shares.put("public", pub);
    if (!priv.isEmpty()) shares.put("private", priv);
    m.put("shares", shares);
    return obj("file", m, "comments", List.of(), "response_metadata", obj("next_cursor", ""));
  }

  /**
   * GET of url_private(_download): the bytes with a valid token of the file's workspace; otherwise Slack's
   * sign-in page (HTTP 200, HTML), which is what a caller without a token really receives.
   */
  void download(Context ctx) {
    String h = ctx.header("Authorization");
    String token = h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : null;
    String[] teamFile = ctx.pathParam("teamfile").split("-", 2);
    synchronized (state) {
      State.Token t = token == null ? null : state.tokens.get(token);
      State.FileObj f = teamFile.length < 2 ? null : state.files.get(teamFile[1]);
      if (t == null || f == null || !f.teamId.equals(t.teamId()) || f.content == null) {
        ctx.status(200).contentType("text/html; charset=utf-8")
            .result("<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in</body></html>");
        return;
      }
      ctx.status(200).contentType(f.mimetype).result(f.content);
    }
  }
}
