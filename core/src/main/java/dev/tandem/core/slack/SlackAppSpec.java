package dev.tandem.core.slack;

import java.util.List;

/**
 * What a feature module declares about its Slack app: the bot scopes it requests, the bot events
 * it subscribes to, and whether it uses Socket Mode unless configured otherwise. The manifest and
 * the install URL are derived from it.
 */
public record SlackAppSpec(String name, String displayName, List<String> botScopes, List<String> botEvents, boolean socketModeByDefault) {
  public SlackAppSpec {
    botScopes = List.copyOf(botScopes);
    botEvents = List.copyOf(botEvents);
  }
}
