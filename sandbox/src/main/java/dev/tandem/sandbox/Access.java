package dev.tandem.sandbox;

import java.util.Map;

/** Who the caller is and what it may see, by Slack's rules; shared by the method groups. */
final class Access {
  private Access() {}

  /** The acting user: the bot user for bot tokens, the person for user tokens. */
  static String actor(Req r) {
    return r.install() != null && r.token().kind() == State.TokenKind.BOT ? r.install().botUserId : r.userId();
  }

  /**
   * The conversation named by an argument, as the caller can see it: a private channel the caller is not in
   * does not exist for it ({@code channel_not_found}).
   */
  static State.Conv conv(Req r, String arg) {
    String id = r.str(arg);
    if (id == null) throw new SlackError("channel_not_found");
    State.Conv c = r.team().convs.get(id);
    if (c == null || ((c.isPrivate || c.im) && !c.members.contains(actor(r)))) {
      throw new SlackError("channel_not_found");
    }
    return c;
  }

  static void requireMember(Req r, State.Conv c) {
    if (!c.members.contains(actor(r))) throw new SlackError("not_in_channel");
  }

  static State.Person person(Req r, String arg, String errorIfMissing) {
    String id = r.str(arg);
    State.Person p = id == null ? null : r.team().users.get(id);
    if (p == null) throw new SlackError(errorIfMissing);
    return p;
  }

  static Author author(Req r) {
    State.Person p = r.team().users.get(actor(r));
    return new Author(p, r.token().kind() == State.TokenKind.BOT ? r.install() : null);
  }

  /** The IM between the app's bot user and a person, created on first use. */
  static State.Conv imWith(Engine engine, State.Team t, State.Install i, String userId) {
    for (State.Conv c : t.convs.values()) {
      if (c.im && userId.equals(c.imUser) && c.members.contains(i.botUserId)) return c;
    }
    State.Conv c = new State.Conv(engine.ids.id('D'), t.id, "", true, true, userId, engine.nowSeconds(), userId);
    c.members.add(userId);
    c.members.add(i.botUserId);
    t.convs.put(c.id, c);
    return c;
  }

  static Map<String, Object> withoutMetadataPayload(Map<String, Object> m, boolean all) {
    Map<String, Object> copy = Json.copy(m);
    if (!all && copy.get("metadata") instanceof Map<?, ?> md) {
      Json.map(md).remove("event_payload");
    }
    return copy;
  }
}
