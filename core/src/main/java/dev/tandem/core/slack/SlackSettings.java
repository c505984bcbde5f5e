package dev.tandem.core.slack;

import dev.tandem.core.config.ConfigReader;
import java.net.URI;

/** Where Slack is (real Slack by default, the sandbox in tests and demo) and where we are. */
public record SlackSettings(String apiUrl, String authorizeUrl, String publicUrl, boolean rateLimits) {

  public static SlackSettings read(ConfigReader config, int port) {
    String api = config.parse("SLACK_API_URL", "https://slack.com/api/",
        "Base URL of Slack's Web API (the sandbox's in demo and tests).", false, SlackSettings::httpUrl).orElse("https://slack.com/api/");
    String authorize = config.parse("SLACK_AUTHORIZE_URL", "https://slack.com/oauth/v2/authorize",
        "Slack's OAuth v2 authorize page, where /slack/<app>/install sends the installer.", false, SlackSettings::httpUrl)
        .orElse("https://slack.com/oauth/v2/authorize");
    String publicUrl = config.parse("TANDEM_PUBLIC_URL", "http://localhost:" + port,
        "The URL people and Slack reach this server at (OAuth redirect URLs are built from it).", false, SlackSettings::httpUrl)
        .orElse("http://localhost:" + port);
    boolean limits = config.bool("TANDEM_SLACK_RATE_LIMITS", true,
        "Pace Web API calls by Slack's published limits (method tiers, about one post per second per channel). Turn off only"
            + " against the sandbox with its limits off, to measure the engine itself.");
    return new SlackSettings(api.endsWith("/") ? api : api + "/", authorize, publicUrl.replaceAll("/+$", ""), limits);
  }

  static String httpUrl(String raw) {
    String s = raw.strip();
    try {
      URI uri = URI.create(s);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException("not an http(s) URL: '" + s + "' (expected for example https://tandem.example.com)");
  }
}
