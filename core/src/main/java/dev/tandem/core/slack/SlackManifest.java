package dev.tandem.core.slack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Slack app manifest of one app, derived from its {@link SlackAppSpec}: paste it into
 * "Create New App → From an app manifest" at api.slack.com/apps. Token rotation is pinned off
 * (Tandem stores long-lived bot tokens); in Socket Mode no request URLs are given.
 */
public final class SlackManifest {
  private SlackManifest() {}

  public static Map<String, Object> of(SlackAppSpec spec, String publicUrl, boolean socketMode) {
    String base = publicUrl.replaceAll("/+$", "") + "/slack/" + spec.name();
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("_metadata", Map.of("major_version", 1, "minor_version", 1));
    manifest.put("display_information", Map.of("name", spec.displayName(), "description", description(spec)));
    manifest.put("features", Map.of(
        "app_home", Map.of("home_tab_enabled", spec.botEvents().contains("app_home_opened"), "messages_tab_enabled", false,
            "messages_tab_read_only_enabled", true),
        "bot_user", Map.of("display_name", spec.displayName(), "always_online", true)));
    manifest.put("oauth_config", Map.of("redirect_urls", List.of(base + "/oauth_redirect"), "scopes", Map.of("bot", spec.botScopes())));
    Map<String, Object> events = new LinkedHashMap<>();
    Map<String, Object> interactivity = new LinkedHashMap<>();
    interactivity.put("is_enabled", true);
    if (!socketMode) {
      events.put("request_url", base + "/events");
      interactivity.put("request_url", base + "/events");
      interactivity.put("message_menu_options_url", base + "/events");
    }
    events.put("bot_events", spec.botEvents());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("event_subscriptions", events);
    settings.put("interactivity", interactivity);
    settings.put("org_deploy_enabled", false);
    settings.put("socket_mode_enabled", socketMode);
    settings.put("token_rotation_enabled", false);
    manifest.put("settings", settings);
    return manifest;
  }

  private static String description(SlackAppSpec spec) {
    return switch (spec.name()) {
      case "sync" -> "Syncs channels between Slack workspaces: messages, threads, edits, reactions and files.";
      case "leave" -> "Understands leave announcements and records them in Google Calendar and Harvest.";
      default -> spec.displayName();
    };
  }
}
