package dev.tandem.leave.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.slack.api.methods.response.conversations.ConversationsListResponse;
import com.slack.api.model.ConversationType;
import dev.tandem.core.slack.Installation;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.leave.LeaveSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel names for the leave-channels setting: admins may type {@code #leave} instead of an id,
 * which stands for the channel of that name in every workspace where the Leave app is installed;
 * and the settings page names the ids it shows. Read with {@code conversations.list} (public
 * channels, and private ones the bot is in), kept for a minute.
 */
public final class ChannelNames {
  private static final Logger log = LoggerFactory.getLogger(ChannelNames.class);
  private static final Duration KEEP = Duration.ofMinutes(1);
  private final Supplier<Optional<SlackApp>> slack;
  private final Clock clock;
  private volatile List<Channel> known;
  private volatile long readAt;

  /** A channel of a workspace. */
  public record Channel(String teamId, String teamName, String id, String name) {}

  public ChannelNames(Supplier<Optional<SlackApp>> slack, Clock clock) {
    this.slack = slack;
    this.clock = clock;
  }

  /** The channels the Leave app can see, in every workspace it is installed in (empty without the app, or when Slack cannot be read). */
  public List<Channel> known() {
    long now = clock.millis();
    List<Channel> k = known;
    if (k == null || now - readAt >= KEEP.toMillis() || now < readAt) {
      k = read();
      known = k;
      readAt = now;
    }
    return k;
  }

  /** "#leave (Acme)" for an id the app can see; empty otherwise. */
  public Optional<String> describe(String id) {
    return known().stream().filter(c -> c.id().equals(id)).findFirst().map(c -> "#" + c.name() + " (" + c.teamName() + ")");
  }

  /**
   * The setting with every name replaced by the ids of the channels of that name; ids stay as they
   * are. A name no workspace has is refused (400), saying which.
   */
  JsonNode resolve(JsonNode channels) {
    if (!channels.isArray()) {
      return channels; // the setting's own validation says what is wrong
    }
    Set<String> ids = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (JsonNode entry : channels) {
      String raw = entry.asText("").strip();
      if (LeaveSettings.isChannelId(raw) || raw.isEmpty()) {
        ids.add(raw);
        continue;
      }
      String name = raw.replaceFirst("^#", "").toLowerCase(Locale.ROOT);
      if (slack.get().isEmpty()) {
        throw AdminException.invalid("'" + raw + "': channel names need the Leave Slack app (SLACK_LEAVE_*); give channel ids instead");
      }
      List<String> found = known().stream().filter(c -> c.name().equals(name)).map(Channel::id).toList();
      if (found.isEmpty()) {
        unknown.add(raw);
      }
      ids.addAll(found);
    }
    if (!unknown.isEmpty()) {
      throw AdminException.invalid("no channel named " + String.join(", ", unknown) + " in the workspaces where the Leave app is installed"
          + " (a private channel must have the app invited first)");
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    ids.forEach(out::add);
    return out;
  }

  private List<Channel> read() {
    Optional<SlackApp> app = slack.get();
    if (app.isEmpty()) {
      return List.of();
    }
    List<Channel> out = new ArrayList<>();
    for (Installation install : app.get().installations().all()) {
      if (install.revokedAt().isPresent() || install.teamId().isEmpty()) {
        continue;
      }
      String team = install.teamId().get();
      try {
        String cursor = null;
        do {
          String c = cursor;
          ConversationsListResponse page = app.get().calls().call(team, "conversations.list", null, () -> app.get().client(null, team)
              .conversationsList(r -> r.types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL))
                  .excludeArchived(true).limit(1000).cursor(c)));
          if (!page.isOk()) {
            throw new IllegalStateException("conversations.list answered " + page.getError());
          }
          page.getChannels().forEach(ch -> out.add(new Channel(team, install.teamName().orElse(team), ch.getId(), ch.getName())));
          cursor = page.getResponseMetadata() == null ? null : page.getResponseMetadata().getNextCursor();
        } while (cursor != null && !cursor.isBlank());
      } catch (Exception e) {
        log.warn("leave admin: the channels of workspace {} could not be read: {}", team, e.getMessage());
      }
    }
    return List.copyOf(out);
  }
}
