package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** auth.test, bots.info, team.info, users.info, users.list, users.lookupByEmail. */
final class IdentityMethods {
  private final Engine engine;

  IdentityMethods(Engine engine) {
    this.engine = engine;
  }

  void register(WebApi api) {
    api.register("auth.test", RateTier.SPECIAL, null, this::authTest);
    api.register("bots.info", RateTier.TIER_3, "users:read", this::botsInfo);
    api.register("team.info", RateTier.TIER_3, "team:read", r -> obj("team", Shapes.team(r.team())));
    api.register("users.info", RateTier.TIER_4, "users:read", this::usersInfo);
    api.register("users.list", RateTier.TIER_2, "users:read", this::usersList);
    api.register("users.lookupByEmail", RateTier.TIER_3, "users:read.email", this::lookupByEmail);
  }

  private Map<String, Object> authTest(Req r) {
    State.Person p = r.team().users.get(Access.actor(r));
    Map<String, Object> m = obj("url", "https://" + r.team().domain + ".slack.com/", "team", r.team().name,
        "user", p.name, "team_id", r.team().id, "user_id", p.id);
    if (r.token().kind() == State.TokenKind.BOT) m.put("bot_id", r.install().botId);
    m.put("is_enterprise_install", false);
    return m;
  }

  private Map<String, Object> botsInfo(Req r) {
    String botId = r.str("bot");
    if (botId == null) throw new SlackError("bot_not_found");
    return r.team().installs.values().stream().filter(i -> i.botId.equals(botId)).findFirst()
        .map(i -> obj("bot", Shapes.bot(i))).orElseThrow(() -> new SlackError("bot_not_found"));
  }

  private boolean email(Req r) {
    return r.install() == null || r.install().scopes.contains("users:read.email");
  }

  private Map<String, Object> usersInfo(Req r) {
    State.Person p = Access.person(r, "user", "user_not_found");
    return obj("user", Shapes.user(p, email(r)));
  }

  private Map<String, Object> usersList(Req r) {
    int limit = r.integer("limit", 0);
    String after = r.str("cursor") == null ? null : Ids.uncursor(r.str("cursor")).replaceFirst("^user:", "");
    List<State.Person> all = new ArrayList<>(r.team().users.values());
    int start = 0;
    if (after != null) {
      start = -1;
      for (int i = 0; i < all.size(); i++) if (all.get(i).id.equals(after)) start = i;
      if (start < 0) throw new SlackError("invalid_cursor");
    }
    int end = limit <= 0 ? all.size() : Math.min(all.size(), start + limit);
    List<Object> members = new ArrayList<>();
    for (int i = start; i < end; i++) members.add(Shapes.user(all.get(i), email(r)));
    String next = end < all.size() ? Ids.cursor("user:" + all.get(end).id) : "";
    return obj("members", members, "cache_ts", engine.nowSeconds(), "response_metadata", obj("next_cursor", next));
  }

  private Map<String, Object> lookupByEmail(Req r) {
    String email = r.str("email");
    if (email == null) throw new SlackError("invalid_arguments");
    return r.team().users.values().stream().filter(p -> email.equalsIgnoreCase(p.email) && !p.deleted)
        .findFirst().map(p -> obj("user", Shapes.user(p, true)))
        .orElseThrow(() -> new SlackError("users_not_found"));
  }
}
