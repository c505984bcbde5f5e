package dev.tandem.sync.home;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tandem.core.slack.SlackApp;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Who may change Sync's configuration in a workspace: its admins and owners, as {@code users.info}
 * says (SyncBot's {@code REQUIRE_ADMIN}; with {@code TANDEM_SYNC_REQUIRE_ADMIN=false}, everyone).
 * Asked again for every action and submission; answers are kept for a minute.
 */
final class Admins {
  private final Supplier<SlackApp> app;
  private final boolean required;
  private final Cache<String, Boolean> answers = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();

  Admins(Supplier<SlackApp> app, boolean required) {
    this.app = app;
    this.required = required;
  }

  boolean mayConfigure(String workspaceId, String userId) {
    if (!required) {
      return true;
    }
    return answers.get(workspaceId + ":" + userId, k -> ask(workspaceId, userId));
  }

  private boolean ask(String workspaceId, String userId) {
    SlackApp slack = app.get();
    try {
      var info = slack.calls().call(workspaceId, "users.info", null, () -> slack.client(null, workspaceId).usersInfo(r -> r.user(userId)));
      if (!info.isOk() || info.getUser() == null) {
        return false;
      }
      var u = info.getUser();
      return !u.isDeleted() && !u.isBot() && (u.isAdmin() || u.isOwner() || u.isPrimaryOwner());
    } catch (Exception e) {
      throw new IllegalStateException("could not ask Slack whether " + userId + " is an admin of " + workspaceId, e);
    }
  }
}
