package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/** chat.postMessage/update/delete/postEphemeral/getPermalink, plus reactions.add/remove/get. */
final class ChatMethods {
  static final int MAX_MESSAGE_BLOCKS = 50;
  static final int MAX_TEXT = 40_000;
  private final Engine engine;
  private final Knobs knobs;
  private final RateLimiter limiter;
  final List<Map<String, Object>> ephemerals = new CopyOnWriteArrayList<>();

  ChatMethods(Engine engine, Knobs knobs, RateLimiter limiter) {
    this.engine = engine;
    this.knobs = knobs;
    this.limiter = limiter;
  }

  void register(WebApi api) {
    api.register("chat.postMessage", RateTier.SPECIAL, "chat:write", this::postMessage);
    api.register("chat.update", RateTier.TIER_3, "chat:write", this::update);
    api.register("chat.delete", RateTier.TIER_3, "chat:write", this::delete);
    api.register("chat.postEphemeral", RateTier.TIER_4, "chat:write", this::postEphemeral);
    api.register("chat.getPermalink", RateTier.SPECIAL, null, this::permalink);
    api.register("reactions.add", RateTier.TIER_3, "reactions:write", r -> react(r, false));
    api.register("reactions.remove", RateTier.TIER_2, "reactions:write", r -> react(r, true));
    api.register("reactions.get", RateTier.TIER_3, "reactions:read", this::reactionsGet);
  }

  /** A DM can be addressed by the user's id, as Slack allows for bots. */
  private State.Conv target(Req r) {
    String ch = r.str("channel");
    if (ch != null && (ch.startsWith("U") || ch.startsWith("W")) && r.team().users.containsKey(ch)
        && r.install() != null) {
      return Access.imWith(engine, r.team(), r.install(), ch);
    }
    return Access.conv(r, "channel");
  }

  private List<Object> blocks(Req r) {
    List<Object> blocks = r.jsonList("blocks", "invalid_blocks_format");
    if (blocks != null && blocks.size() > MAX_MESSAGE_BLOCKS) {
      throw new SlackError("invalid_blocks", obj("errors", List.of("must be less than 51 items [json-pointer:/blocks]"),
          "response_metadata", obj("messages", List.of("[ERROR] must be less than 51 items [json-pointer:/blocks]"))));
    }
    return blocks;
  }

  private Map<String, Object> metadata(Req r) {
    Map<String, Object> md = r.jsonObject("metadata", "invalid_metadata_format");
    if (md != null && !(md.get("event_type") instanceof String)) throw new SlackError("invalid_metadata_format");
    if (md != null && md.get("event_payload") != null && !(md.get("event_payload") instanceof Map<?, ?>)) {
      throw new SlackError("invalid_metadata_format");
    }
    return md;
  }

  private Map<String, Object> postMessage(Req r) {
    State.Conv c = target(r);
    boolean isPublicPost = !c.isPrivate && !c.im && r.install() != null
        && r.install().scopes.contains("chat:write.public");
    if (!c.members.contains(Access.actor(r)) && !isPublicPost) throw new SlackError("not_in_channel");
    if (c.archived) throw new SlackError("is_archived");
    String text = r.str("text") == null ? "" : r.str("text");
    List<Object> blocks = blocks(r);
    List<Object> attachments = r.jsonList("attachments", "invalid_attachments");
    if (text.isEmpty() && blocks == null && attachments == null) throw new SlackError("no_text");
    if (text.length() > MAX_TEXT) throw new SlackError("msg_too_long");
    Map<String, Object> metadata = metadata(r);
    if (knobs.channelLimits()) {
      OptionalLong wait = limiter.bucket("chan|" + r.team().id + "|" + c.id, knobs.channelPostsPerSecond(),
          knobs.channelBurst());
      if (wait.isPresent()) throw new WebApi.RateLimitedError(wait.getAsLong());
    }
    boolean customize = r.install() != null && r.install().scopes.contains("chat:write.customize");
    Engine.Post post = new Engine.Post(text, blocks, r.str("thread_ts"), r.bool("reply_broadcast", false),
        customize ? r.str("username") : null, customize ? r.str("icon_url") : null,
        customize ? r.str("icon_emoji") : null, metadata, attachments, null, null);
    Map<String, Object> m = engine.post(r.team(), c, Access.author(r), post);
    return obj("channel", c.id, "ts", m.get("ts"), "message", m);
  }

