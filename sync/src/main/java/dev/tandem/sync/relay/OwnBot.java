package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.slack.Installation;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Recognises what the Sync app itself did in a workspace (its posts, uploads, edits and
 * reactions), from the bot ids stored at install; never from an {@code auth.test} per event.
 */
final class OwnBot {
  private record Ids(String botId, String botUserId) {}

  private final Supplier<SlackApp> app;
  private final Map<String, Ids> byWorkspace = new ConcurrentHashMap<>();

  OwnBot(Supplier<SlackApp> app) {
    this.app = app;
  }

  boolean isOurs(SlackEvent e, JsonNode message) {
    String botId = message.path("bot_id").asText("");
    return !botId.isEmpty() && ids(e).map(i -> botId.equals(i.botId())).orElse(false);
  }

  boolean isOurUser(SlackEvent e, String userId) {
    return ids(e).map(i -> userId.equals(i.botUserId())).orElse(false);
  }

  /** Forgets a workspace's ids (reinstalled or uninstalled). */
  void forget(String workspaceId) {
    byWorkspace.remove(workspaceId);
  }

  private Optional<Ids> ids(SlackEvent e) {
    String ws = Relay.workspaceOf(e);
    Ids known = byWorkspace.get(ws);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Installation> install = app.get().installations().find(e.enterpriseId().orElse(null), e.teamId().orElse(null));
    Optional<Ids> ids = install.filter(i -> i.botId().isPresent() && i.botUserId().isPresent())
        .map(i -> new Ids(i.botId().get(), i.botUserId().get()));
    ids.ifPresent(i -> byWorkspace.put(ws, i));
    return ids;
  }
}
