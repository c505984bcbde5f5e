package dev.tandem.core.web;

import java.util.concurrent.Callable;

/**
 * One readiness check (database, a Slack app, an integration). A component that is not
 * configured reports {@link State#NOT_CONFIGURED}, which does not fail readiness.
 */
public interface HealthCheck {
  String name();

  /** Runs the check; an exception counts as {@link State#DOWN} with its message. */
  Status check() throws Exception;

  enum State { UP, DOWN, NOT_CONFIGURED }

  record Status(State state, String detail) {
    public static Status up(String detail) {
      return new Status(State.UP, detail);
    }

    public static Status down(String detail) {
      return new Status(State.DOWN, detail);
    }

    public static Status notConfigured(String detail) {
      return new Status(State.NOT_CONFIGURED, detail);
    }
  }

  static HealthCheck of(String name, Callable<Status> check) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Status check() throws Exception {
        return check.call();
      }
    };
  }
}