  private Map<String, Object> ownMessage(Req r, State.Conv c, String ts, String refusal) {
    Map<String, Object> m = engine.message(c, ts);
    boolean own = r.token().kind() == State.TokenKind.BOT
        ? r.install().botId.equals(m.get("bot_id"))
        : Access.actor(r).equals(m.get("user")) && m.get("bot_id") == null;
    if (!own) throw new SlackError(refusal);
    return m;
  }

  private Map<String, Object> update(Req r) {
    State.Conv c = Access.conv(r, "channel");
    String ts = r.required("ts");
    ownMessage(r, c, ts, "cant_update_message");
    String text = r.str("text");
    if (text != null && text.length() > MAX_TEXT) throw new SlackError("msg_too_long");
    Map<String, Object> m = engine.edit(r.team(), c, ts, Access.actor(r), text, blocks(r),
        r.jsonList("attachments", "invalid_attachments"), metadata(r));
    Map<String, Object> shown = obj("user", m.get("user"), "type", "message");
    if (m.get("bot_id") != null) {
      shown.put("bot_id", m.get("bot_id"));
      shown.put("app_id", m.get("app_id"));
    }
    shown.put("text", m.get("text"));
    shown.put("team", m.get("team"));
    for (String k : List.of("blocks", "attachments", "metadata")) {
      if (m.get(k) != null) shown.put(k, m.get(k));
    }
    return obj("channel", c.id, "ts", ts, "text", m.get("text"), "message", shown);
  }

  private Map<String, Object> delete(Req r) {
    State.Conv c = Access.conv(r, "channel");
    String ts = r.required("ts");
    ownMessage(r, c, ts, "cant_delete_message");
    engine.delete(r.team(), c, ts);
    return obj("channel", c.id, "ts", ts);
  }

  private Map<String, Object> postEphemeral(Req r) {
    State.Conv c = target(r);
    State.Person p = Access.person(r, "user", "user_not_found");
    if (!c.members.contains(p.id)) throw new SlackError("user_not_in_channel");
    if (!c.members.contains(Access.actor(r)) && (c.isPrivate || c.im)) throw new SlackError("not_in_channel");
    String text = r.str("text") == null ? "" : r.str("text");
    List<Object> blocks = blocks(r);
    if (text.isEmpty() && blocks == null && r.str("attachments") == null) throw new SlackError("no_text");
    String ts = engine.nextTs(c);
    ephemerals.add(obj("channel", c.id, "user", p.id, "ts", ts, "text", text, "blocks", blocks,
        "thread_ts", r.str("thread_ts"), "app_id", r.install() == null ? null : r.install().appId));
    return obj("message_ts", ts);
  }

  private Map<String, Object> permalink(Req r) {
    State.Conv c = Access.conv(r, "channel");
    String ts = r.str("message_ts");
    if (ts == null) throw new SlackError("invalid_arguments");
    Map<String, Object> m = engine.message(c, ts);
    String link = "https://" + r.team().domain + ".slack.com/archives/" + c.id + "/p" + ts.replace(".", "");
    if (Engine.isReply(m)) link += "?thread_ts=" + m.get("thread_ts") + "&cid=" + c.id;
    return obj("channel", c.id, "permalink", link);
  }

  private Map<String, Object> react(Req r, boolean remove) {
    State.Conv c = Access.conv(r, "channel");
    Access.requireMember(r, c);
    String ts = r.str("timestamp");
    if (ts == null) throw new SlackError("no_item_specified");
    String name = r.str("name");
    if (name == null) throw new SlackError("invalid_name");
    engine.react(r.team(), c, ts, Access.actor(r), name.replace(":", ""), remove);
    return obj();
  }

  private Map<String, Object> reactionsGet(Req r) {
    State.Conv c = Access.conv(r, "channel");
    String ts = r.str("timestamp");
    if (ts == null) throw new SlackError("no_item_specified");
    Map<String, Object> m = Json.copy(engine.message(c, ts));
    // reactions.get shows a reduced message with its permalink, not the stored one
    m.keySet().retainAll(List.of("type", "subtype", "text", "ts", "user", "username", "team", "app_id", "bot_id",
        "bot_profile", "attachments", "blocks", "metadata", "reactions"));
    m.put("permalink", "https://" + r.team().domain + ".slack.com/archives/" + c.id + "/p" + ts.replace(".", ""));
    return obj("type", "message", "channel", c.id, "message", m);
  }
}
