package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.methods.MethodsClient;
import java.util.Optional;

/**
 * One delivered Events API envelope, handed to a {@link SlackEventHandler} in a durable job.
 *
 * @param teamId the workspace the event was delivered for (from its authorizations, as Bolt reads it)
 * @param envelope the whole body Slack sent ({@code event_callback}), as received
 */
public record SlackEvent(
    SlackApp app, String eventId, Optional<String> teamId, Optional<String> enterpriseId, String type, JsonNode envelope) {
  /** The {@code event} object inside the envelope. */
  public JsonNode event() {
    return envelope.path("event");
  }

  /** A Web API client for the workspace the event came from. */
  public MethodsClient client() {
    return app.client(enterpriseId().orElse(null), teamId.orElse(null));
  }
}
