package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The behaviour behind both the Web API and the control API: posting, threading, editing, deleting,
 * reacting, joining. Every method runs under the state lock and reports events to the sink.
 */
final class Engine {
  final State state;
  final Ids ids;
  final Clock clock;
  private final EventSink sink;
  private long lastEventMicros;

  Engine(State state, Ids ids, Clock clock, EventSink sink) {
    this.state = state;
    this.ids = ids;
    this.clock = clock;
    this.sink = sink;
  }

  long nowSeconds() {
    return clock.millis() / 1000;
  }

  static String formatTs(long micros) {
    return String.format("%10d.%06d", micros / 1_000_000, micros % 1_000_000);
  }

  /** A message ts: unique and strictly increasing per channel, from the clock. */
  String nextTs(State.Conv c) {
    long micros = Math.max(clock.millis() * 1000, c.lastTsMicros + 1);
    c.lastTsMicros = micros;
    return formatTs(micros);
  }

  /** An event_ts for events that are not messages: unique across the sandbox. */
  synchronized String eventTs() {
    long micros = Math.max(clock.millis() * 1000, lastEventMicros + 1);
    lastEventMicros = micros;
    return formatTs(micros);
  }

  /** Arguments of a post beyond channel and author. All nullable except text (may be empty). */
  record Post(String text, List<Object> blocks, String threadTs, boolean broadcast, String username,
      String iconUrl, String iconEmoji, Map<String, Object> metadata, List<Object> attachments,
      List<Map<String, Object>> files, String subtype) {
    static Post text(String text, String threadTs) {
      return new Post(text, null, threadTs, false, null, null, null, null, null, null, null);
    }
  }

  Map<String, Object> post(State.Team t, State.Conv c, Author a, Post p) {
    Map<String, Object> parent = null;
    if (p.threadTs() != null) {
      parent = c.messages.get(p.threadTs());
      if (parent == null || isReply(parent)) throw new SlackError("thread_not_found");
    }
    String ts = nextTs(c);
    Map<String, Object> m = obj("user", a.person().id, "type", "message", "ts", ts);
    if (a.isBot()) {
      m.put("bot_id", a.install().botId);
      m.put("app_id", a.install().appId);
    } else {
      m.put("client_msg_id", ids.uuid());
    }
    m.put("text", p.text());
    // recorded file_share messages carry no "team" (event.file_share.json)
    if (p.files() == null) m.put("team", t.id);
    if (a.isBot()) m.put("bot_profile", Shapes.botProfile(a.install()));
    if (p.username() != null) m.put("username", p.username());
    if (p.iconEmoji() != null) m.put("icons", obj("emoji", p.iconEmoji()));
    else if (p.iconUrl() != null) {
      m.put("icons", obj("image_36", p.iconUrl(), "image_48", p.iconUrl(), "image_72", p.iconUrl()));
    }
    if (p.attachments() != null) m.put("attachments", Json.copy(p.attachments()));
    if (p.blocks() != null) m.put("blocks", Shapes.withBlockIds(p.blocks(), ids));
    else if (!p.text().isEmpty()) m.put("blocks", List.of(Shapes.richText(p.text(), ids.alnumMixed(5))));
    if (p.metadata() != null) m.put("metadata", Json.copy(p.metadata()));
    if (p.files() != null) {
      m.put("files", p.files());
      m.put("upload", false);
      m.put("display_as_bot", false);
    }
    if (parent != null) {
      m.put("thread_ts", p.threadTs());
      m.put("parent_user_id", parent.get("user"));
      if (p.broadcast()) m.put("subtype", "thread_broadcast");
      addReply(parent, ts, a.person().id);
    } else if (p.subtype() != null) {
      m.put("subtype", p.subtype());
    }
    if ("me_message".equals(p.subtype())) {
      // a /me message is recorded with none of the client fields (event.me_message.json)
      m.remove("client_msg_id");
      m.remove("team");
      m.remove("blocks");
    }
    c.messages.put(ts, m);
    Map<String, Object> event = Json.copy(m);
    if (p.files() != null && parent == null) event.put("subtype", "file_share");
    if (parent != null && p.broadcast()) {
      // the recorded thread_broadcast event has no parent_user_id, team or blocks, but the root summary
      event.remove("parent_user_id");
      event.remove("team");
      event.remove("blocks");
      event.put("root", rootSummary(parent));
    }
    event.put("channel", c.id);
    event.put("event_ts", ts);
    event.put("channel_type", c.channelType());
    sink.emit(t.id, c.id, null, event);
    return Json.copy(m);
  }

