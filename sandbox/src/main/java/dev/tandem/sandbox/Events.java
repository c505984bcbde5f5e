package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Events API dispatcher: wraps each event in the {@code event_callback} envelope for every installed app
 * that subscribed to it (message events only where the app's bot is a member), then hands it to HTTP
 * delivery or Socket Mode. Called under the state lock; delivery itself runs asynchronously.
 */
final class Events implements EventSink {
  /** Events whose envelope Slack sends without context fields and event_context (see the payload samples). */
  private static final Set<String> TEAM_EVENTS = Set.of("team_join", "user_profile_changed");
  private static final Set<String> APP_EVENTS = Set.of("tokens_revoked", "app_uninstalled");
  private final State state;
  private final Ids ids;
  private final Clock clock;
  private HttpDelivery http;
  private SocketMode socket;

  Events(State state, Ids ids, Clock clock) {
    this.state = state;
    this.ids = ids;
    this.clock = clock;
  }

  void wire(HttpDelivery http, SocketMode socket) {
    this.http = http;
    this.socket = socket;
  }

  @Override
  public void emit(String teamId, String channelId, String onlyAppId, Map<String, Object> event) {
    State.Team t = state.teams.get(teamId);
    String type = (String) event.get("type");
    for (State.Install i : new ArrayList<>(t.installs.values())) {
      if (onlyAppId != null && !onlyAppId.equals(i.appId)) continue;
      if (i.revoked && !APP_EVENTS.contains(type)) continue;
      State.App app = state.apps.get(i.appId);
      if (!subscribed(app, t, channelId, type)) continue;
      if (channelId != null && onlyAppId == null && !t.convs.get(channelId).members.contains(i.botUserId)) {
        continue;
      }
      Map<String, Object> envelope = envelope(app, i, t, channelId, event);
      deliver(app, t.id, envelope);
    }
  }

  private boolean subscribed(State.App app, State.Team t, String channelId, String type) {
    List<String> events = app.spec.botEvents();
    if (!"message".equals(type)) return events.contains(type);
    State.Conv c = t.convs.get(channelId);
    String name = c.im ? "message.im" : c.isPrivate ? "message.groups" : "message.channels";
    return events.contains(name);
  }

  Map<String, Object> envelope(State.App app, State.Install i, State.Team t, String channelId,
      Map<String, Object> event) {
    String type = (String) event.get("type");
    Map<String, Object> e = obj("token", app.reg.verificationToken(), "team_id", t.id);
    boolean full = !TEAM_EVENTS.contains(type) && !APP_EVENTS.contains(type);
    if (full) {
      e.put("context_team_id", t.id);
      e.put("context_enterprise_id", null);
    }
    e.put("api_app_id", app.reg.appId());
    e.put("event", Json.copy(event));
    e.put("type", "event_callback");
    e.put("event_id", ids.eventId());
    e.put("event_time", clock.millis() / 1000);
    if (!APP_EVENTS.contains(type)) {
      e.put("authorizations", List.of(obj("enterprise_id", null, "team_id", t.id, "user_id", i.botUserId,
          "is_bot", true, "is_enterprise_install", false)));
      e.put("is_ext_shared_channel", false);
    }
    if (full) e.put("event_context", Ids.eventContext(type, t.id, app.reg.appId(), channelId));
    return e;
  }

  void deliver(State.App app, String teamId, Map<String, Object> envelope) {
    if (app.spec.socketMode()) {
      socket.send(app.reg.appId(), teamId, "events_api", envelope, false);
    } else if (app.spec.requestUrl() != null) {
      http.event(app.reg.appId(), teamId, (String) envelope.get("event_id"), app.spec.requestUrl(),
          app.reg.signingSecret(), Json.write(envelope));
    }
  }
}
