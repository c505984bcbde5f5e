package dev.tandem.sandbox;

import io.javalin.Javalin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A stand-in app: records every request to its request URL and answers with a configurable responder. */
final class Receiver implements AutoCloseable {
  record Request(Map<String, String> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }
  }

  /** How to answer: status, body and extra headers. */
  record Reply(int status, String body, Map<String, String> headers) {
    static Reply ok() {
      return new Reply(200, "", Map.of());
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Reply> responder = r -> Reply.ok();
  private final Javalin app;

  Receiver() {
    app = Javalin.create(cfg -> {
      cfg.routes.post("/slack/events", ctx -> {
        Request r = new Request(Map.copyOf(ctx.headerMap()), ctx.body());
        requests.add(r);
        if (r.body().contains("\"url_verification\"")) {
          String challenge = SandboxFixture.JSON.readTree(r.body()).get("challenge").asText();
          ctx.json(Map.of("challenge", challenge));
          return;
        }
        Reply reply = responder.apply(r);
        reply.headers().forEach(ctx::header);
        ctx.status(reply.status()).result(reply.body());
      });
      cfg.jetty.port = 0;
      cfg.concurrency.useVirtualThreads = true;
      cfg.startup.showJavalinBanner = false;
    }).start();
  }

  String url() {
    return "http://127.0.0.1:" + app.port() + "/slack/events";
  }

  void respond(Function<Request, Reply> f) {
    responder = f;
  }

  /** Event callbacks received (url_verification excluded). */
  List<Request> events() {
    return requests.stream().filter(r -> r.body().contains("\"event_callback\"")).toList();
  }

  @Override
  public void close() {
    app.stop();
  }
}
