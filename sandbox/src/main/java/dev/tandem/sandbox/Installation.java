package dev.tandem.sandbox;

import java.util.List;

/** The result of installing an app in a workspace: the bot user, bot id and bot token. */
public record Installation(
    String appId, String teamId, String botUserId, String botId, String botToken, List<String> scopes) {
  public Installation {
    scopes = List.copyOf(scopes);
  }
}
