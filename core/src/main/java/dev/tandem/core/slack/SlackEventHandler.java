package dev.tandem.core.slack;

/**
 * Handles one type of Slack event, in a durable job (never on the HTTP request that delivered
 * it). It may run more than once for one event after a crash, so it must be idempotent; it runs
 * at most once per {@code event_id} otherwise. Throwing retries it with backoff.
 */
@FunctionalInterface
public interface SlackEventHandler {
  void handle(SlackEvent event) throws Exception;
}
