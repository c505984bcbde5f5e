package dev.tandem.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The recorded Slack payloads in {@code slack-payloads/} (see its README): what real Slack sends. */
public final class Payloads {
  private Payloads() {}

  public static String read(String name) {
    try (InputStream in = Payloads.class.getResourceAsStream("/slack-payloads/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no recorded payload slack-payloads/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
