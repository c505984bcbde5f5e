package dev.tandem.sandbox;

import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Plumbing shared by the service fakes (Google Calendar, Harvest): an answer as a value, an exception that
 * carries one out of deep validation code, and request parsing that copes with what real clients send
 * (gzip-compressed bodies and {@code X-HTTP-Method-Override} from Google's Java client, encoded path segments).
 */
final class FakeHttp {
  private FakeHttp() {}

  /** An HTTP answer: status, JSON body (null = none) and extra headers. */
  record Reply(int status, Object body, Map<String, String> headers) {
    static Reply json(int status, Object body) {
      return new Reply(status, body, Map.of());
    }
  }

  /** Thrown to answer with an error from anywhere inside a handler; no stack trace, it is control flow. */
  static final class ErrorReply extends RuntimeException {
    final transient Reply reply;

    ErrorReply(int status, Object body) {
      this(new Reply(status, body, Map.of()));
    }

    ErrorReply(Reply reply) {
      super("HTTP " + reply.status(), null, false, false);
      this.reply = reply;
    }
  }

  /**
   * The method the service acts on: Google's client (and Google's servers) use a POST with
   * {@code X-HTTP-Method-Override} when the HTTP transport has no PATCH.
   */
  static String method(Context ctx) {
    String m = ctx.method().name();
    String override = ctx.header("X-HTTP-Method-Override");
    return "POST".equals(m) && override != null && !override.isBlank() ? override.trim().toUpperCase(Locale.ROOT) : m;
  }

  /** The decoded path segments after {@code mount} (a literal path prefix), empty segments dropped. */
  static List<String> segments(Context ctx, String mount) {
    String path = ctx.path();
    String rest = path.startsWith(mount) ? path.substring(mount.length()) : path;
    List<String> out = new ArrayList<>();
    for (String s : rest.split("/")) {
      if (!s.isEmpty()) {
        // a path keeps '+' literal; URLDecoder would turn it into a space
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The body as text, inflated when {@code Content-Encoding: gzip} (Google's client compresses by default). */
  static String body(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    String encoding = ctx.header("Content-Encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip") && bytes.length > 0) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("bad gzip body", e);
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A form body ({@code application/x-www-form-urlencoded}) as its first values. */
  static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  static void send(Context ctx, Reply r) {
    r.headers().forEach(ctx::header);
    ctx.status(r.status());
    if (r.body() == null) {
      ctx.result("");
    } else {
      ctx.contentType("application/json; charset=utf-8").result(Json.write(r.body()));
    }
  }
}
