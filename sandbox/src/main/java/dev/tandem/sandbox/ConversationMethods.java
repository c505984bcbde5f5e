package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** conversations.list/info/history/replies/members/join/leave/open. */
final class ConversationMethods {
  private final Engine engine;
  private final Knobs knobs;
  private final RateLimiter limiter;

  ConversationMethods(Engine engine, Knobs knobs, RateLimiter limiter) {
    this.engine = engine;
    this.knobs = knobs;
    this.limiter = limiter;
  }

  void register(WebApi api) {
    api.register("conversations.list", RateTier.TIER_2, "channels:read|groups:read|im:read", this::list);
    api.register("conversations.info", RateTier.TIER_3, "channels:read|groups:read|im:read", this::info);
    api.register("conversations.history", RateTier.TIER_3, "channels:history|groups:history|im:history",
        this::history);
    api.register("conversations.replies", RateTier.TIER_3, "channels:history|groups:history|im:history",
        this::replies);
    api.register("conversations.members", RateTier.TIER_4, "channels:read|groups:read|im:read", this::members);
    api.register("conversations.join", RateTier.TIER_3, "channels:join", this::join);
    api.register("conversations.leave", RateTier.TIER_3, "channels:manage|groups:write", this::leave);
    api.register("conversations.open", RateTier.TIER_3, "im:write", this::open);
  }

  private Map<String, Object> list(Req r) {
    Set<String> types = Set.copyOf(Arrays.asList(
        (r.str("types") == null ? "public_channel" : r.str("types")).split(",")));
    boolean excludeArchived = r.bool("exclude_archived", false);
    int limit = Math.min(1000, r.integer("limit", 100));
    String actor = Access.actor(r);
    List<State.Conv> visible = new ArrayList<>();
    for (State.Conv c : r.team().convs.values()) {
      String type = c.im ? "im" : c.isPrivate ? "private_channel" : "public_channel";
      if (!types.contains(type) || (excludeArchived && c.archived)) continue;
      if ((c.isPrivate || c.im) && !c.members.contains(actor)) continue;
      visible.add(c);
    }
    int start = 0;
    if (r.str("cursor") != null) {
      String after = Ids.uncursor(r.str("cursor")).replaceFirst("^team:", "");
      start = indexOf(visible, after);
    }
    int end = Math.min(visible.size(), start + Math.max(1, limit));
    List<Object> channels = new ArrayList<>();
    for (State.Conv c : visible.subList(start, end)) {
      Map<String, Object> m = Shapes.conversation(c, actor);
      if (!c.im) {
        m.put("is_member", c.members.contains(actor));
        m.put("num_members", c.members.size());
      }
      channels.add(m);
    }
    String next = end < visible.size() ? Ids.cursor("team:" + visible.get(end).id) : "";
    return obj("channels", channels, "response_metadata", obj("next_cursor", next));
  }

  private static int indexOf(List<State.Conv> convs, String id) {
    for (int i = 0; i < convs.size(); i++) if (convs.get(i).id.equals(id)) return i;
    throw new SlackError("invalid_cursor");
  }

  private Map<String, Object> info(Req r) {
    State.Conv c = Access.conv(r, "channel");
    Map<String, Object> m = Shapes.conversation(c, Access.actor(r));
    if (r.bool("include_num_members", false)) m.put("num_members", c.members.size());
    return obj("channel", m);
  }

  private int historyLimit(Req r, String method) {
    if (!knobs.historyProfile2025()) return Math.min(999, Math.max(1, r.integer("limit", 100)));
    String key = "2025|" + method + "|" + (r.install() == null ? "-" : r.install().appId) + "|" + r.team().id;
    var wait = limiter.window(key, 1, 60_000);
    if (wait.isPresent()) throw new WebApi.RateLimitedError(wait.getAsLong());
    return Math.min(15, Math.max(1, r.integer("limit", 15)));
  }

  private Map<String, Object> history(Req r) {
    State.Conv c = Access.conv(r, "channel");
    Access.requireMember(r, c);
    int limit = historyLimit(r, "conversations.history");
    boolean inclusive = r.bool("inclusive", false);
    String oldest = r.str("oldest") == null ? "0" : r.str("oldest");
    String latest = r.str("latest");
    if (r.str("cursor") != null) {
      latest = Ids.uncursor(r.str("cursor")).replaceFirst("^next_ts:", "");
      latest = latest.substring(0, latest.length() - 6) + "." + latest.substring(latest.length() - 6);
      inclusive = true;
    }
    boolean all = r.bool("include_all_metadata", false);
    List<Map<String, Object>> picked = new ArrayList<>();
    for (Map<String, Object> m : c.messages.descendingMap().values()) {
      if (!Engine.inHistory(m)) continue;
      double ts = Double.parseDouble((String) m.get("ts"));
      if (latest != null && (inclusive ? ts > Double.parseDouble(latest) : ts >= Double.parseDouble(latest))) {
        continue;
      }
      double old = Double.parseDouble(oldest);
      if (inclusive ? ts < old : ts <= old) continue;
      picked.add(m);
    }
    boolean more = picked.size() > limit;
    List<Object> messages = new ArrayList<>();
    for (Map<String, Object> m : picked.subList(0, Math.min(limit, picked.size()))) {
      messages.add(Access.withoutMetadataPayload(m, all));
    }
    Map<String, Object> out = obj("messages", messages, "has_more", more, "pin_count", 0, "channel_actions_ts",
        null, "channel_actions_count", 0);
    String next = more ? Ids.cursor("next_ts:" + ((String) picked.get(limit).get("ts")).replace(".", "")) : "";
    out.put("response_metadata", obj("next_cursor", next));
    return out;
  }

