package dev.tandem.sandbox;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The browser UI at {@code <prefix>}: one HTML page, one script and one stylesheet from the jar. No inline
 * script or style, so it runs under Tandem's {@code default-src 'self'} Content-Security-Policy, which the
 * standalone server sends too ({@link #CSP}).
 */
final class Ui {
  static final String CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
  private static final Map<String, String> ASSETS = Map.of("app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8");

  private final String prefix;
  private final String page;
  private final Map<String, byte[]> assets;

  Ui(String prefix) {
    this.prefix = prefix;
    // the prefix is the host's configuration, not user text; the page needs absolute asset paths because
    // it is served both as <prefix> and <prefix>/
    this.page = new String(read("index.html"), StandardCharsets.UTF_8).replace("{{prefix}}", prefix);
    this.assets = Map.of("app.js", read("app.js"), "app.css", read("app.css"));
  }

  void routes(RoutesConfig r) {
    r.get(prefix.isEmpty() ? "/" : prefix, this::page);
    r.get(prefix + "/ui/{asset}", this::asset);
  }

  private void page(Context ctx) {
    ctx.header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff")
        .contentType("text/html; charset=utf-8").result(page);
  }

  private void asset(Context ctx) {
    String name = ctx.pathParam("asset");
    byte[] body = assets.get(name);
    if (body == null) {
      ctx.status(404).result("not found");
      return;
    }
    ctx.header("Cache-Control", "no-cache").header("X-Content-Type-Options", "nosniff")
        .contentType(ASSETS.get(name)).result(body);
  }

  private static byte[] read(String name) {
    try (InputStream in = Ui.class.getResourceAsStream("ui/" + name)) {
      if (in == null) throw new IllegalStateException("missing resource ui/" + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
