package dev.tandem.sandbox;

/**
 * One attempt to deliver an event or interaction to an app, as recorded for tests. {@code outcome} is
 * {@code ok}, {@code http_error}, {@code http_timeout}, {@code connection_failed}, {@code no_retry} (the app
 * answered with {@code X-Slack-No-Retry: 1}), or for Socket Mode {@code acked} / {@code unacked}.
 */
public record Delivery(String appId, String teamId, String id, String kind, int attempt, int httpStatus,
    String outcome) {}
