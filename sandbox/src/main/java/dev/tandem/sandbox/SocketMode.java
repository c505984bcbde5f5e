package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket Mode: the WebSocket behind the URL apps.connections.open returns. Sends {@code hello}, then
 * envelopes ({@code events_api}, {@code interactive}) with {@code envelope_id}; waits for the
 * {@code {"envelope_id":…}} ack and redelivers an unacked envelope with {@code retry_attempt} + 1. Can send
 * {@code disconnect} frames. Envelopes for an app with no open connection wait for one.
 */
final class SocketMode {
  private static final Logger log = LoggerFactory.getLogger(SocketMode.class);
  private final Ids ids;
  private final Duration ackTimeout;
  private final int maxRetries;
  private final Consumer<Delivery> record;
  private final Map<String, String> tickets = new ConcurrentHashMap<>();
  private final Map<String, List<WsContext>> connections = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Map<String, Object>>> waiting = new ConcurrentHashMap<>();
  private final Map<String, List<Runnable>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger roundRobin = new AtomicInteger();

  SocketMode(Ids ids, Duration ackTimeout, int maxRetries, Consumer<Delivery> record) {
    this.ids = ids;
    this.ackTimeout = ackTimeout;
    this.maxRetries = maxRetries;
    this.record = record;
  }

  /** A one-use ticket for the app's next connection, as in the URL apps.connections.open returns. */
  String ticket(String appId) {
    String t = ids.uuid();
    tickets.put(t, appId);
    return t;
  }

  void configure(WsConfig ws) {
    ws.onConnect(ctx -> {
      String appId = ctx.queryParam("ticket") == null ? null : tickets.remove(ctx.queryParam("ticket"));
      if (appId == null) {
        ctx.closeSession(4001, "invalid_ticket");
        return;
      }
      ctx.attribute("app_id", appId);
      List<WsContext> list = connections.computeIfAbsent(appId, k -> new CopyOnWriteArrayList<>());
      list.add(ctx);
      ctx.send(Json.write(obj("type", "hello", "num_connections", list.size(), "debug_info",
          obj("host", "applink-sandbox", "build_number", 1, "approximate_connection_time", 18060),
          "connection_info", obj("app_id", appId))));
      List<Runnable> queued = pending.remove(appId);
      if (queued != null) queued.forEach(r -> Thread.ofVirtual().start(r));
    });
    ws.onMessage(ctx -> {
      Map<String, Object> ack;
      try {
        ack = Json.readObject(ctx.message());
      } catch (IllegalArgumentException e) {
        log.warn("socket - ignoring a frame that is not JSON");
        return;
      }
      CompletableFuture<Map<String, Object>> f = waiting.remove(String.valueOf(ack.get("envelope_id")));
      if (f != null) f.complete(ack);
    });
    ws.onClose(ctx -> {
      String appId = ctx.attribute("app_id");
      if (appId != null) connections.getOrDefault(appId, new ArrayList<>()).remove(ctx);
    });
  }

  int connectionCount(String appId) {
    return connections.getOrDefault(appId, List.of()).size();
  }

  /**
   * Sends an envelope and, asynchronously, redelivers it until acked. Returns the ack's {@code payload}
   * future (empty map when the ack had none).
   */
  CompletableFuture<Map<String, Object>> send(String appId, String teamId, String type,
      Map<String, Object> payload, boolean acceptsResponsePayload) {
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    String envelopeId = ids.uuid();
    Runnable run = () -> attempt(appId, teamId, type, payload, acceptsResponsePayload, envelopeId, 0, result);
    if (connectionCount(appId) == 0) {
      pending.computeIfAbsent(appId, k -> new CopyOnWriteArrayList<>()).add(run);
    } else {
      Thread.ofVirtual().start(run);
    }
    return result;
  }

  private void attempt(String appId, String teamId, String type, Map<String, Object> payload, boolean accepts,
      String envelopeId, int n, CompletableFuture<Map<String, Object>> result) {
    List<WsContext> list = connections.getOrDefault(appId, List.of());
    if (list.isEmpty()) {
      pending.computeIfAbsent(appId, k -> new CopyOnWriteArrayList<>())
          .add(() -> attempt(appId, teamId, type, payload, accepts, envelopeId, n, result));
      return;
    }
    Map<String, Object> envelope = obj("envelope_id", envelopeId, "payload", payload, "type", type,
        "accepts_response_payload", accepts);
    if ("events_api".equals(type)) {
      envelope.put("retry_attempt", n);
      envelope.put("retry_reason", n == 0 ? "" : "timeout");
    }
    CompletableFuture<Map<String, Object>> ack = new CompletableFuture<>();
    waiting.put(envelopeId, ack);
    WsContext ctx = list.get(Math.floorMod(roundRobin.getAndIncrement(), list.size()));
    try {
      ctx.send(Json.write(envelope));
      Map<String, Object> got = ack.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
      record.accept(new Delivery(appId, teamId, envelopeId, type, n, 0, "acked"));
      Object p = got.get("payload");
      result.complete(p instanceof Map<?, ?> m ? Json.map(m) : Map.of());
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      waiting.remove(envelopeId);
      record.accept(new Delivery(appId, teamId, envelopeId, type, n, 0, "unacked"));
      if (n < maxRetries && "events_api".equals(type)) {
        attempt(appId, teamId, type, payload, accepts, envelopeId, n + 1, result);
      } else {
        result.complete(Map.of());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends a synchronous interaction and waits up to the ack timeout for the ack payload. */
  Optional<Map<String, Object>> interact(String appId, String teamId, Map<String, Object> payload,
      boolean acceptsResponse) {
    try {
      return Optional.of(send(appId, teamId, "interactive", payload, acceptsResponse)
          .get(ackTimeout.toMillis() * 2, TimeUnit.MILLISECONDS));
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Sends {@code disconnect} with a reason to every connection of the app; closes unless it is a warning. */
  void disconnect(String appId, String reason) {
    for (WsContext ctx : List.copyOf(connections.getOrDefault(appId, List.of()))) {
      ctx.send(Json.write(obj("type", "disconnect", "reason", reason, "debug_info", obj("host", "applink-sandbox"))));
      if (!"warning".equals(reason)) {
        connections.get(appId).remove(ctx);
        ctx.closeSession(1000, reason);
      }
    }
  }
}
