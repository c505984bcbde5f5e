package dev.tandem.sync.home;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.model.Conversation;
import com.slack.api.model.ConversationType;
import dev.tandem.core.slack.SlackApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A workspace's channels for the Home tab's type-ahead pickers: listed with {@code
 * conversations.list} (public channels, and the private ones the bot was invited to), a page of
 * 1,000 at a time, kept for two minutes so that typing does not list them again; a pick is checked
 * afresh with {@code conversations.info} before anything is done with it.
 */
final class Channels {
  record Channel(String id, String name, boolean isPrivate, boolean member, boolean archived) {}

  private final Supplier<SlackApp> app;
  private final Cache<String, List<Channel>> lists = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(Duration.ofMinutes(2)).build();

  Channels(Supplier<SlackApp> app) {
    this.app = app;
  }

  /** Channels whose name contains {@code typed} (names starting with it first), at most {@link HomeView#MAX_OPTIONS}. */
  List<Channel> matching(String workspaceId, String typed) {
    String q = typed == null ? "" : typed.strip().replaceFirst("^#", "").toLowerCase(Locale.ROOT);
    return lists.get(workspaceId, this::list).stream()
        .filter(c -> c.name().toLowerCase(Locale.ROOT).contains(q))
        .sorted(Comparator.comparing((Channel c) -> !c.name().toLowerCase(Locale.ROOT).startsWith(q)).thenComparing(Channel::name))
        .limit(HomeView.MAX_OPTIONS)
        .toList();
  }

  /** The channel as Slack describes it now, if it exists. */
  Optional<Channel> find(String workspaceId, String channelId) throws Exception {
    SlackApp slack = app.get();
    var info = slack.calls().call(workspaceId, "conversations.info", channelId,
        () -> slack.client(null, workspaceId).conversationsInfo(r -> r.channel(channelId)));
    if (!info.isOk() || info.getChannel() == null) {
      return Optional.empty();
    }
    return Optional.of(of(info.getChannel()));
  }

  /** Drops the cached channel list of a workspace (Refresh). */
  void forget(String workspaceId) {
    lists.invalidate(workspaceId);
  }

  /** Makes the bot a member of a public channel; a private one it can only be invited to. */
  Optional<String> join(String workspaceId, Channel channel) throws Exception {
    if (channel.member()) {
      return Optional.empty();
    }
    if (channel.isPrivate()) {
      return Optional.of("Tandem Sync can only sync a private channel it was invited to: type /invite @Tandem Sync in #" + channel.name()
          + ", then pick it again.");
    }
    SlackApp slack = app.get();
    var joined = slack.calls().call(workspaceId, "conversations.join", channel.id(),
        () -> slack.client(null, workspaceId).conversationsJoin(r -> r.channel(channel.id())));
    lists.invalidate(workspaceId);
    return joined.isOk() ? Optional.empty() : Optional.of("Tandem Sync could not join #" + channel.name() + " (" + joined.getError() + ").");
  }

  private List<Channel> list(String workspaceId) {
    SlackApp slack = app.get();
    List<Channel> out = new ArrayList<>();
    String cursor = null;
    try {
      do {
        String page = cursor;
        var listed = slack.calls().call(workspaceId, "conversations.list", null, () -> slack.client(null, workspaceId).conversationsList(r -> r
            .types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL)).excludeArchived(true).limit(1000).cursor(page)));
        if (!listed.isOk()) {
          throw new IllegalStateException("conversations.list in " + workspaceId + " refused: " + listed.getError());
        }
        listed.getChannels().forEach(c -> out.add(of(c)));
        cursor = listed.getResponseMetadata() == null ? null : listed.getResponseMetadata().getNextCursor();
      } while (cursor != null && !cursor.isEmpty());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not list the channels of " + workspaceId, e);
    }
    return List.copyOf(out);
  }

  private static Channel of(Conversation c) {
    return new Channel(c.getId(), c.getName(), c.isPrivate(), c.isMember(), c.isArchived());
  }
}
