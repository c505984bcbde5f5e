package dev.tandem.core.slack;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.config.Secret;
import java.util.Locale;
import java.util.Optional;

/**
 * The credentials of one Slack app ({@code SLACK_SYNC_*} or {@code SLACK_LEAVE_*}). An app with
 * none of them is simply not configured; one with some must have a working combination:
 * HTTP mode needs the signing secret, Socket Mode the app-level token, and either a bot token
 * (one workspace) or a client id and secret (OAuth install into many workspaces).
 */
public record SlackAppSettings(
    String app,
    Optional<Secret> signingSecret,
    Optional<String> clientId,
    Optional<Secret> clientSecret,
    Optional<Secret> botToken,
    Optional<Secret> appToken,
    boolean socketMode) {

  public boolean configured() {
    return signingSecret.isPresent() || clientId.isPresent() || clientSecret.isPresent() || botToken.isPresent() || appToken.isPresent();
  }

  /** OAuth install into many workspaces (else single-workspace with a configured bot token). */
  public boolean distributed() {
    return clientId.isPresent();
  }

  public static SlackAppSettings read(ConfigReader config, String app, boolean socketModeByDefault) {
    String p = "SLACK_" + app.toUpperCase(Locale.ROOT) + "_";
    String label = Character.toUpperCase(app.charAt(0)) + app.substring(1);
    SlackAppSettings s = new SlackAppSettings(
        app,
        config.secret(p + "SIGNING_SECRET", label + " app: signing secret (Basic Information page), verifies requests in HTTP mode."),
        config.optionalString(p + "CLIENT_ID", label + " app: OAuth client id, for installs into many workspaces."),
        config.secret(p + "CLIENT_SECRET", label + " app: OAuth client secret."),
        config.parse(p + "BOT_TOKEN", null, label + " app: bot token (xoxb-...) for a single workspace without OAuth.", true,
            raw -> token(raw, "xoxb-")),
        config.parse(p + "APP_TOKEN", null, label + " app: app-level token (xapp-...) with connections:write, for Socket Mode.", true,
            raw -> token(raw, "xapp-")),
        config.bool(p + "SOCKET_MODE", socketModeByDefault,
            label + " app: receive events over Socket Mode (needs the app-level token) instead of HTTP."));
    if (s.configured()) {
      if (s.socketMode() && s.appToken().isEmpty()) {
        config.problem(p + "APP_TOKEN", "required when " + p + "SOCKET_MODE is true (an xapp-... token with connections:write)");
      }
      if (!s.socketMode() && s.signingSecret().isEmpty()) {
        config.problem(p + "SIGNING_SECRET", "required in HTTP mode (or set " + p + "SOCKET_MODE=true with an app-level token)");
      }
      if (s.clientId().isPresent() != s.clientSecret().isPresent()) {
        config.problem(p + (s.clientId().isPresent() ? "CLIENT_SECRET" : "CLIENT_ID"), "OAuth needs both the client id and the client secret");
      }
      if (s.clientId().isEmpty() && s.botToken().isEmpty()) {
        config.problem(p + "BOT_TOKEN", "set a bot token (single workspace) or " + p + "CLIENT_ID and " + p + "CLIENT_SECRET (OAuth install)");
      }
    }
    return s;
  }

  private static Secret token(String raw, String prefix) {
    String t = raw.strip();
    if (!t.startsWith(prefix)) {
      throw new IllegalArgumentException("does not look like a " + prefix + "... token");
    }
    return Secret.of(t);
  }
}
