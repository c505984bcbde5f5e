package dev.tandem.core.slack;

import java.util.Optional;

/** One app installed into one workspace (or one Enterprise Grid org), with its bot token opened. */
public record Installation(
    String app,
    Optional<String> enterpriseId,
    Optional<String> teamId,
    Optional<String> teamName,
    Optional<String> appId,
    Optional<String> botId,
    Optional<String> botUserId,
    String botScopes,
    String botToken,
    Optional<String> installerUserId,
    long installedAt,
    Optional<Long> revokedAt) {

  /** Org-wide installs have no team id: they are keyed by enterprise, others by team. */
  public static String key(String enterpriseId, String teamId) {
    if (teamId != null && !teamId.isBlank()) {
      return "T:" + teamId;
    }
    if (enterpriseId != null && !enterpriseId.isBlank()) {
      return "E:" + enterpriseId;
    }
    throw new IllegalArgumentException("an installation needs a team id or an enterprise id");
  }

  public boolean revoked() {
    return revokedAt.isPresent();
  }

  @Override
  public String toString() {
    return "Installation[" + app + " " + teamId.or(() -> enterpriseId).orElse("?") + (revoked() ? " revoked" : "") + "]";
  }
}
