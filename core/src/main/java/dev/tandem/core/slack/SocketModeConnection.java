package dev.tandem.core.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import com.slack.api.socket_mode.impl.SocketModeClientJavaWSImpl;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket Mode connection of one Bolt app: the SDK's client (Java-WebSocket back end) with each
 * envelope run through the app's pipeline and acknowledged, its response (view submission
 * actions, options) sent back in the ack. Unlike the SDK's own wiring, a {@code disconnect} with
 * reason {@code link_disabled} stops it for good: Slack sends it when Socket Mode was turned off
 * for the app, and the SDK would otherwise reconnect at once, and again after every failure.
 * The flag is set as the message arrives, on the socket's own thread, so it is in place before
 * the close that follows.
 */
final class SocketModeConnection extends SocketModeClientJavaWSImpl {
  private static final Logger log = LoggerFactory.getLogger(SocketModeConnection.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String app;
  private volatile boolean linkDisabled;

  private SocketModeConnection(Slack slack, String appToken, String url, String app) throws URISyntaxException {
    // one message processor: envelopes reach the inbox in the order Slack sent them
    super(slack, appToken, url, 1);
    this.app = app;
  }

  /** Opens a connection for {@code bolt}; every envelope goes through {@link App#run}. */
  static SocketModeConnection open(App bolt, String appToken, String app) throws IOException, SlackApiException, URISyntaxException {
    SocketModeConnection connection = open(bolt.slack(), appToken, app);
    SocketModeRequestParser parser = new SocketModeRequestParser(bolt.config());
    connection.addWebSocketMessageListener(message -> connection.deliver(bolt, parser, message));
    bolt.start();
    connection.connect();
    return connection;
  }

  private static SocketModeConnection open(Slack slack, String appToken, String app) throws IOException, SlackApiException, URISyntaxException {
    AppsConnectionsOpenResponse opened = slack.methods(appToken).appsConnectionsOpen(r -> r);
    if (!opened.isOk()) {
      throw new IOException("apps.connections.open failed for the " + app + " app: " + opened.getError()
          + " (check SLACK_" + app.toUpperCase(java.util.Locale.ROOT) + "_APP_TOKEN and that Socket Mode is enabled)");
    }
    return new SocketModeConnection(slack, appToken, opened.getUrl(), app);
  }

  private void deliver(App bolt, SocketModeRequestParser parser, String message) {
    SocketModeRequest request = parser.parse(message);
    if (request == null) {
      return; // hello, disconnect and other control messages
    }
    String envelopeId = request.getEnvelope().getEnvelopeId();
    try {
      Response response = bolt.run(request.getBoltRequest());
      if (response.getStatusCode() != 200) {
        // not acknowledged: Slack delivers the envelope again
        log.warn("app={} envelope={} - not acknowledged: status {}", app, envelopeId, response.getStatusCode());
        return;
      }
      Map<String, Object> ack = new LinkedHashMap<>();
      ack.put("envelope_id", envelopeId);
      String body = response.getBody();
      if (body != null && !body.isEmpty()) {
        String type = response.getContentType() == null ? "" : response.getContentType();
        ack.put("payload", type.startsWith("application/json") ? JSON.readTree(body) : Map.of("text", body));
      }
      sendSocketModeResponse(JSON.writeValueAsString(ack));
    } catch (org.java_websocket.exceptions.WebsocketNotConnectedException e) {
      // the session closed under us (a refresh): Slack redelivers the envelope on the new one,
      // and the event inbox makes the second delivery harmless
      log.warn("app={} envelope={} - ack lost to a reconnect; Slack will deliver it again", app, envelopeId);
    } catch (Exception e) {
      // not acknowledged either: the delivery is retried by Slack
      log.error("app={} envelope={} - handling failed", app, envelopeId, e);
    }
  }

  /**
   * Lets the envelope being handled finish before the socket closes (at most 10 s), so shutting
   * down never pulls the database from under it; envelopes still queued are not acknowledged,
   * and Slack delivers them again.
   */
  @Override
  public void close() throws IOException {
    java.util.concurrent.ScheduledExecutorService processor = getMessageProcessorExecutor();
    processor.shutdown();
    try {
      if (!processor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
        log.warn("app={} - an envelope was still being handled after 10 s; closing anyway (Slack delivers it again)", app);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.close();
  }

  boolean linkDisabled() {
    return linkDisabled;
  }

  @Override
  public void enqueueMessage(String message) {
    if (!linkDisabled && message.contains("link_disabled") && isLinkDisabled(message)) {
      linkDisabled = true;
      setAutoReconnectEnabled(false);
      log.error("app={} - Slack disabled Socket Mode for this app (link_disabled); not reconnecting."
          + " Turn Socket Mode on again in the app's settings and restart Tandem.", app);
    }
    super.enqueueMessage(message);
  }

  @Override
  public void connectToNewEndpoint() throws IOException {
    if (linkDisabled) {
      return;
    }
    super.connectToNewEndpoint();
  }

  private static boolean isLinkDisabled(String message) {
    try {
      JsonNode node = JSON.readTree(message);
      return "disconnect".equals(node.path("type").asText()) && "link_disabled".equals(node.path("reason").asText());
    } catch (IOException e) {
      return false;
    }
  }
}
