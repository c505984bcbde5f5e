package dev.tandem.core.slack;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.jdbi.v3.core.Jdbi;

/**
 * OAuth {@code state} values, stored with an expiry so that any instance can finish an install
 * another started, and each state is usable once.
 */
final class OAuthStates {
  static final Duration LIFETIME = Duration.ofMinutes(10);
  private final Jdbi jdbi;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  OAuthStates(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  String issue(String app) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long now = clock.millis();
    jdbi.useHandle(h -> {
      h.execute("DELETE FROM core_slack_oauth_state WHERE expires_at < ?", now);
      h.execute("INSERT INTO core_slack_oauth_state (state, app, expires_at) VALUES (?, ?, ?)", state, app, now + LIFETIME.toMillis());
    });
    return state;
  }

  /** True once for a state issued for {@code app} that has not expired. */
  boolean consume(String app, String state) {
    if (state == null || state.isBlank() || state.length() > 64) {
      return false;
    }
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM core_slack_oauth_state WHERE state = :state AND app = :app AND expires_at >= :now")
        .bind("state", state).bind("app", app).bind("now", clock.millis()).execute() == 1);
  }
}
