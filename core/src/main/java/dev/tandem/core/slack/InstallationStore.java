package dev.tandem.core.slack;

import com.slack.api.bolt.model.Bot;
import com.slack.api.bolt.model.Installer;
import com.slack.api.bolt.model.builtin.DefaultBot;
import com.slack.api.bolt.model.builtin.DefaultInstaller;
import com.slack.api.bolt.service.InstallationService;
import dev.tandem.core.vault.EncryptedColumn;
import dev.tandem.core.vault.TokenVault;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Installations of one Slack app, in {@code core_slack_installation}, with the bot token sealed
 * by the vault. Serves Bolt as its {@link InstallationService}.
 *
 * <p>Nothing is ever deleted on Bolt's request: {@code deleteBot}/{@code deleteInstaller} (called
 * on {@code account_inactive} and uninstall) mark the installation revoked, so that a
 * reinstallation can restore what depends on it. A revoked installation is invisible to Bolt.
 */
public final class InstallationStore implements InstallationService {
  public static final EncryptedColumn BOT_TOKEN = new EncryptedColumn("core_slack_installation", "install_key", "bot_token_sealed");

  private final String app;
  private final Jdbi jdbi;
  private final TokenVault vault;
  private final Clock clock;

  public InstallationStore(String app, Jdbi jdbi, TokenVault vault, Clock clock) {
    this.app = app;
    this.jdbi = jdbi;
    this.vault = vault;
    this.clock = clock;
  }

