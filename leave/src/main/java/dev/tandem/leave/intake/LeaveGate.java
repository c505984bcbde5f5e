package dev.tandem.leave.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.leave.LeaveConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;

/**
 * Decides, in the request that delivers a message event and before anything is stored, whether
 * the Leave app looks at it: a message in a leave channel that passes {@link LeaveReading}'s test
 * (a trigger keyword, and the rule parser finds leave in it); a reply in a
 * thread where the bot is in a conversation with that person; an edit or deletion of a message
 * that made a request. Everything else is acknowledged and dropped: no row, no job, no parse, no
 * LLM call. Only message events are judged; lifecycle events always go through.
 */
public final class LeaveGate {
  private final LeaveConfig config;
  private final LeaveReading reading;
  private final LeaveRequests requests;
  private final Clock clock;
  private final MeterRegistry metrics;

  public LeaveGate(LeaveConfig config, LeaveReading reading, LeaveRequests requests, Clock clock, MeterRegistry metrics) {
    this.config = config;
    this.reading = reading;
    this.requests = requests;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** True when the event is to be dropped (the inbox's absorber contract: "handled completely"). */
  public boolean drop(String workspaceId, JsonNode event) {
    if (!"message".equals(event.path("type").asText())) {
      return false;
    }
    String reason = reasonToDrop(event);
    Counter.builder("tandem.leave.gate").description("Message events the Leave app's gate let through or dropped")
        .tag("outcome", reason == null ? "passed" : "dropped").tag("reason", reason == null ? "relevant" : reason)
        .register(metrics).increment();
    return reason != null;
  }

  private String reasonToDrop(JsonNode event) {
    LeaveConfig.Current cfg = config.current();
    String channel = event.path("channel").asText("");
    if (!cfg.channels().contains(channel)) {
      return "not_a_leave_channel";
    }
    if (ownEcho(event)) {
      return "own_echo";
    }
    return switch (event.path("subtype").asText("")) {
      case "", "thread_broadcast", "file_share" -> about(channel, event);
      case "message_changed" -> edit(channel, event.path("message"), event.path("previous_message"));
      case "message_deleted" -> requests.anyForMessage(channel, event.path("deleted_ts").asText())
          || about(channel, event.path("previous_message")) == null ? null : "deleted_unknown";
      default -> "subtype";
    };
  }

  /**
   * The bot's own confirmation coming back: its metadata names the request, whose message ts is
   * recorded here if the post's answer was lost (the only write the gate makes, and only for our own posts).
   */
  private boolean ownEcho(JsonNode event) {
    JsonNode metadata = event.path("metadata");
    if (!Confirmations.METADATA_TYPE.equals(metadata.path("event_type").asText())) {
      return false;
    }
    String request = metadata.path("event_payload").path("r").asText("");
    if (!request.isEmpty() && event.hasNonNull("ts")) {
      requests.recordBotTs(request, event.path("ts").asText());
    }
    return true;
  }

  /**
   * An edit: of a message that made a request, or whose new text is about leave, or whose old text
   * was (its request may still be in the making). A deleted message with replies stays as a
   * tombstone, reported as an edit. Edits that leave the text as it was (a link unfurled) cost nothing.
   */
  private String edit(String channel, JsonNode message, JsonNode previous) {
    boolean made = requests.anyForMessage(channel, message.path("ts").asText());
    if ("tombstone".equals(message.path("subtype").asText())) {
      return made || about(channel, previous) == null ? null : "deleted_unknown";
    }
    if (message.path("text").asText("").equals(previous.path("text").asText(""))) {
      return "text_unchanged";
    }
    return made || about(channel, message) == null || about(channel, previous) == null ? null : "edit_not_leave";
  }

  /**
   * Null when a person's message is about leave: leave at the top level; in a thread, a reply in a
   * conversation the bot is having with that person, or a reply that is leave by itself.
   */
  private String about(String channel, JsonNode message) {
    String user = message.path("user").asText("");
    if (user.isEmpty() || message.hasNonNull("bot_id") || "bot_message".equals(message.path("subtype").asText())) {
      return "not_a_person";
    }
    String ts = message.path("ts").asText();
    String thread = message.path("thread_ts").asText(ts);
    // the poster's "today" depends on their zone, unknown here: a day's slack either way is allowed
    LocalDate today = LocalDate.now(clock);
    if (reading.worthReading(message.path("text").asText(""), today)) {
      return null;
    }
    if (thread.equals(ts)) {
      return "not_leave";
    }
    return requests.activeInThread(channel, thread, user, today) ? null : "thread_not_active";
  }
}