  private Map<String, Object> replies(Req r) {
    State.Conv c = Access.conv(r, "channel");
    Access.requireMember(r, c);
    String ts = r.str("ts");
    if (ts == null) throw new SlackError("invalid_arguments");
    Map<String, Object> root = c.messages.get(ts);
    if (root == null) throw new SlackError("thread_not_found");
    String threadTs = Engine.isReply(root) ? (String) root.get("thread_ts") : ts;
    int limit = historyLimit(r, "conversations.replies");
    boolean all = r.bool("include_all_metadata", false);
    List<Map<String, Object>> thread = new ArrayList<>();
    for (Map<String, Object> m : c.messages.values()) {
      if (m.get("ts").equals(threadTs) || threadTs.equals(m.get("thread_ts"))) thread.add(m);
    }
    int start = 0;
    if (r.str("cursor") != null) {
      String after = Ids.uncursor(r.str("cursor")).replaceFirst("^next_ts:", "");
      start = -1;
      for (int i = 0; i < thread.size(); i++) {
        if (((String) thread.get(i).get("ts")).replace(".", "").equals(after)) start = i;
      }
      if (start < 0) throw new SlackError("invalid_cursor");
    }
    int end = Math.min(thread.size(), start + limit);
    List<Object> messages = new ArrayList<>();
    for (Map<String, Object> m : thread.subList(start, end)) messages.add(Access.withoutMetadataPayload(m, all));
    boolean more = end < thread.size();
    String next = more ? Ids.cursor("next_ts:" + ((String) thread.get(end).get("ts")).replace(".", "")) : "";
    return obj("messages", messages, "has_more", more, "response_metadata", obj("next_cursor", next));
  }

  private Map<String, Object> members(Req r) {
    State.Conv c = Access.conv(r, "channel");
    List<String> all = new ArrayList<>(c.members);
    int limit = Math.max(1, r.integer("limit", 100));
    int start = 0;
    if (r.str("cursor") != null) {
      start = all.indexOf(Ids.uncursor(r.str("cursor")).replaceFirst("^user:", ""));
      if (start < 0) throw new SlackError("invalid_cursor");
    }
    int end = Math.min(all.size(), start + limit);
    String next = end < all.size() ? Ids.cursor("user:" + all.get(end)) : "";
    return obj("members", new ArrayList<>(all.subList(start, end)), "response_metadata", obj("next_cursor", next));
  }

  private Map<String, Object> join(Req r) {
    State.Conv c = Access.conv(r, "channel");
    if (c.isPrivate || c.im) throw new SlackError("method_not_supported_for_channel_type");
    if (c.archived) throw new SlackError("is_archived");
    boolean joined = engine.join(r.team(), c, Access.actor(r), null);
    Map<String, Object> out = obj("channel", Shapes.conversation(c, Access.actor(r)));
    if (!joined) {
      out.put("warning", "already_in_channel");
      out.put("response_metadata", obj("warnings", List.of("already_in_channel")));
    }
    return out;
  }

  private Map<String, Object> leave(Req r) {
    State.Conv c = Access.conv(r, "channel");
    if (c.im) throw new SlackError("method_not_supported_for_channel_type");
    if (c.general) throw new SlackError("cant_leave_general");
    if (!engine.leave(r.team(), c, Access.actor(r))) return obj("not_in_channel", true);
    return obj();
  }

  private Map<String, Object> open(Req r) {
    String users = r.str("users");
    if (users == null && r.str("channel") != null) {
      State.Conv c = Access.conv(r, "channel");
      return obj("no_op", true, "already_open", true, "channel", obj("id", c.id));
    }
    if (users == null) throw new SlackError("users_list_not_supplied");
    String[] ids = users.split(",");
    if (ids.length != 1) throw new SlackError("method_not_supported_for_channel_type");
    State.Person p = r.team().users.get(ids[0].trim());
    if (p == null) throw new SlackError("user_not_found");
    boolean existed = r.team().convs.values().stream()
        .anyMatch(c -> c.im && p.id.equals(c.imUser) && c.members.contains(Access.actor(r)));
    State.Conv c = Access.imWith(engine, r.team(), r.install(), p.id);
    Map<String, Object> channel = r.bool("return_im", false) ? Shapes.conversation(c, Access.actor(r))
        : obj("id", c.id);
    return existed ? obj("no_op", true, "already_open", true, "channel", channel) : obj("channel", channel);
  }
}
