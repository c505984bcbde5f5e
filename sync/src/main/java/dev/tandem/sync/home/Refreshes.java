package dev.tandem.sync.home;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * SyncBot's Refresh cooldown and content hash (§H 67–68), in the database: a person who presses
 * Refresh again within {@link #COOLDOWN} gets the page as it is, with a note, and nothing is
 * fetched from Slack again; after it, Slack's data is fetched again. The hash says whether a
 * refresh found anything new.
 */
final class Refreshes {
  static final Duration COOLDOWN = Duration.ofSeconds(60);

  private final Jdbi jdbi;
  private final Clock clock;

  Refreshes(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** How long until {@code user} may refresh {@code page} again; empty when they may now. */
  Optional<Duration> cooling(String workspaceId, String userId, String page) {
    long now = clock.millis();
    return jdbi.withHandle(h -> h.createQuery("SELECT refreshed_at FROM sync_home_refresh WHERE workspace_id = :w AND user_id = :u AND page = :p")
            .bind("w", workspaceId).bind("u", userId).bind("p", page).mapTo(Long.class).findOne())
        .map(at -> at + COOLDOWN.toMillis() - now).filter(left -> left > 0).map(Duration::ofMillis);
  }

  /** Records a refresh and what the page showed; returns whether it differs from the last refresh's. */
  boolean record(String workspaceId, String userId, String page, String content) {
    String hash = hash(content);
    long now = clock.millis();
    return jdbi.inTransaction(h -> {
      Optional<String> previous = h.createQuery("SELECT content_hash FROM sync_home_refresh WHERE workspace_id = :w AND user_id = :u AND page = :p")
          .bind("w", workspaceId).bind("u", userId).bind("p", page).mapTo(String.class).findOne();
      if (previous.isPresent()) {
        h.execute("UPDATE sync_home_refresh SET content_hash = ?, refreshed_at = ? WHERE workspace_id = ? AND user_id = ? AND page = ?",
            hash, now, workspaceId, userId, page);
      } else {
        h.execute("INSERT INTO sync_home_refresh (workspace_id, user_id, page, content_hash, refreshed_at) VALUES (?, ?, ?, ?, ?)",
            workspaceId, userId, page, hash, now);
      }
      return previous.map(p -> !p.equals(hash)).orElse(true);
    });
  }

  static String hash(String content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
