package dev.tandem.core.config;

import dev.tandem.core.log.Redactor;

/**
 * A secret setting. Its {@code toString} never shows the value, and the value is registered
 * with the {@link Redactor} so it is masked should it ever reach a log line.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    Redactor.register(value);
    return new Secret(value);
  }

  /** The plain value: pass it on to the library that needs it, never to a log or a message. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return Redactor.MASK;
  }
}
