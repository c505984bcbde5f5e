package dev.tandem.core.log;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Masks secrets in text bound for logs and command output: every secret value read from the
 * configuration or the vault, plus anything shaped like a Slack token, a bearer credential or a
 * password inside a URL.
 *
 * <p>Static on purpose: Logback instantiates the converters that call it, so there is no
 * composition root to inject it from. Registration is append-only and thread-safe.
 */
public final class Redactor {
  public static final String MASK = "********";
  private static final int MIN_SECRET_LENGTH = 6;
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  private static final List<Shape> SHAPES = List.of(
      new Shape("xox[abposre]-[A-Za-z0-9-]{6,}", MASK),
      new Shape("xapp-[A-Za-z0-9-]{6,}", MASK),
      new Shape("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{6,}", "$1" + MASK),
      new Shape("(?i)(\\b[a-z][a-z0-9+.-]*://[^/:@\\s]+:)[^@\\s/]+@", "$1" + MASK + "@"),
      new Shape("(?i)((?:password|passwd|secret|token|api[_-]?key)=)[^&\\s]+", "$1" + MASK));

  private record Shape(Pattern pattern, String replacement) {
    Shape(String regex, String replacement) {
      this(Pattern.compile(regex), replacement);
    }
  }

  private Redactor() {}

  /** Masks {@code secret} wherever it appears from now on. Short values are ignored (too many false hits). */
  public static void register(String secret) {
    if (secret != null && secret.strip().length() >= MIN_SECRET_LENGTH) {
      SECRETS.add(secret.strip());
    }
  }

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : SECRETS) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    for (Shape shape : SHAPES) {
      out = shape.pattern().matcher(out).replaceAll(shape.replacement());
    }
    return out;
  }
}
