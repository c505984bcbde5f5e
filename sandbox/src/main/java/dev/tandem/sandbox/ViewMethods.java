package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import java.util.List;
import java.util.Map;

/**
 * views.publish/open/update/push. Enforces Slack's view limits (100 blocks, 3,000 characters of
 * private_metadata) with {@code invalid_arguments} and a JSON-pointer message, trigger ids that expire after
 * the configured validity and are single use, and at most 3 views in a modal stack.
 */
final class ViewMethods {
  static final int MAX_VIEW_BLOCKS = 100;
  static final int MAX_PRIVATE_METADATA = 3000;
  private final Engine engine;
  private final State state;

  ViewMethods(Engine engine) {
    this.engine = engine;
    this.state = engine.state;
  }

  void register(WebApi api) {
    api.register("views.publish", RateTier.TIER_4, null, this::publish);
    api.register("views.open", RateTier.TIER_4, null, this::open);
    api.register("views.update", RateTier.TIER_4, null, this::update);
    api.register("views.push", RateTier.TIER_4, null, this::push);
  }

  private static SlackError invalid(String pointerMessage) {
    return new SlackError("invalid_arguments", obj("response_metadata", obj("messages",
        List.of("[ERROR] " + pointerMessage))));
  }

  static Map<String, Object> checkView(Map<String, Object> view, String expectedType) {
    if (view == null) throw new SlackError("invalid_arguments");
    Object type = view.get("type");
    if (expectedType != null && !expectedType.equals(type)) {
      throw invalid("must be '" + expectedType + "' [json-pointer:/view/type]");
    }
    Object blocks = view.get("blocks");
    if (!(blocks instanceof List<?> l)) throw invalid("missing required field: blocks [json-pointer:/view]");
    if (l.size() > MAX_VIEW_BLOCKS) throw invalid("must be less than 101 items [json-pointer:/view/blocks]");
    Object pm = view.get("private_metadata");
    if (pm instanceof String s && s.length() > MAX_PRIVATE_METADATA) {
      throw invalid("must be less than 3001 characters [json-pointer:/view/private_metadata]");
    }
    if ("modal".equals(type) && view.get("title") == null) {
      throw invalid("missing required field: title [json-pointer:/view]");
    }
    return view;
  }

  private State.View store(Req r, String userId, String type, Map<String, Object> body, State.View replacing) {
    State.View v = replacing != null ? replacing : new State.View(engine.ids.id('V'), r.team().id,
        r.install().appId, userId, type);
    v.body = Json.copy(body);
    if (body.get("blocks") instanceof List<?> l) v.body.put("blocks", Shapes.withBlockIds(Json.list(l), engine.ids));
    v.hash = engine.nowSeconds() + "." + engine.ids.alnumMixed(8);
    if (body.get("external_id") instanceof String ext) v.externalId = ext;
    if (v.rootViewId == null) v.rootViewId = v.id;
    state.views.put(v.id, v);
    return v;
  }

  private State.Trigger trigger(Req r) {
    String id = r.str("trigger_id");
    if (id == null) throw new SlackError("invalid_arguments");
    if (!id.matches("\\d+\\.\\d+\\.[0-9a-f]+")) throw new SlackError("invalid_trigger_id");
    State.Trigger t = state.triggers.remove(id);
    if (t == null) throw new SlackError("exchanged_trigger_id");
    if (engine.clock.millis() > t.expiresAtMillis()) throw new SlackError("expired_trigger_id");
    return t;
  }

  private Map<String, Object> publish(Req r) {
    State.Person p = Access.person(r, "user_id", "user_not_found");
    Map<String, Object> view = checkView(r.jsonObject("view", "invalid_arguments"), "home");
    String existingId = r.install().homeViewByUser.get(p.id);
    State.View existing = existingId == null ? null : state.views.get(existingId);
    if (existing != null && r.str("hash") != null && !r.str("hash").equals(existing.hash)) {
      throw new SlackError("hash_conflict");
    }
    State.View v = store(r, p.id, "home", view, existing);
    r.install().homeViewByUser.put(p.id, v.id);
    return obj("view", Shapes.view(v, r.install()));
  }

  private Map<String, Object> open(Req r) {
    Map<String, Object> view = checkView(r.jsonObject("view", "invalid_arguments"), "modal");
    State.Trigger t = trigger(r);
    State.View v = store(r, t.userId(), "modal", view, null);
    return obj("view", Shapes.view(v, r.install()));
  }

  private Map<String, Object> push(Req r) {
    Map<String, Object> view = checkView(r.jsonObject("view", "invalid_arguments"), "modal");
    State.Trigger t = trigger(r);
    State.View top = state.views.values().stream()
        .filter(v -> "modal".equals(v.type) && !v.closed && v.userId.equals(t.userId())
            && v.appId.equals(r.install().appId))
        .reduce((a, b) -> b).orElseThrow(() -> new SlackError("not_found"));
    long depth = state.views.values().stream().filter(v -> top.rootViewId.equals(v.rootViewId) && !v.closed).count();
    if (depth >= 3) throw new SlackError("push_limit_reached");
    State.View v = store(r, t.userId(), "modal", view, null);
    v.rootViewId = top.rootViewId;
    v.previousViewId = top.id;
    return obj("view", Shapes.view(v, r.install()));
  }

  private Map<String, Object> update(Req r) {
    Map<String, Object> view = checkView(r.jsonObject("view", "invalid_arguments"), null);
    String id = r.str("view_id");
    String ext = r.str("external_id");
    State.View v = id != null ? state.views.get(id) : state.views.values().stream()
        .filter(x -> ext != null && ext.equals(x.externalId)).findFirst().orElse(null);
    if (v == null || !v.appId.equals(r.install().appId)) throw new SlackError("not_found");
    if (r.str("hash") != null && !r.str("hash").equals(v.hash)) throw new SlackError("hash_conflict");
    store(r, v.userId, v.type, view, v);
    return obj("view", Shapes.view(v, r.install()));
  }
}
