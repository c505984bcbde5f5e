package dev.tandem.leave.intake;

import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.leave.intake.RequestMessages.Message;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's posts and edits in leave threads, through the app's rate limits. Transient failures
 * throw (the job retries); a refusal that retrying cannot fix (the bot was removed from the
 * channel, the message is gone) is logged, counted and answered with empty / false.
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);
  private final Supplier<SlackApp> app;
  private final MeterRegistry metrics;

  Replies(Supplier<SlackApp> app, MeterRegistry metrics) {
    this.app = app;
    this.metrics = metrics;
  }

  /** Posts in a thread; the new message's ts, or empty when Slack refused for good. */
  Optional<String> post(String workspaceId, String channel, String threadTs, Message m) throws Exception {
    return post(workspaceId, channel, threadTs, m, null, Map.of());
  }

  /** The same with message metadata ({@code eventType} and a small payload), which Slack's echo and history carry back. */
  Optional<String> post(String workspaceId, String channel, String threadTs, Message m, String eventType, Map<String, Object> payload)
      throws Exception {
    SlackApp slack = app.get();
    com.slack.api.model.Message.Metadata metadata = eventType == null ? null
        : com.slack.api.model.Message.Metadata.builder().eventType(eventType).eventPayload(payload).build();
    ChatPostMessageResponse posted = slack.calls().call(workspaceId, "chat.postMessage", channel, () -> slack.client(null, workspaceId)
        .chatPostMessage(r -> r.channel(channel).threadTs(threadTs).text(m.text()).blocksAsString(m.blocks()).unfurlLinks(false)
            .metadata(metadata)));
    if (posted.isOk()) {
      return Optional.of(posted.getTs());
    }
    refused("chat.postMessage", workspaceId, channel, posted.getError());
    return Optional.empty();
  }

  /** Rewrites one of the bot's messages; false when Slack refused for good. */
  boolean update(String workspaceId, String channel, String ts, Message m) throws Exception {
    SlackApp slack = app.get();
    ChatUpdateResponse updated = slack.calls().call(workspaceId, "chat.update", channel, () -> slack.client(null, workspaceId)
        .chatUpdate(r -> r.channel(channel).ts(ts).text(m.text()).blocksAsString(m.blocks())));
    if (updated.isOk()) {
      return true;
    }
    refused("chat.update", workspaceId, channel, updated.getError());
    return false;
  }

  private void refused(String method, String workspaceId, String channel, String error) {
    Counter.builder("tandem.leave.replies.refused").description("Leave app posts and edits Slack refused for good")
        .tag("method", method).tag("error", error == null ? "unknown" : error).register(metrics).increment();
    log.warn("leave: {} in {}/{} refused: {}", method, workspaceId, channel, error);
  }
}
