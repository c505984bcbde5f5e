package dev.tandem.leave.web;

import dev.tandem.core.web.WebServer;
import dev.tandem.leave.admin.AdminAccounts;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web admin's front door: every {@code /admin} page and {@code /api} route (except
 * {@code /api/federation/*}, which signs its own requests) passes {@link #guard} first. Pages
 * without a session are sent to sign-in; the API answers 401. A state-changing request of a
 * session must carry its CSRF token (form field {@code _csrf} or header {@code X-CSRF-Token});
 * API tokens carry nothing ambient and need none. Also here: sign-in with a password or Google,
 * sign-out, the password change, and the static assets.
 */
public final class AdminWeb {
  private static final Logger log = LoggerFactory.getLogger(AdminWeb.class);
  static final String ADMIN = "tandem.admin";
  static final String SESSION_COOKIE = "tandem_session";
  static final String SECURE_SESSION_COOKIE = "__Host-tandem_session";
  private static final String SIGNIN_CSRF_COOKIE = "tandem_signin";
  private static final String OIDC_COOKIE = "tandem_oidc";
  private static final String FLASH_COOKIE = "tandem_flash";
  private static final String CALLBACK = "/admin/sign-in/google/callback";
  private static final Set<String> PUBLIC = Set.of("/admin/sign-in", "/admin/sign-in/google", CALLBACK, "/admin/assets/admin.css",
      "/admin/assets/htmx.min.js");
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final AdminAuth auth;
  private final AdminAccounts accounts;
  private final AuditLog audit;
  private final AdminSettings settings;
  private final String publicUrl;
  private final Optional<GoogleSignIn> google;
  private final SignInLimiter limiter;
  private final MeterRegistry metrics;
  private final byte[] css;
  private final byte[] htmx;

  public AdminWeb(AdminAuth auth, AdminAccounts accounts, AuditLog audit, AdminSettings settings, String publicUrl, Clock clock,
      MeterRegistry metrics) {
    this.auth = auth;
    this.accounts = accounts;
    this.audit = audit;
    this.settings = settings;
    this.publicUrl = publicUrl.replaceAll("/+$", "");
    this.google = settings.google().map(g -> new GoogleSignIn(g, clock));
    this.limiter = new SignInLimiter(clock, Duration.ofMinutes(15), 5, 20);
    this.metrics = metrics;
    this.css = resource("/admin/admin.css");
    this.htmx = resource("/META-INF/resources/webjars/htmx.org/" + htmxVersion() + "/dist/htmx.min.js");
  }

  /**
   * First run: with no local account and no Google sign-in, creates one with a one-time password
   * and prints it once (it must be changed at first sign-in).
   */
  public void firstRun() {
    if (google.isPresent()) {
      return;
    }
    accounts.createFirst(settings.firstAdminEmail()).ifPresent(password -> {
      String banner = "\n==================================================================\n"
          + " Tandem web admin: first run. Sign in at " + publicUrl + "/admin with\n"
          + "   email:    " + settings.firstAdminEmail() + "\n"
          + "   password: " + password + "\n"
          + " This one-time password is shown only now; you choose your own at\n"
          + " first sign-in. (Or create accounts with 'tandem admin create'.)\n"
          + "==================================================================\n";
      System.out.println(banner);
      System.out.flush();
      log.warn("web admin: created the first admin account {} with a one-time password, printed on standard output once",
          settings.firstAdminEmail());
      audit.record("tandem", "admin.first_run", settings.firstAdminEmail(), "one-time password printed on standard output");
    });
  }

  public void register(RoutesConfig routes) {
    routes.before("/admin", this::guard);
    routes.before("/admin/*", this::guard);
    routes.before("/api/*", this::guard);
    routes.exception(AdminException.class, (e, ctx) -> {
      if (ctx.path().startsWith("/api/")) {
        WebServer.error(ctx, e.status(), e.code(), e.getMessage());
      } else {
        ctx.status(e.status()).html(Layout.message(ctx, e.status() == 404 ? "Not found" : "Not done", e.getMessage()).html());
      }
    });
    routes.get("/", ctx -> ctx.redirect("/admin", HttpStatus.SEE_OTHER));
    routes.get("/admin/assets/admin.css", ctx -> asset(ctx, css, "text/css; charset=utf-8"));
    routes.get("/admin/assets/htmx.min.js", ctx -> asset(ctx, htmx, "text/javascript; charset=utf-8"));
    routes.get("/admin/sign-in", this::signInPage);
    routes.post("/admin/sign-in", this::signIn);
    routes.get("/admin/sign-in/google", this::googleStart);
    routes.get(CALLBACK, this::googleCallback);
    routes.post("/admin/sign-out", this::signOut);
    routes.get("/admin/password", ctx -> ctx.html(passwordPage(ctx, null).html()));
    routes.post("/admin/password", this::changePassword);
  }

  /** The pages and the JSON API (behind {@link #register}'s guard). */
  public static void registerPages(RoutesConfig routes, AdminParts parts) {
    new AdminPages(parts).register(routes);
    new AdminApi(parts).register(routes);
  }

  // ---- the guard

  private void guard(Context ctx) {
    String path = ctx.path();
    if (PUBLIC.contains(path) || path.startsWith("/api/federation/")) {
      return;
    }
    boolean api = path.startsWith("/api/");
    Optional<AdminAuth.Principal> who;
    String authorization = ctx.header("Authorization");
    if (api && authorization != null) {
      who = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.byToken(authorization.substring(7).strip()) : Optional.empty();
      if (who.isEmpty()) {
        refused("token");
        ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        throw new AdminException(401, "invalid_token", "the API token is unknown or revoked");
      }
    } else {
      who = auth.bySession(sessionCookie(ctx));
    }
    if (who.isEmpty()) {
      if (api) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new AdminException(401, "unauthorized", "sign in to the admin, or send Authorization: Bearer <API token>");
      }
      String next = "GET".equals(ctx.method().name()) ? path + (ctx.queryString() == null ? "" : "?" + ctx.queryString()) : "/admin";
      ctx.redirect("/admin/sign-in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
      return;
    }
    AdminAuth.Principal p = who.get();
    if (!SAFE_METHODS.contains(ctx.method().name()) && !p.isToken()) {
      String sent = Optional.ofNullable(ctx.header("X-CSRF-Token")).orElseGet(() -> formField(ctx, "_csrf"));
      if (!AdminAuth.same(sent, p.csrfToken().orElse(null))) {
        refused("csrf");
        log.warn("web admin: {} {} by {} refused: missing or wrong CSRF token", ctx.method(), path, p.email());
        throw new AdminException(403, "csrf", "this request did not carry the page's CSRF token; reload the page and try again");
      }
    }
    if (p.mustChangePassword() && !path.equals("/admin/password") && !path.equals("/admin/sign-out")) {
      if (api) {
        throw new AdminException(403, "password_change_required", "choose your own password in the admin first");
      }
      ctx.redirect("/admin/password", HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute(ADMIN, p);
  }

  /** The signed-in admin (the guard let the request through). */
  static AdminAuth.Principal admin(Context ctx) {
    AdminAuth.Principal p = ctx.attribute(ADMIN);
    if (p == null) {
      throw new AdminException(401, "unauthorized", "not signed in");
    }
    return p;
  }

  private static String formField(Context ctx, String name) {
    String type = ctx.contentType();
    if (type == null || !(type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"))) {
      return null;
    }
    return ctx.formParam(name);
  }

  private void refused(String reason) {
    Counter.builder("tandem.admin.refused").description("Admin requests refused, by reason").tag("reason", reason).register(metrics).increment();
  }

  private void signedIn(String method, String outcome) {
    Counter.builder("tandem.admin.sign_in").description("Sign-in attempts to the web admin, by method and outcome").tag("method", method)
        .tag("outcome", outcome).register(metrics).increment();
  }

  // ---- password sign-in

  private void signInPage(Context ctx) {
    if (auth.bySession(sessionCookie(ctx)).isPresent()) {
      ctx.redirect(next(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
      return;
    }
    ctx.html(signInForm(ctx, null, ctx.queryParam("next")).html());
  }

  private Html signInForm(Context ctx, String error, String next) {
    String token = Optional.ofNullable(ctx.cookie(SIGNIN_CSRF_COOKIE)).filter(t -> t.length() == 43).orElseGet(AdminAuth::randomSecret);
    cookie(ctx, SIGNIN_CSRF_COOKIE, token, 3600, "Strict", "/admin/sign-in");
    Html googleButton = Html.when(google.isPresent(), Html.of("<p><a class=\"button\" href=\"/admin/sign-in/google?next={}\">Sign in with Google</a></p>"
        + "<p class=\"hint\">or with a local admin account:</p>", next(next)));
    return Layout.bare("Sign in", Html.of("""
        <div class="signin"><h1>Tandem Leave admin</h1>{}{}
        <form class="stack" method="post" action="/admin/sign-in">
          <input type="hidden" name="_csrf" value="{}"><input type="hidden" name="next" value="{}">
          <label for="email">Email<input id="email" name="email" type="email" autocomplete="username" required></label>
          <label for="password">Password<input id="password" name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit">Sign in</button>
        </form></div>""", Html.when(error != null, Html.of("<p class=\"flash error\" role=\"alert\">{}</p>", error)), googleButton, token,
        next(next)));
  }

  private void signIn(Context ctx) {
    String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip().toLowerCase(java.util.Locale.ROOT);
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
    String next = ctx.formParam("next");
    if (!AdminAuth.same(ctx.formParam("_csrf"), ctx.cookie(SIGNIN_CSRF_COOKIE))) {
      refused("csrf");
      ctx.status(403).html(signInForm(ctx, "The sign-in form had expired. Please try again.", next).html());
      return;
    }
    Optional<Duration> wait = limiter.wait(ctx.ip(), email);
    if (wait.isPresent()) {
      signedIn("password", "rate_limited");
      long seconds = Math.max(1, wait.get().toSeconds());
      ctx.header("Retry-After", String.valueOf(seconds));
      ctx.status(429).html(signInForm(ctx, "Too many failed sign-ins. Try again in " + (seconds + 59) / 60 + " minute(s).", next).html());
      return;
    }
    Optional<AdminAccounts.Admin> admin = email.isEmpty() || password.isEmpty() ? Optional.empty() : accounts.signIn(email, password);
    if (admin.isEmpty()) {
      limiter.failed(ctx.ip(), email);
      signedIn("password", "refused");
      log.warn("web admin: failed sign-in for {} from {}", email, ctx.ip());
      ctx.status(401).html(signInForm(ctx, "That email and password do not match an admin account.", next).html());
      return;
    }
    limiter.succeeded(ctx.ip(), email);
    signedIn("password", "ok");
    startSession(ctx, admin.get().email(), admin.get().name(), "password");
    ctx.redirect(next(next), HttpStatus.SEE_OTHER);
  }

  private void startSession(Context ctx, String email, String name, String method) {
    auth.end(sessionCookie(ctx));
    AdminAuth.NewSession s = auth.startSession(email, name, method);
    boolean https = WebServer.isHttps(ctx);
    cookie(ctx, https ? SECURE_SESSION_COOKIE : SESSION_COOKIE, s.secret(), (int) settings.sessionLifetime().toSeconds(), "Lax", "/");
    audit.record(email, "sign_in", null, "with " + method + " from " + ctx.ip());
    log.info("web admin: {} signed in with {}", email, method);
  }

  private void signOut(Context ctx) {
    AdminAuth.Principal p = admin(ctx);
    auth.end(sessionCookie(ctx));
    cookie(ctx, WebServer.isHttps(ctx) ? SECURE_SESSION_COOKIE : SESSION_COOKIE, "", 0, "Lax", "/");
    audit.record(p.email(), "sign_out", null, null);
    ctx.redirect("/admin/sign-in", HttpStatus.SEE_OTHER);
  }

  private Html passwordPage(Context ctx, String error) {
    AdminAuth.Principal p = admin(ctx);
    if (!"password".equals(p.method())) {
      throw new AdminException(409, "conflict", "you signed in with Google: your password is managed by Google");
    }
    return Layout.page(ctx, "Choose your password", Html.of("""
        {}{}<form class="stack" method="post" action="/admin/password">
          <input type="hidden" name="_csrf" value="{}">
          <input type="text" name="email" value="{}" autocomplete="username" hidden>
          <label for="current">Current password<input id="current" name="current" type="password" autocomplete="current-password" required></label>
          <label for="new">New password <span class="hint">at least 12 characters</span>
            <input id="new" name="new" type="password" autocomplete="new-password" minlength="12" required></label>
          <label for="again">New password again<input id="again" name="again" type="password" autocomplete="new-password" minlength="12" required></label>
          <button type="submit">Change password</button>
        </form>""", Html.when(p.mustChangePassword(), Html.of("<p class=\"flash\">You signed in with a one-time password. Choose your own to go on.</p>")),
        Html.when(error != null, Html.of("<p class=\"flash error\" role=\"alert\">{}</p>", error)), p.csrfToken().orElse(""), p.email()));
  }

  private void changePassword(Context ctx) {
    AdminAuth.Principal p = admin(ctx);
    String current = Optional.ofNullable(ctx.formParam("current")).orElse("");
    String next = Optional.ofNullable(ctx.formParam("new")).orElse("");
    String error = null;
    if (!next.equals(ctx.formParam("again"))) {
      error = "The two new passwords differ.";
    } else if (next.length() < 12) {
      error = "A password needs at least 12 characters.";
    } else if (next.equals(current)) {
      error = "Choose a password other than the current one.";
    } else if (accounts.signIn(p.email(), current).isEmpty()) {
      error = "The current password is wrong.";
    }
    if (error != null) {
      ctx.status(400).html(passwordPage(ctx, error).html());
      return;
    }
    accounts.changePassword(p.email(), next);
    auth.endOthers(p.email(), sessionCookie(ctx));
    audit.record(p.email(), "password.change", p.email(), "other sessions ended");
    flash(ctx, "Your password is changed.");
    ctx.redirect("/admin", HttpStatus.SEE_OTHER);
  }

  // ---- Google sign-in

  private void googleStart(Context ctx) {
    if (google.isEmpty()) {
      throw AdminException.notFound("Google sign-in is not configured here (TANDEM_ADMIN_GOOGLE_CLIENT_ID)");
    }
    String state = AdminAuth.randomSecret();
    String nonce = AdminAuth.randomSecret();
    String verifier = AdminAuth.randomSecret();
    String next = GoogleSignIn.b64(next(ctx.queryParam("next")).getBytes(StandardCharsets.UTF_8));
    String url;
    try {
      url = google.get().authorizeUrl(publicUrl + CALLBACK, state, nonce, verifier);
    } catch (GoogleSignIn.Refused e) {
      signedIn("google", "unavailable");
      log.warn("web admin: Google sign-in cannot start: {}", e.getMessage());
      ctx.status(502).html(signInForm(ctx, "Google sign-in is not available right now: " + e.getMessage(), ctx.queryParam("next")).html());
      return;
    }
    cookie(ctx, OIDC_COOKIE, state + "." + nonce + "." + verifier + "." + next, 600, "Lax", "/admin/sign-in/google");
    ctx.redirect(url, HttpStatus.SEE_OTHER);
  }

  private void googleCallback(Context ctx) {
    if (google.isEmpty()) {
      throw AdminException.notFound("Google sign-in is not configured here (TANDEM_ADMIN_GOOGLE_CLIENT_ID)");
    }
    String[] saved = Optional.ofNullable(ctx.cookie(OIDC_COOKIE)).orElse("").split("\\.");
    cookie(ctx, OIDC_COOKIE, "", 0, "Lax", "/admin/sign-in/google");
    try {
      if (saved.length != 4 || !AdminAuth.same(saved[0], ctx.queryParam("state"))) {
        throw new GoogleSignIn.Refused("this sign-in was not started here, or took too long; please start again");
      }
      if (ctx.queryParam("error") != null) {
        throw new GoogleSignIn.Refused("Google answered " + ctx.queryParam("error"));
      }
      GoogleSignIn.Identity who = google.get().finish(Optional.ofNullable(ctx.queryParam("code")).orElse(""), publicUrl + CALLBACK, saved[1],
          saved[2]);
      signedIn("google", "ok");
      startSession(ctx, who.email(), who.name(), "google");
      ctx.redirect(next(new String(java.util.Base64.getUrlDecoder().decode(saved[3]), StandardCharsets.UTF_8)), HttpStatus.SEE_OTHER);
    } catch (GoogleSignIn.Refused | IllegalArgumentException e) {
      signedIn("google", "refused");
      log.warn("web admin: Google sign-in refused: {}", e.getMessage());
      ctx.status(403).html(signInForm(ctx, "Google sign-in failed: " + e.getMessage(), null).html());
    }
  }

  // ---- helpers

  static String sessionCookie(Context ctx) {
    return Optional.ofNullable(ctx.cookie(SECURE_SESSION_COOKIE)).orElse(ctx.cookie(SESSION_COOKIE));
  }

  /** A cookie only this server reads: HttpOnly, SameSite, Secure when the request came over HTTPS. */
  static void cookie(Context ctx, String name, String value, int maxAgeSeconds, String sameSite, String path) {
    ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=" + sameSite
        + (WebServer.isHttps(ctx) ? "; Secure" : ""));
  }

  /** A one-line message for the next page this browser sees (after a redirect). */
  static void flash(Context ctx, String message) {
    cookie(ctx, FLASH_COOKIE, URLEncoder.encode(message, StandardCharsets.UTF_8), 60, "Strict", "/admin");
  }

  /** The flash message, read once. */
  static Optional<String> takeFlash(Context ctx) {
    String v = ctx.cookie(FLASH_COOKIE);
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    cookie(ctx, FLASH_COOKIE, "", 0, "Strict", "/admin");
    return Optional.of(URLDecoder.decode(v, StandardCharsets.UTF_8));
  }

  /** Where to go after signing in: only a path of this admin (never another site). */
  static String next(String next) {
    return next != null && next.startsWith("/admin") && !next.startsWith("//") && !next.contains("\\") && !next.startsWith("/admin/sign-in")
        ? next : "/admin";
  }

  private static void asset(Context ctx, byte[] body, String type) {
    ctx.header("Cache-Control", "public, max-age=3600").contentType(type).result(body);
  }

  private static byte[] resource(String path) {
    try (InputStream in = AdminWeb.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  private static String htmxVersion() {
    Properties p = new Properties();
    try (InputStream in = AdminWeb.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("htmx (org.webjars.npm:htmx.org) is missing from the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p.getProperty("version");
  }
}
