package dev.tandem.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Web API refusal: answered as {@code {"ok":false,"error":...}} plus any extra keys, HTTP 200. */
class SlackError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final String error;
  final transient Map<String, Object> extra;

  SlackError(String error) {
    this(error, Map.of());
  }

  SlackError(String error, Map<String, Object> extra) {
    super(error, null, false, false);
    this.error = error;
    this.extra = new LinkedHashMap<>(extra);
  }
}
