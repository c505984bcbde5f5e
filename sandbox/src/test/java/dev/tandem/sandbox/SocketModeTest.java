package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.ALICE;
import static dev.tandem.sandbox.SandboxFixture.LEAVE;
import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Socket Mode: apps.connections.open, hello, envelopes, acks, redelivery, disconnect. */
class SocketModeTest {

  /** A Socket Mode client that records frames and acks only when told to. */
  static final class Client implements WebSocket.Listener {
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    volatile boolean ack;
    WebSocket ws;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode n = SandboxFixture.JSON.readTree(partial.toString());
          frames.add(n);
          if (ack && n.has("envelope_id")) webSocket.sendText("{\"envelope_id\":\"" + n.get("envelope_id").asText() + "\"}", true);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    List<JsonNode> envelopes() {
      return frames.stream().filter(f -> f.has("envelope_id")).toList();
    }
  }

  static AppSpec socketApp() {
    return AppSpec.builder("Tandem").appId(SandboxFixture.APP).socketMode(true).botEvents("message.channels").build();
  }

  static Client connect(FakeSlack slack, String appToken, boolean ack) throws Exception {
    var open = SandboxFixture.sdk(slack).methods().appsConnectionsOpen(r -> r.token(appToken));
    Client c = new Client();
    c.ack = ack;
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(open.getUrl()), c).join();
    return c;
  }

  @Test
  void connectionsOpenGivesAUrlThatSaysHello() throws Exception {
    try (var s = SandboxFixture.aSandbox(socketApp())) {
      String appToken = s.slack().registerApp(AppSpec.builder("Other").socketMode(true).build()).appToken();
      var raw = SandboxFixture.call(s.slack(), appToken, "apps.connections.open", "");

      Client c = connect(s.slack(), appToken, true);

      assertThat(KeyShape.diff(KeyShape.sample("api.apps.connections.open.json"), KeyShape.tree(raw.body()))).isEmpty();
      assertThat((String) raw.body().get("url")).startsWith("ws://");
      await().until(() -> !c.frames.isEmpty());
      assertThat(KeyShape.diff(KeyShape.sample("socket.hello.json"), c.frames.getFirst())).isEmpty();
    }
  }

  @Test
  void eventsArriveAsEnvelopesAndUnackedOnesAreRedelivered() throws Exception {
    try (var s = SandboxFixture.aSandbox(socketApp())) {
      String appToken = appToken(s);
      Client c = connect(s.slack(), appToken, false);
      await().until(() -> s.slack().socketConnections(SandboxFixture.APP) == 1);

      s.slack().postAsUser(TEAM, LEAVE, ALICE, "<@" + SandboxFixture.BOB + "> off", null);

      await().until(() -> c.envelopes().size() >= 2);
      JsonNode first = c.envelopes().getFirst();
      assertThat(KeyShape.diff(KeyShape.sample("socket.events_api.json"), first)).isEmpty();
      assertThat(c.envelopes().get(1).get("retry_attempt").asInt()).isEqualTo(1);
      assertThat(c.envelopes().get(1).get("envelope_id")).isEqualTo(first.get("envelope_id"));
    }
  }

  @Test
  void ackedEnvelopesAreNotRedeliveredAndDisconnectIsSent() throws Exception {
    try (var s = SandboxFixture.aSandbox(socketApp())) {
      Client c = connect(s.slack(), appToken(s), true);
      await().until(() -> s.slack().socketConnections(SandboxFixture.APP) == 1);

      s.slack().postAsUser(TEAM, LEAVE, ALICE, "hello", null);
      await().until(() -> s.slack().deliveries().stream().anyMatch(d -> d.outcome().equals("acked")));
      s.slack().socketDisconnect(SandboxFixture.APP, "refresh_requested");

      await().until(() -> c.frames.stream().anyMatch(f -> "disconnect".equals(f.path("type").asText())));
      assertThat(c.envelopes()).hasSize(1);
      JsonNode disconnect = c.frames.stream().filter(f -> "disconnect".equals(f.path("type").asText())).findFirst().orElseThrow();
      assertThat(KeyShape.diff(KeyShape.sample("socket.disconnect.refresh_requested.json"), disconnect)).isEmpty();
    }
  }

  private static String appToken(SandboxFixture.Sandbox s) {
    return s.slack().appRegistration(SandboxFixture.APP).appToken();
  }
}