  static boolean isReply(Map<String, Object> m) {
    Object thread = m.get("thread_ts");
    return thread != null && !thread.equals(m.get("ts"));
  }

  /** What conversations.history lists: parents and lone messages, plus replies broadcast to the channel. */
  static boolean inHistory(Map<String, Object> m) {
    return !isReply(m) || "thread_broadcast".equals(m.get("subtype"));
  }

  @SuppressWarnings("unchecked")
  private void addReply(Map<String, Object> parent, String ts, String userId) {
    parent.put("thread_ts", parent.get("ts"));
    parent.put("reply_count", ((Number) parent.getOrDefault("reply_count", 0)).intValue() + 1);
    Set<String> users = new LinkedHashSet<>((List<String>) parent.getOrDefault("reply_users", List.of()));
    users.add(userId);
    parent.put("reply_users_count", users.size());
    parent.put("latest_reply", ts);
    parent.put("reply_users", new ArrayList<>(users));
    parent.putIfAbsent("is_locked", false);
    parent.putIfAbsent("subscribed", false);
  }

  private static Map<String, Object> rootSummary(Map<String, Object> parent) {
    Map<String, Object> r = Json.copy(parent);
    r.remove("blocks");
    r.remove("reactions");
    r.remove("subscribed");
    return r;
  }

  Map<String, Object> message(State.Conv c, String ts) {
    Map<String, Object> m = c.messages.get(ts);
    if (m == null || "tombstone".equals(m.get("subtype"))) throw new SlackError("message_not_found");
    return m;
  }

  /** Replaces text/blocks/attachments/metadata of a message and reports message_changed. */
  Map<String, Object> edit(State.Team t, State.Conv c, String ts, String editorId, String text, List<Object> blocks,
      List<Object> attachments, Map<String, Object> metadata) {
    Map<String, Object> m = message(c, ts);
    Map<String, Object> previous = Json.copy(m);
    if (text != null) m.put("text", text);
    if (blocks != null) m.put("blocks", Shapes.withBlockIds(blocks, ids));
    else if (text != null && !m.containsKey("bot_id")) {
      m.put("blocks", List.of(Shapes.richText(text, ids.alnumMixed(5))));
    }
    if (attachments != null) m.put("attachments", Json.copy(attachments));
    if (metadata != null) m.put("metadata", Json.copy(metadata));
    String eventTs = nextTs(c);
    // Slack writes the edit time with whole seconds: "1718264580.000000"
    m.put("edited", obj("user", editorId, "ts", eventTs.substring(0, eventTs.indexOf('.')) + ".000000"));
    Map<String, Object> changed = Json.copy(m);
    changed.put("source_team", t.id);
    changed.put("user_team", t.id);
    previous.remove("reactions");
    sink.emit(t.id, c.id, null, obj("type", "message", "subtype", "message_changed", "message", changed,
        "previous_message", previous, "channel", c.id, "hidden", true, "ts", eventTs, "event_ts", eventTs,
        "channel_type", c.channelType()));
    return Json.copy(m);
  }

  /**
   * Deletes a message and reports message_deleted; a parent with replies stays as a tombstone, as
   * Slack shows it, and Slack then reports the change as message_changed with the tombstone as
   * the message (seen from real Slack by several bridges and bots).
   */
  void delete(State.Team t, State.Conv c, String ts) {
    Map<String, Object> m = message(c, ts);
    Map<String, Object> previous = Json.copy(m);
    String eventTs = nextTs(c);
    if (((Number) m.getOrDefault("reply_count", 0)).intValue() > 0) {
      m.keySet().retainAll(Set.of("type", "ts", "thread_ts", "reply_count", "reply_users_count", "latest_reply",
          "reply_users", "is_locked", "subscribed"));
      m.put("subtype", "tombstone");
      m.put("text", "This message was deleted.");
      m.put("user", "USLACKBOT");
      m.put("hidden", true);
      m.put("parent_user_id", "USLACKBOT");
      previous.remove("reactions");
      sink.emit(t.id, c.id, null, obj("type", "message", "subtype", "message_changed", "message", Json.copy(m),
          "previous_message", previous, "channel", c.id, "hidden", true, "ts", eventTs, "event_ts", eventTs,
          "channel_type", c.channelType()));
      return;
    }
    c.messages.remove(ts);
    if (isReply(m)) removeReply(c.messages.get((String) m.get("thread_ts")), c);
    sink.emit(t.id, c.id, null, obj("type", "message", "subtype", "message_deleted", "previous_message",
        previous, "channel", c.id, "hidden", true, "deleted_ts", ts, "event_ts", eventTs, "ts", eventTs,
        "channel_type", c.channelType()));
  }

