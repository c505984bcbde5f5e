package dev.tandem.sandbox;

import java.util.Map;

/** Where the engine reports what happened; the dispatcher decides which apps receive it. */
interface EventSink {
  /**
   * @param channelId the conversation the event happened in, or null for team-wide events
   * @param onlyAppId the one app the event concerns (app_home_opened, tokens_revoked), or null for all
   */
  void emit(String teamId, String channelId, String onlyAppId, Map<String, Object> event);
}