  /** Stores (or restores) an installation; a reinstall clears the revocation. */
  public void save(String enterpriseId, String teamId, String teamName, String appId, String botId, String botUserId,
      String botScopes, String botToken, String installerUserId) {
    String key = Installation.key(enterpriseId, teamId);
    String sealed = vault.seal(botToken, BOT_TOKEN.context());
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      int n = h.createUpdate("""
              UPDATE core_slack_installation SET enterprise_id = :enterprise, team_id = :team, team_name = COALESCE(:teamName, team_name),
                app_id = :appId, bot_id = COALESCE(:botId, bot_id), bot_user_id = :botUserId, bot_scopes = :scopes, bot_token_sealed = :token,
                installer_user_id = :installer, updated_at = :now, revoked_at = NULL
              WHERE app = :app AND install_key = :key""")
          .bind("app", app).bind("key", key).bind("enterprise", enterpriseId).bind("team", teamId).bind("teamName", teamName)
          .bind("appId", appId).bind("botId", botId).bind("botUserId", botUserId).bind("scopes", botScopes)
          .bind("token", sealed).bind("installer", installerUserId).bind("now", now)
          .execute();
      if (n == 0) {
        h.createUpdate("""
                INSERT INTO core_slack_installation (app, install_key, enterprise_id, team_id, team_name, app_id, bot_id,
                  bot_user_id, bot_scopes, bot_token_sealed, installer_user_id, installed_at, updated_at)
                VALUES (:app, :key, :enterprise, :team, :teamName, :appId, :botId, :botUserId, :scopes, :token, :installer, :now, :now)""")
            .bind("app", app).bind("key", key).bind("enterprise", enterpriseId).bind("team", teamId).bind("teamName", teamName)
            .bind("appId", appId).bind("botId", botId).bind("botUserId", botUserId).bind("scopes", botScopes)
            .bind("token", sealed).bind("installer", installerUserId).bind("now", now)
            .execute();
      }
    });
  }

  /** The active installation for a workspace (or its org-wide install). */
  public Optional<Installation> find(String enterpriseId, String teamId) {
    Optional<Installation> byTeam = teamId == null ? Optional.empty() : load("T:" + teamId);
    Optional<Installation> found = byTeam.isPresent() || enterpriseId == null ? byTeam : load("E:" + enterpriseId);
    return found.filter(i -> !i.revoked());
  }

  public List<Installation> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM core_slack_installation WHERE app = :app ORDER BY installed_at")
        .bind("app", app).map((rs, ctx) -> row(rs)).list());
  }

  /** Marks revoked (never deletes); true when an active installation was revoked. */
  public boolean revoke(String enterpriseId, String teamId) {
    // the same lookup as find(): the team's own install if it has one (revoked or not), else
    // its org-wide one; a second uninstall event must not fall through to the whole org
    if (teamId != null && load("T:" + teamId).isPresent()) {
      return revokeKey("T:" + teamId);
    }
    return enterpriseId != null && revokeKey("E:" + enterpriseId);
  }

  /** Active installations, counted without opening any token. */
  public long countActive() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM core_slack_installation WHERE app = :app AND revoked_at IS NULL")
        .bind("app", app).mapTo(Long.class).one());
  }

  private boolean revokeKey(String key) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE core_slack_installation SET revoked_at = :now, updated_at = :now"
            + " WHERE app = :app AND install_key = :key AND revoked_at IS NULL")
        .bind("now", clock.millis()).bind("app", app).bind("key", key).execute() == 1);
  }

  private Optional<Installation> load(String key) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM core_slack_installation WHERE app = :app AND install_key = :key")
        .bind("app", app).bind("key", key).map((rs, ctx) -> row(rs)).findOne());
  }

  private Installation row(ResultSet rs) throws SQLException {
    long revoked = rs.getLong("revoked_at");
    Optional<Long> revokedAt = rs.wasNull() ? Optional.empty() : Optional.of(revoked);
    return new Installation(app, opt(rs, "enterprise_id"), opt(rs, "team_id"), opt(rs, "team_name"), opt(rs, "app_id"),
        opt(rs, "bot_id"), opt(rs, "bot_user_id"), rs.getString("bot_scopes"),
        vault.open(rs.getString("bot_token_sealed"), BOT_TOKEN.context()), opt(rs, "installer_user_id"),
        rs.getLong("installed_at"), revokedAt);
  }

  private static Optional<String> opt(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  // ---- Bolt's InstallationService ----

  @Override
  public boolean isHistoricalDataEnabled() {
    return false;
  }

  @Override
  public void setHistoricalDataEnabled(boolean enabled) {
    // one row per installation; history is the updated_at / revoked_at columns
  }

  @Override
  public void saveInstallerAndBot(Installer installer) {
    save(installer.getEnterpriseId(), installer.getTeamId(), null, installer.getAppId(), installer.getBotId(),
        installer.getBotUserId(), installer.getBotScope(), installer.getBotAccessToken(), installer.getInstallerUserId());
  }

  @Override
  public void deleteBot(Bot bot) {
    revoke(bot.getEnterpriseId(), bot.getTeamId());
  }

  @Override
  public void deleteInstaller(Installer installer) {
    revoke(installer.getEnterpriseId(), installer.getTeamId());
  }

  @Override
  public Bot findBot(String enterpriseId, String teamId) {
    return find(enterpriseId, teamId).map(InstallationStore::toBot).orElse(null);
  }

  @Override
  public Installer findInstaller(String enterpriseId, String teamId, String userId) {
    return find(enterpriseId, teamId).map(i -> {
      DefaultInstaller installer = new DefaultInstaller();
      installer.setAppId(i.appId().orElse(null));
      installer.setEnterpriseId(i.enterpriseId().orElse(null));
      installer.setTeamId(i.teamId().orElse(null));
      installer.setBotId(i.botId().orElse(null));
      installer.setBotUserId(i.botUserId().orElse(null));
      installer.setBotScope(i.botScopes());
      installer.setBotAccessToken(i.botToken());
      installer.setInstallerUserId(i.installerUserId().orElse(null));
      installer.setInstalledAt(i.installedAt());
      return (Installer) installer;
    }).orElse(null);
  }

  private static Bot toBot(Installation i) {
    DefaultBot bot = new DefaultBot();
    bot.setAppId(i.appId().orElse(null));
    bot.setEnterpriseId(i.enterpriseId().orElse(null));
    bot.setTeamId(i.teamId().orElse(null));
    bot.setTeamName(i.teamName().orElse(null));
    bot.setIsEnterpriseInstall(i.teamId().isEmpty());
    bot.setBotId(i.botId().orElse(null));
    bot.setBotUserId(i.botUserId().orElse(null));
    bot.setBotScope(i.botScopes());
    bot.setBotAccessToken(i.botToken());
    bot.setInstalledAt(i.installedAt());
    return bot;
  }
}
