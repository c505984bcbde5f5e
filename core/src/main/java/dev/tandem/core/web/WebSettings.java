package dev.tandem.core.web;

import dev.tandem.core.config.ConfigReader;

/** HTTP server settings. */
public record WebSettings(String host, int port, int maxBodyBytes) {
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  public static WebSettings read(ConfigReader config) {
    return new WebSettings(
        config.string("TANDEM_BIND_HOST", "0.0.0.0", "Address the HTTP server listens on."),
        config.integer("PORT", 3000, 0, 65535, "HTTP port for Slack, the web admin, health and metrics (0 picks a free port)."),
        config.integer("TANDEM_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1024, 512 * 1024 * 1024,
            "Largest accepted request body in bytes; larger requests are answered 413."));
  }
}