  private static void removeReply(Map<String, Object> parent, State.Conv c) {
    if (parent == null) return;
    String root = (String) parent.get("ts");
    List<Map<String, Object>> replies = c.messages.values().stream()
        .filter(x -> root.equals(x.get("thread_ts")) && !root.equals(x.get("ts"))).toList();
    parent.put("reply_count", replies.size());
    Set<String> users = new LinkedHashSet<>();
    replies.forEach(r -> users.add((String) r.get("user")));
    parent.put("reply_users_count", users.size());
    parent.put("reply_users", new ArrayList<>(users));
    if (!replies.isEmpty()) parent.put("latest_reply", replies.getLast().get("ts"));
  }

  /** A custom emoji of another workspace that this one lacks (a skin tone suffix is ignored). */
  private boolean customElsewhere(State.Team t, String name) {
    String base = name.contains("::") ? name.substring(0, name.indexOf("::")) : name;
    return !t.customEmoji.contains(base) && state.teams.values().stream().anyMatch(x -> x.customEmoji.contains(base));
  }

  @SuppressWarnings("unchecked")
  void react(State.Team t, State.Conv c, String ts, String userId, String name, boolean remove) {
    Map<String, Object> m = message(c, ts);
    List<Map<String, Object>> reactions = (List<Map<String, Object>>) m.computeIfAbsent("reactions",
        k -> new ArrayList<>());
    Map<String, Object> r = reactions.stream().filter(x -> name.equals(x.get("name"))).findFirst().orElse(null);
    List<String> users = r == null ? List.of() : (List<String>) r.get("users");
    if (!remove && customElsewhere(t, name)) throw new SlackError("invalid_name");
    if (!remove && users.contains(userId)) throw new SlackError("already_reacted");
    if (remove && !users.contains(userId)) throw new SlackError("no_reaction");
    if (r == null) {
      r = obj("name", name, "users", new ArrayList<String>(), "count", 0);
      reactions.add(r);
    }
    List<String> mutable = (List<String>) r.get("users");
    if (remove) mutable.remove(userId);
    else mutable.add(userId);
    r.put("count", mutable.size());
    if (mutable.isEmpty()) reactions.remove(r);
    if (reactions.isEmpty()) m.remove("reactions");
    Map<String, Object> event = obj("type", remove ? "reaction_removed" : "reaction_added", "user", userId,
        "item", obj("type", "message", "channel", c.id, "ts", ts), "reaction", name);
    if (m.get("user") != null) event.put("item_user", m.get("user"));
    event.put("event_ts", eventTs());
    sink.emit(t.id, c.id, null, event);
  }

  /** Adds a member and reports member_joined_channel (channel_type is one letter: C or G). */
  boolean join(State.Team t, State.Conv c, String userId, String inviter) {
    if (!c.members.add(userId)) return false;
    Map<String, Object> event = obj("type", "member_joined_channel", "user", userId, "channel", c.id,
        "channel_type", c.isPrivate ? "G" : "C", "team", t.id);
    if (inviter != null) event.put("inviter", inviter);
    event.put("event_ts", eventTs());
    sink.emit(t.id, c.id, null, event);
    return true;
  }

  boolean leave(State.Team t, State.Conv c, String userId) {
    if (!c.members.remove(userId)) return false;
    sink.emit(t.id, c.id, null, obj("type", "member_left_channel", "user", userId, "channel", c.id,
        "channel_type", c.isPrivate ? "G" : "C", "team", t.id, "event_ts", eventTs()));
    return true;
  }

  void emit(String teamId, String channelId, String onlyAppId, Map<String, Object> event) {
    sink.emit(teamId, channelId, onlyAppId, event);
  }
}
