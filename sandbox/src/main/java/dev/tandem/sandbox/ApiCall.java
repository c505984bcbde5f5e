package dev.tandem.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * One Web API call as the sandbox saw it. {@code tokenKind} is {@code bot}, {@code user}, {@code app} or
 * {@code none}; {@code httpStatus} is 200 unless a knob injected 429/5xx/timeouts. {@code unknownMethod} is set
 * when the method is not implemented, which a test should treat as a failure of the caller.
 */
public record ApiCall(
    Instant at,
    String method,
    String teamId,
    String appId,
    String tokenKind,
    Map<String, Object> args,
    int httpStatus,
    boolean ok,
    String error,
    boolean unknownMethod) {
  public ApiCall {
    args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
  }
}
