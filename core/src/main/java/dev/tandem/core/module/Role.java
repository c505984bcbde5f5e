package dev.tandem.core.module;

/**
 * What one process does. {@code serve} runs all three; any number of processes of each role
 * may share one PostgreSQL or MySQL database.
 */
public enum Role {
  /** Receives Slack traffic (Events API, interactivity, OAuth, Socket Mode). */
  BOT,
  /** Serves the web admin and its JSON API. */
  WEB,
  /** Runs durable jobs and recurring sweeps. */
  WORKER
}
