package dev.tandem.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * An app's configuration as on Slack's app config pages. One {@code requestUrl} serves Events API,
 * interactivity and options load (Tandem routes them by body); with {@code socketMode} the app receives the
 * same payloads over a WebSocket instead. Blank credentials are generated at registration.
 */
public record AppSpec(
    String appId,
    String name,
    String clientId,
    String clientSecret,
    String signingSecret,
    String appToken,
    String requestUrl,
    boolean socketMode,
    List<String> botScopes,
    List<String> botEvents) {

  /** The bot scopes an app gets when none are given: enough for every implemented method. */
  public static final List<String> ALL_BOT_SCOPES = List.of(
      "app_mentions:read", "channels:history", "channels:join", "channels:manage", "channels:read", "chat:write",
      "chat:write.customize", "chat:write.public", "files:read", "files:write", "groups:history", "groups:read",
      "im:history", "im:read", "im:write", "metadata.message:read", "reactions:read", "reactions:write",
      "team:read", "users:read", "users:read.email");

  public AppSpec {
    Objects.requireNonNull(name, "name");
    botScopes = List.copyOf(botScopes == null ? ALL_BOT_SCOPES : botScopes);
    botEvents = List.copyOf(botEvents == null ? List.of() : botEvents);
    if (socketMode && requestUrl != null) {
      throw new IllegalArgumentException("socketMode and requestUrl are exclusive: " + requestUrl);
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builder for the many optional fields. */
  public static final class Builder {
    private final String name;
    private String appId;
    private String clientId;
    private String clientSecret;
    private String signingSecret;
    private String appToken;
    private String requestUrl;
    private boolean socketMode;
    private List<String> botScopes;
    private List<String> botEvents;

    private Builder(String name) {
      this.name = name;
    }

    public Builder appId(String v) { appId = v; return this; }
    public Builder clientId(String v) { clientId = v; return this; }
    public Builder clientSecret(String v) { clientSecret = v; return this; }
    public Builder signingSecret(String v) { signingSecret = v; return this; }
    public Builder appToken(String v) { appToken = v; return this; }
    public Builder requestUrl(String v) { requestUrl = v; return this; }
    public Builder socketMode(boolean v) { socketMode = v; return this; }
    public Builder botScopes(String... v) { botScopes = List.of(v); return this; }
    public Builder botEvents(String... v) { botEvents = List.of(v); return this; }

    public AppSpec build() {
      return new AppSpec(appId, name, clientId, clientSecret, signingSecret, appToken, requestUrl, socketMode,
          botScopes, botEvents);
    }
  }
}
