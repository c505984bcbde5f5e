package dev.tandem.core.slack;

import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.tandem.core.jobs.RetryLater;
import java.io.IOException;
import java.time.Duration;

/**
 * How a job makes one Web API call: book it with {@link RateLimits} (waiting briefly, or handing
 * the job back to the queue when the wait is long), make it, and turn Slack's answers into what
 * the job system understands: 429 / {@code ratelimited} become {@link RetryLater} with Slack's
 * {@code Retry-After}; 5xx and network failures are thrown for a retry with backoff; an
 * {@code ok:false} answer comes back to the caller, which knows which errors are final.
 */
public final class SlackCalls {
  /** Waits longer than this are not slept through: the job is retried later instead. */
  static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(2);

  /** {@code ok:false} answers that Slack documents as temporary. */
  static final java.util.Set<String> TRANSIENT = java.util.Set.of("internal_error", "fatal_error", "service_unavailable",
      "request_timeout");

  private final RateLimits limits;

  public SlackCalls(RateLimits limits) {
    this.limits = limits;
  }

  /** One Web API call, from a job. */
  @FunctionalInterface
  public interface Call<T extends SlackApiTextResponse> {
    T run() throws IOException, SlackApiException;
  }

  public <T extends SlackApiTextResponse> T call(String teamId, String method, String channel, Call<T> call) throws Exception {
    Duration wait = limits.reserve(teamId, method, channel, MAX_INLINE_WAIT);
    if (wait.compareTo(MAX_INLINE_WAIT) > 0) {
      throw RetryLater.waiting(wait, method + " budget for team " + teamId + " is spent for " + wait.toMillis() + " ms");
    }
    if (!wait.isZero()) {
      Thread.sleep(wait);
    }
    T response;
    try {
      response = call.run();
    } catch (SlackApiException e) {
      int status = e.getResponse().code();
      if (status == 429) {
        Duration after = retryAfter(e.getResponse().header("Retry-After"));
        limits.blockFor(teamId, method, channel, after); // other jobs wait too instead of meeting 429s
        throw RetryLater.waiting(after, method + " answered 429");
      }
      throw new IOException(method + " answered HTTP " + status, e);
    }
    if ("ratelimited".equals(response.getError())) {
      throw RetryLater.waiting(Duration.ofSeconds(30), method + " answered ratelimited");
    }
    if (response.getError() != null && TRANSIENT.contains(response.getError())) {
      throw new IOException(method + " answered " + response.getError() + " (transient, retried with backoff)");
    }
    return response;
  }

  static Duration retryAfter(String header) {
    try {
      return Duration.ofSeconds(Math.max(1, Long.parseLong(header == null ? "" : header.strip())));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(30); // Slack always sends it; be patient when it does not
    }
  }
}
