package dev.tandem.core.log;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/** JSON log lines: masks secrets in every string value (message, stack trace, MDC). */
public final class RedactingValueMasker implements ValueMasker {
  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (value instanceof CharSequence text) {
      String redacted = Redactor.redact(text.toString());
      return redacted.equals(text.toString()) ? null : redacted;
    }
    return null;
  }
}
