package dev.tandem.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signed requests to apps' request URLs. Events API: each attempt signed afresh, retried when no 2xx
 * comes within the ack timeout ({@code http_timeout}) or on a non-2xx ({@code http_error}), after the
 * configured delays, with {@code X-Slack-Retry-Num}/{@code X-Slack-Retry-Reason}; {@code X-Slack-No-Retry: 1}
 * stops retries. Interactivity: one attempt whose body is returned to the caller.
 */
final class HttpDelivery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpDelivery.class);
  // HTTP/1.1 as Slack uses to call apps (the default, HTTP/2, would try an h2c upgrade on every new connection)
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
      .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sandbox-retries");
    t.setDaemon(true);
    return t;
  });
  private final Clock clock;
  private final Duration ackTimeout;
  private final List<Duration> retryDelays;
  private final Consumer<Delivery> record;
  private final java.util.function.IntSupplier redeliveries;
  private final java.util.function.Supplier<Duration> delay;

  HttpDelivery(Clock clock, Duration ackTimeout, List<Duration> retryDelays, java.util.function.IntSupplier redeliveries,
      java.util.function.Supplier<Duration> delay, Consumer<Delivery> record) {
    this.redeliveries = redeliveries;
    this.delay = delay;
    this.clock = clock;
    this.ackTimeout = ackTimeout;
    this.retryDelays = retryDelays;
    this.record = record;
  }

  /** Delivers an event_callback body with Slack's retry behaviour; returns at once. */
  void event(String appId, String teamId, String eventId, String url, String secret, String body) {
    long late = delay.get().toMillis();
    timer.schedule(() -> Thread.ofVirtual().start(() -> attempt(appId, teamId, eventId, url, secret, body, 0, null)), late,
        TimeUnit.MILLISECONDS);
    for (int n = 1; n <= Math.min(redeliveries.getAsInt(), retryDelays.size()); n++) {
      int retry = n;
      timer.schedule(() -> Thread.ofVirtual().start(() -> redeliver(appId, teamId, eventId, url, secret, body, retry)), late,
          TimeUnit.MILLISECONDS);
    }
  }

  /** A retry Slack sends although the app received the event (its acknowledgement was late): never retried itself. */
  private void redeliver(String appId, String teamId, String eventId, String url, String secret, String body, int n) {
    try {
      HttpResponse<String> res = send(url, secret, body, "application/json", n, "http_timeout");
      record.accept(new Delivery(appId, teamId, eventId, "events_api", n, res.statusCode(), res.statusCode() / 100 == 2 ? "ok" : "http_error"));
    } catch (IOException e) {
      record.accept(new Delivery(appId, teamId, eventId, "events_api", n, 0, "connection_failed"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void attempt(String appId, String teamId, String eventId, String url, String secret, String body,
      int n, String reason) {
    String outcome;
    int status = 0;
    boolean noRetry = false;
    try {
      HttpResponse<String> res = send(url, secret, body, "application/json", n, reason);
      status = res.statusCode();
      noRetry = "1".equals(res.headers().firstValue("X-Slack-No-Retry").orElse(null));
      outcome = status / 100 == 2 ? "ok" : noRetry ? "no_retry" : "http_error";
    } catch (HttpTimeoutException e) {
      outcome = "http_timeout";
    } catch (IOException e) {
      outcome = "connection_failed";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    record.accept(new Delivery(appId, teamId, eventId, "events_api", n, status, outcome));
    if (outcome.equals("ok") || outcome.equals("no_retry")) return;
    if (n >= retryDelays.size()) {
      log.warn("app={} team={} event={} - gave up after {} retries: {}", appId, teamId, eventId, n, outcome);
      return;
    }
    String why = outcome;
    timer.schedule(() -> Thread.ofVirtual().start(() -> attempt(appId, teamId, eventId, url, secret, body, n + 1,
        why)), retryDelays.get(n).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One signed form-encoded interactivity request; empty when the app did not answer in time. */
  Optional<HttpResponse<String>> interaction(String url, String secret, String formBody) {
    try {
      return Optional.of(send(url, secret, formBody, "application/x-www-form-urlencoded", 0, null));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** A plain signed POST (url_verification). */
  HttpResponse<String> send(String url, String secret, String body, String contentType, int retryNum,
      String reason) throws IOException, InterruptedException {
    long ts = clock.millis() / 1000;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(ackTimeout)
        .header("Content-Type", contentType).header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
        .header("X-Slack-Request-Timestamp", Long.toString(ts))
        .header("X-Slack-Signature", Signer.sign(secret, ts, body))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (retryNum > 0) {
      b.header("X-Slack-Retry-Num", Integer.toString(retryNum)).header("X-Slack-Retry-Reason", reason);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpClient client() {
    return client;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    client.shutdownNow();
  }
}
