package dev.tandem.leave.web;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.config.Secret;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The web admin's sign-in settings: Google (OpenID Connect) limited to email domains, the first
 * local account's email, and how long a session lasts.
 */
public record AdminSettings(Optional<Google> google, String firstAdminEmail, Duration sessionLifetime, Duration idleTimeout) {
  public static final String GOOGLE_ISSUER = "https://accounts.google.com";

  /** Google sign-in: the OAuth client, the issuer (Google's, the sandbox's in tests) and the allowed email domains. */
  public record Google(String clientId, Secret clientSecret, String issuer, List<String> domains) {
    public boolean allows(String email) {
      String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
      return domains.contains(domain);
    }
  }

  public static AdminSettings defaults() {
    return new AdminSettings(Optional.empty(), "admin@tandem.local", Duration.ofHours(12), Duration.ofHours(2));
  }

  public static AdminSettings read(ConfigReader config) {
    AdminSettings d = defaults();
    Optional<String> clientId = config.optionalString("TANDEM_ADMIN_GOOGLE_CLIENT_ID",
        "OAuth client id (type Web application) for signing in to the web admin with Google; its redirect URI is"
            + " <TANDEM_PUBLIC_URL>/admin/sign-in/google/callback.");
    Optional<Secret> secret = config.secret("TANDEM_ADMIN_GOOGLE_CLIENT_SECRET", "The secret of that OAuth client.");
    List<String> domains = Arrays.stream(config.string("TANDEM_ADMIN_GOOGLE_DOMAINS", "",
            "Email domains allowed to sign in with Google (comma-separated, e.g. example.com); required with the client id.").split(","))
        .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
    String issuer = config.string("TANDEM_ADMIN_GOOGLE_ISSUER", GOOGLE_ISSUER,
        "OpenID Connect issuer for Google sign-in (only changed to point at the sandbox).").replaceAll("/+$", "");
    String first = config.string("TANDEM_ADMIN_EMAIL", d.firstAdminEmail(),
        "Email of the local admin account created on first run (with a one-time password printed once) when there is none.");
    Duration lifetime = config.duration("TANDEM_ADMIN_SESSION", d.sessionLifetime(), Duration.ofMinutes(5),
        "How long a web admin session lasts at most before signing in again.");
    Duration idle = config.duration("TANDEM_ADMIN_IDLE", d.idleTimeout(), Duration.ofMinutes(1),
        "A web admin session unused for this long ends.");
    Optional<Google> google = Optional.empty();
    if (clientId.isPresent()) {
      if (secret.isEmpty()) {
        config.problem("TANDEM_ADMIN_GOOGLE_CLIENT_SECRET", "needed with TANDEM_ADMIN_GOOGLE_CLIENT_ID (the OAuth client's secret)");
      }
      if (domains.isEmpty()) {
        config.problem("TANDEM_ADMIN_GOOGLE_DOMAINS", "needed with TANDEM_ADMIN_GOOGLE_CLIENT_ID: without it anyone with a Google"
            + " account could sign in (give your email domains, e.g. example.com)");
      }
      if (secret.isPresent() && !domains.isEmpty()) {
        google = Optional.of(new Google(clientId.get(), secret.get(), issuer, domains));
      }
    }
    return new AdminSettings(google, first, lifetime, idle);
  }
}
