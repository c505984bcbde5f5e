package dev.tandem.sync;

import dev.tandem.core.config.ConfigReader;
import java.time.Duration;

/**
 * Settings of the message path.
 *
 * @param fileMaxBytes files larger than this are not copied; the copy says so instead
 * @param echoGrace after a post whose outcome is unknown, how long to wait for Slack to echo it
 *     back as an event before reading the channel's history
 * @param deliveryAttempts attempts of one delivery before it is failed and reported
 */
public record SyncSettings(long fileMaxBytes, Duration echoGrace, int deliveryAttempts, boolean requireAdmin, Duration retention,
    Duration inviteGrace) {
  /** SyncBot's limits: 20 files and 50 mentions per message. */
  public static final int MAX_FILES_PER_MESSAGE = 20;
  public static final int MAX_MENTIONS_PER_MESSAGE = 50;

  public static SyncSettings defaults() {
    return new SyncSettings(100L << 20, Duration.ofSeconds(5), 25, true, Duration.ofDays(30), Duration.ofMinutes(10));
  }

  public static SyncSettings read(ConfigReader config) {
    SyncSettings d = defaults();
    int mib = config.integer("TANDEM_SYNC_FILE_MAX_MB", (int) (d.fileMaxBytes() >> 20), 1, 1024,
        "Largest file (MiB) copied to other workspaces; larger ones are named in the copy instead.");
    Duration grace = config.duration("TANDEM_SYNC_ECHO_GRACE", d.echoGrace(), Duration.ZERO,
        "After a post whose outcome is unknown (timeout, crash), how long to wait for Slack's echo before reading history.");
    int attempts = config.integer("TANDEM_SYNC_DELIVERY_ATTEMPTS", d.deliveryAttempts(), 1, 1000,
        "Attempts of one message delivery before it is marked failed and reported in the source channel.");
    boolean requireAdmin = config.bool("TANDEM_SYNC_REQUIRE_ADMIN", d.requireAdmin(),
        "Only workspace admins and owners may change Sync's configuration on the Home tab (others see a read-only summary).");
    int days = config.integer("TANDEM_SYNC_RETENTION_DAYS", (int) d.retention().toDays(), 1, 3650,
        "Days an uninstalled workspace's syncs are kept paused; reinstalling within them resumes everything, after them its data is purged.");
    Duration inviteGrace = config.duration("TANDEM_SYNC_INVITE_GRACE", d.inviteGrace(), Duration.ZERO,
        "How long the bot stays in a private channel it was invited to that nobody syncs (time to pick it on the Home tab).");
    return new SyncSettings((long) mib << 20, grace, attempts, requireAdmin, Duration.ofDays(days), inviteGrace);
  }
}
