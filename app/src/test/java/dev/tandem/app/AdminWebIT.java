package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.web.WebServer;
import dev.tandem.leave.LeaveConfig;
import dev.tandem.sandbox.FakeGoogleSignIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web admin and its API through real HTTP: authentication everywhere, CSRF, cookies, tokens,
 * sign-in limits, Google, and the operations (on PostgreSQL where they read and write the most).
 */
class AdminWebIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String EMAIL = "ops@acme.example";
  private static final String PASSWORD = "correct horse battery staple";
  @TempDir Path dir;
  private LeaveWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private AdminClient signedIn() throws Exception {
    world.wiring.leave.admins().create(EMAIL, "Ops", PASSWORD);
    AdminClient c = new AdminClient(world.baseUrl());
    HttpResponse<String> r = c.signIn(EMAIL, PASSWORD);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    return c;
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  void everyRouteAnswers401OrSendsToSignInWithoutCredentials() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    List<WebServer.Route> routes = world.wiring.routes();
    assertThat(routes).as("the enumeration sees the admin's routes").contains(new WebServer.Route("GET", "/admin/records"),
        new WebServer.Route("DELETE", "/api/leave/records/{id}"), new WebServer.Route("PATCH", "/api/leave/settings"),
        new WebServer.Route("POST", "/admin/settings"));
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    List<String> checked = new ArrayList<>();
    for (WebServer.Route route : routes) {
      String path = route.path().replaceAll("\\{[^}]+}|<[^>]+>", "x");
      if (exempt(route.path())) {
        continue;
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(world.baseUrl() + path)).method(route.method(),
          HttpRequest.BodyPublishers.ofString("{}"));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (path.startsWith("/api/")) {
        assertThat(r.statusCode()).as(route + " without credentials").isEqualTo(401);
        assertThat(json(r).path("error").path("code").asText()).as(route.toString()).isEqualTo("unauthorized");
        assertThat(r.headers().firstValue("WWW-Authenticate")).as(route.toString()).hasValue("Bearer");
      } else {
        assertThat(path).as(route + " is neither exempt, a page nor the API").startsWith("/admin");
        assertThat(r.statusCode()).as(route + " without credentials").isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).as(route.toString()).startsWith("/admin/sign-in?next=");
      }
      checked.add(route.toString());
    }
    assertThat(checked).as("pages and API routes checked").hasSizeGreaterThan(30)
        .anyMatch(s -> s.contains("/api/")).anyMatch(s -> s.contains("/admin/"));
    HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(world.baseUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(root.headers().firstValue("Location")).as("the root leads to the admin").hasValue("/admin");
    // an unknown path under /api is refused before anyone learns whether it exists
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(world.baseUrl() + "/api/leave/nothing")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(401);
  }

  @Test
  void everyStateChangingRouteRefusesASessionWithoutItsCsrfTokenAndChangesNothing() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    AdminClient c = signedIn();
    world.wiring.leave.adminAuth().createToken("kept", EMAIL);
    List<String> tables = List.of("leave_setting", "leave_person", "leave_record", "leave_api_token", "leave_audit", "leave_admin_session",
        "leave_admin_user");
    Map<String, Long> before = new HashMap<>();
    tables.forEach(t -> before.put(t, world.count("SELECT COUNT(*) FROM " + t)));
    List<String> checked = new ArrayList<>();
    for (WebServer.Route route : world.wiring.routes()) {
      String path = route.path().replaceAll("\\{[^}]+}|<[^>]+>", "x");
      if (List.of("GET", "HEAD", "OPTIONS").contains(route.method()) || !(path.startsWith("/admin") || path.startsWith("/api/"))
          || path.startsWith("/api/federation/")) {
        continue;
      }
      HttpResponse<String> r = path.startsWith("/api/")
          ? c.json(route.method(), path, "{\"trigger_keywords\": [\"x\"], \"name\": \"t\"}")
          : c.post(path, Map.of("trigger_keywords", "x", "email", EMAIL, "password", PASSWORD, "name", "t"));
      assertThat(r.statusCode()).as(route + " without the CSRF token").isEqualTo(403);
      if (path.startsWith("/api/")) {
        assertThat(json(r).path("error").path("code").asText()).as(route.toString()).isEqualTo("csrf");
      }
      checked.add(route.method() + " " + route.path());
    }
    assertThat(checked).as("state-changing routes").hasSizeGreaterThan(15).contains("POST /admin/settings", "DELETE /api/leave/records/{id}",
        "PATCH /api/leave/settings", "POST /admin/sign-out", "POST /admin/sign-in");
    tables.forEach(t -> assertThat(world.count("SELECT COUNT(*) FROM " + t)).as(t).isEqualTo(before.get(t)));
    assertThat(c.get("/admin").statusCode()).as("still signed in: sign-out without the token did nothing").isEqualTo(200);
    assertThat(world.wiring.metrics.registry().find("tandem.admin.refused").tag("reason", "csrf").counter().count())
        .isGreaterThanOrEqualTo(checked.size());
  }

  @Test
  void adminsCreateDisableAndResetLocalAccountsAndADisabledAccountsSessionsEnd() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    AdminClient ops = signedIn();
    HttpResponse<String> created = ops.post("/admin/admins", Map.of("_csrf", ops.csrfOf("/admin/admins"), "email", "Bea@Acme.example",
        "name", "Bea"));
    Matcher m = Pattern.compile("id=\"one-time-password\">([^<]+)<").matcher(created.body());
    assertThat(m.find()).as(created.body()).isTrue();
    AdminClient bea = new AdminClient(world.baseUrl());
    assertThat(bea.signIn("bea@acme.example", m.group(1)).statusCode()).isEqualTo(303);
    assertThat(bea.get("/admin").headers().firstValue("Location")).as("a one-time password").hasValue("/admin/password");
    String beaCsrf = bea.csrfOf("/admin/password");
    String beas = "bea's own long password";
    assertThat(bea.post("/admin/password", Map.of("_csrf", beaCsrf, "current", m.group(1), "new", beas, "again", beas)).statusCode())
        .isEqualTo(303);
    assertThat(bea.get("/admin").statusCode()).isEqualTo(200);

    String id = world.wiring.leave.admins().list().stream().filter(a -> a.email().equals("bea@acme.example")).findFirst().orElseThrow().id();
    String own = world.wiring.leave.admins().list().stream().filter(a -> a.email().equals(EMAIL)).findFirst().orElseThrow().id();
    assertThat(ops.post("/admin/admins/" + own + "/disable", Map.of("_csrf", ops.csrfOf("/admin/admins"))).statusCode())
        .as("not yourself").isEqualTo(409);
    assertThat(ops.post("/admin/admins/" + id + "/disable", Map.of("_csrf", ops.csrfOf("/admin/admins"))).statusCode()).isEqualTo(303);
    assertThat(bea.get("/admin").statusCode()).as("bea's session ended").isEqualTo(303);
    assertThat(new AdminClient(world.baseUrl()).signIn("bea@acme.example", beas).statusCode()).as("and she cannot sign in").isEqualTo(401);

    assertThat(ops.post("/admin/admins/" + id + "/enable", Map.of("_csrf", ops.csrfOf("/admin/admins"))).statusCode()).isEqualTo(303);
    HttpResponse<String> reset = ops.post("/admin/admins/" + id + "/reset", Map.of("_csrf", ops.csrfOf("/admin/admins")));
    Matcher again = Pattern.compile("id=\"one-time-password\">([^<]+)<").matcher(reset.body());
    assertThat(again.find()).isTrue();
    assertThat(new AdminClient(world.baseUrl()).signIn("bea@acme.example", beas).statusCode()).as("the old password is gone").isEqualTo(401);
    assertThat(new AdminClient(world.baseUrl()).signIn("bea@acme.example", again.group(1)).statusCode()).isEqualTo(303);

    // the first-run account and ops: disabling all but ops is allowed, the last one is not
    world.wiring.leave.admins().list().stream().filter(a -> !a.id().equals(own)).forEach(a -> world.wiring.leave.admins().setActive(a.id(), false));
    assertThat(json(ops.get("/api/audit")).path("items").toString()).contains("admin.create", "admin.disable", "admin.enable",
        "admin.reset_password");
  }

  private static boolean exempt(String path) {
    return List.of("/healthz", "/readyz", "/metrics", "/", "/admin/sign-in", "/admin/sign-in/google", "/admin/sign-in/google/callback",
        "/admin/assets/admin.css", "/admin/assets/htmx.min.js").contains(path) || path.startsWith("/slack/") || path.startsWith("/sandbox/")
        || path.startsWith("/api/federation/");
  }

  @Test
  void sessionsAreHttpOnlySameSiteCookiesAndEveryChangeNeedsTheSessionsCsrfToken() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    world.wiring.leave.admins().create(EMAIL, "Ops", PASSWORD);
    AdminClient c = new AdminClient(world.baseUrl());
    c.get("/admin/sign-in");
    HttpResponse<String> signIn = c.post("/admin/sign-in", Map.of("_csrf", AdminClient.csrf(c.get("/admin/sign-in").body()), "email", EMAIL,
        "password", PASSWORD));
    String cookie = signIn.headers().allValues("Set-Cookie").stream().filter(s -> s.startsWith("tandem_session=")).findFirst().orElseThrow();
    assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");

    // behind a proxy that says HTTPS: the cookie is Secure and __Host- prefixed
    HttpClient raw = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> form = raw.send(HttpRequest.newBuilder(URI.create(world.baseUrl() + "/admin/sign-in"))
        .header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
    String signinCookie = form.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(signinCookie).contains("Secure", "HttpOnly", "SameSite=Strict");
    HttpResponse<String> secure = raw.send(HttpRequest.newBuilder(URI.create(world.baseUrl() + "/admin/sign-in"))
        .header("X-Forwarded-Proto", "https").header("Cookie", signinCookie.substring(0, signinCookie.indexOf(';')))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(AdminClient.form(Map.of("_csrf", AdminClient.csrf(form.body()), "email", EMAIL,
            "password", PASSWORD)))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(secure.statusCode()).isEqualTo(303);
    assertThat(secure.headers().allValues("Set-Cookie")).anySatisfy(s -> assertThat(s).startsWith("__Host-tandem_session=")
        .contains("Secure", "HttpOnly", "SameSite=Lax", "Path=/"));

    // a form post without the token (or with another session's) changes nothing
    LeaveConfig config = world.wiring.leave.config();
    List<String> before = config.current().keywords().words();
    Map<String, String> settings = new HashMap<>(Map.of("trigger_keywords", "sabbatical", "leave_channels", "C0ACMELVE, C0GLOBLVE",
        "morning", "11:00-15:00", "afternoon", "15:00-19:00", "full_hours", "8", "half_hours", "4", "expiry_minutes", "60",
        "default_time_zone", "UTC", "auto_register", "true"));
    HttpResponse<String> refused = c.post("/admin/settings", settings);
    assertThat(refused.statusCode()).isEqualTo(403);
    settings.put("_csrf", AdminClient.csrf(form.body()));
    assertThat(c.post("/admin/settings", settings).statusCode()).isEqualTo(403);
    HttpResponse<String> api = c.json("PATCH", "/api/leave/settings", "{\"trigger_keywords\": [\"sabbatical\"]}");
    assertThat(api.statusCode()).isEqualTo(403);
    assertThat(json(api).path("error").path("code").asText()).isEqualTo("csrf");
    assertThat(config.current().keywords().words()).isEqualTo(before);
    assertThat(world.count("SELECT COUNT(*) FROM leave_setting")).isZero();

    // with the session's token it goes through, and is audited
    String token = c.csrfOf("/admin/settings");
    settings.put("_csrf", token);
    HttpResponse<String> saved = c.post("/admin/settings", settings);
    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(config.current().keywords().words()).containsExactly("sabbatical");
    HttpResponse<String> viaApi = c.json("PATCH", "/api/leave/settings", "{\"expiry_minutes\": 30}", "X-CSRF-Token", token);
    assertThat(viaApi.statusCode()).as(viaApi.body()).isEqualTo(200);
    assertThat(json(viaApi).path("expiry_minutes").asInt()).isEqualTo(30);
    assertThat(c.get("/admin/audit").body()).contains("settings.change", "trigger_keywords", "expiry_minutes", EMAIL);
    assertThat(c.get("/admin/settings").body()).contains("C0ACMELVE is #leave (Acme)", "C0GLOBLVE is #leave (Globex)");

    // an invalid value is refused whole: nothing of the form is stored
    settings.put("trigger_keywords", "leave");
    settings.put("morning", "15:00-11:00");
    HttpResponse<String> invalid = c.post("/admin/settings", settings);
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body()).contains("is not a window");
    assertThat(config.current().keywords().words()).containsExactly("sabbatical");

    // signing out ends the session on the server
    assertThat(c.post("/admin/sign-out", Map.of("_csrf", token)).statusCode()).isEqualTo(303);
    assertThat(c.get("/admin").statusCode()).isEqualTo(303);
  }

  @Test
  void apiTokensWorkUntilRevokedAndTheApiAnswersWithPagesAndConsistentErrors() throws Exception {
    world = new LeaveWorld(dir, Dialect.POSTGRESQL, Map.of());
    AdminClient c = signedIn();
    HttpResponse<String> created = c.post("/admin/tokens", Map.of("_csrf", c.csrfOf("/admin/tokens"), "name", "backup script"));
    Matcher m = Pattern.compile("id=\"new-token\">(tdm_[A-Za-z0-9_-]+)<").matcher(created.body());
    assertThat(m.find()).as(created.body()).isTrue();
    String token = m.group(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_api_token WHERE token_hash = ?", token)).as("stored hashed").isZero();

    AdminClient script = new AdminClient(world.baseUrl());
    LocalDate monday = LeaveWorld.mondayAhead();
    world.announceAndConfirm("T0ACME", "U0ALICE", "off " + monday + " to " + monday.plusDays(2));
    JsonNode first = json(script.get("/api/leave/records?page_size=2", "Authorization", bearer(token)));
    assertThat(first.path("total").asInt()).isEqualTo(3);
    assertThat(first.path("items")).hasSize(2);
    assertThat(first.path("next_page").asInt()).isEqualTo(2);
    assertThat(first.path("items").get(0).path("person_name").asText()).isEqualTo("Alice Archer");
    JsonNode second = json(script.get("/api/leave/records?page_size=2&page=2", "Authorization", bearer(token)));
    assertThat(second.path("items")).hasSize(1);
    assertThat(second.path("next_page").isNull()).isTrue();
    String recordId = first.path("items").get(0).path("id").asText();
    String personId = first.path("items").get(0).path("person_id").asText();

    // a token needs no CSRF token (nothing ambient to forge)
    HttpResponse<String> patched = script.json("PATCH", "/api/leave/people/" + personId, "{\"harvest_user_id\": 7001, \"time_zone\": \"Europe/Berlin\"}",
        "Authorization", bearer(token));
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    assertThat(json(patched).path("harvest_user_id").asLong()).isEqualTo(7001);

    Map<String, Integer> expected = Map.of("page_size=0", 400, "status=lost", 400, "from=tomorrow", 400);
    for (var e : expected.entrySet()) {
      HttpResponse<String> r = script.get("/api/leave/records?" + e.getKey(), "Authorization", bearer(token));
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(json(r).path("error").path("code").asText()).isEqualTo("invalid");
      assertThat(json(r).path("error").path("message").asText()).isNotBlank();
    }
    assertError(script.get("/api/leave/records/nope", "Authorization", bearer(token)), 404, "not_found");
    assertError(script.json("POST", "/api/leave/records/" + recordId + "/retry", null, "Authorization", bearer(token)), 409, "conflict");
    assertError(script.json("PATCH", "/api/leave/people/" + personId, "{\"time_zone\": \"Mars/Olympus\"}", "Authorization", bearer(token)), 400,
        "invalid");
    assertError(script.json("PATCH", "/api/leave/people/" + personId, "{\"name\": \"x\"}", "Authorization", bearer(token)), 400, "invalid");
    assertError(script.json("PATCH", "/api/leave/settings", "{", "Authorization", bearer(token)), 400, "invalid_json");
    assertError(script.json("PATCH", "/api/leave/settings", "{\"trigger_keywords\": []}", "Authorization", bearer(token)), 400, "invalid");
    assertError(script.json("PATCH", "/api/leave/settings", "{\"hours_per_day\": {\"half\": 9}}", "Authorization", bearer(token)), 400,
        "invalid");
    assertError(script.json("PATCH", "/api/leave/settings", "{\"hours_per_day\": 8}", "Authorization", bearer(token)), 400, "invalid");
    assertError(script.json("PATCH", "/api/leave/settings", "{\"expiry_minutes\": 30.5}", "Authorization", bearer(token)), 400, "invalid");
    assertError(script.json("PATCH", "/api/leave/people/" + personId, "{\"harvest_user_id\": 7001.9}", "Authorization", bearer(token)), 400,
        "invalid");
    // channel names stand for that channel in every workspace of the Leave app
    HttpResponse<String> named = script.json("PATCH", "/api/leave/settings", "{\"leave_channels\": [\"#leave\"]}", "Authorization", bearer(token));
    assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
    assertThat(json(named).path("leave_channels").toString()).isEqualTo("[\"C0ACMELVE\",\"C0GLOBLVE\"]");
    HttpResponse<String> unknownName = script.json("PATCH", "/api/leave/settings", "{\"leave_channels\": [\"#nope\", \"C0ACMELVE\"]}",
        "Authorization", bearer(token));
    assertError(unknownName, 400, "invalid");
    assertThat(json(unknownName).path("error").path("message").asText()).contains("#nope");
    // a partial object changes only what it names; the same numbers written differently change nothing
    HttpResponse<String> half = script.json("PATCH", "/api/leave/settings", "{\"hours_per_day\": {\"half\": 3}}", "Authorization", bearer(token));
    assertThat(json(half).path("hours_per_day").toString()).isEqualTo("{\"full\":8.0,\"half\":3.0}");
    long audited = world.count("SELECT COUNT(*) FROM leave_audit WHERE action = 'settings.change'");
    script.json("PATCH", "/api/leave/settings", "{\"hours_per_day\": {\"full\": 8, \"half\": 3}}", "Authorization", bearer(token));
    assertThat(world.count("SELECT COUNT(*) FROM leave_audit WHERE action = 'settings.change'")).isEqualTo(audited);
    assertError(script.get("/api/leave/nothing", "Authorization", bearer(token)), 404, "not_found");
    assertError(script.get("/api/leave/people", "Authorization", "Bearer tdm_made-up"), 401, "invalid_token");
    assertError(script.json("POST", "/api/tokens", "{\"name\": \"successor\"}", "Authorization", bearer(token)), 403, "forbidden");

    // revoked in the UI: refused from then on
    String id = json(c.get("/api/tokens")).path("items").get(0).path("id").asText();
    assertThat(c.post("/admin/tokens/" + id + "/revoke", Map.of("_csrf", c.csrfOf("/admin/tokens"))).statusCode()).isEqualTo(303);
    assertError(script.get("/api/leave/people", "Authorization", bearer(token)), 401, "invalid_token");
    assertThat(json(c.get("/api/audit")).path("items").toString()).contains("token.create", "token.revoke", "person.update");
  }

  private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).path("error").path("code").asText()).as(r.body()).isEqualTo(code);
  }

  @Test
  void theFirstRunPrintsAOneTimePasswordThatMustBeChangedAndGuessingIsSlowedDown() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    } finally {
      System.setOut(original);
    }
    Matcher m = Pattern.compile("password: (\\S+)").matcher(captured.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).as("the one-time password is printed").isTrue();
    String oneTime = m.group(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_admin_user WHERE email = 'admin@tandem.local' AND must_change_password = 1")).isOne();

    AdminClient c = new AdminClient(world.baseUrl());
    for (int i = 0; i < 5; i++) {
      assertThat(c.signIn("admin@tandem.local", "not the password " + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> limited = c.signIn("admin@tandem.local", oneTime);
    assertThat(limited.statusCode()).as("the right password waits too").isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    world.clock.advance(Duration.ofMinutes(16));

    assertThat(c.signIn("admin@tandem.local", oneTime).statusCode()).isEqualTo(303);
    HttpResponse<String> dashboard = c.get("/admin");
    assertThat(dashboard.statusCode()).isEqualTo(303);
    assertThat(dashboard.headers().firstValue("Location")).hasValue("/admin/password");
    HttpResponse<String> api = c.get("/api/leave/people");
    assertThat(json(api).path("error").path("code").asText()).isEqualTo("password_change_required");
    String csrf = c.csrfOf("/admin/password");
    assertThat(c.post("/admin/password", Map.of("_csrf", csrf, "current", oneTime, "new", "short", "again", "short")).statusCode()).isEqualTo(400);
    String mine = "a long password of my own";
    assertThat(c.post("/admin/password", Map.of("_csrf", csrf, "current", oneTime, "new", mine, "again", mine)).statusCode()).isEqualTo(303);
    assertThat(c.get("/admin").statusCode()).isEqualTo(200);
    assertThat(new AdminClient(world.baseUrl()).signIn("admin@tandem.local", oneTime).statusCode()).as("the one-time password is spent")
        .isEqualTo(401);
  }

  @Test
  void googleSignInAdmitsOnlyVerifiedEmailsOfTheAllowedDomains() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of("TANDEM_ADMIN_GOOGLE_CLIENT_ID", FakeGoogleSignIn.CLIENT_ID,
        "TANDEM_ADMIN_GOOGLE_CLIENT_SECRET", FakeGoogleSignIn.CLIENT_SECRET, "TANDEM_ADMIN_GOOGLE_DOMAINS", "acme.example",
        "TANDEM_ADMIN_GOOGLE_ISSUER", "{google_issuer}"));
    assertThat(world.wiring.leave.admins().count()).as("no local account is made when Google signs people in").isZero();
    FakeGoogleSignIn google = world.slack.googleSignIn();
    google.addAccount("alice@acme.example", "Alice Archer", true);
    google.addAccount("eve@evil.example", "Eve", true);
    google.addAccount("mallory@acme.example", "Mallory", false);

    google.chooseAccount("eve@evil.example");
    HttpResponse<String> eve = googleSignIn(new AdminClient(world.baseUrl()));
    assertThat(eve.statusCode()).isEqualTo(403);
    assertThat(eve.body()).contains("may not sign in");
    google.chooseAccount("mallory@acme.example");
    assertThat(googleSignIn(new AdminClient(world.baseUrl())).body()).contains("did not confirm an email");

    google.chooseAccount("alice@acme.example");
    AdminClient alice = new AdminClient(world.baseUrl());
    HttpResponse<String> ok = googleSignIn(alice);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location")).hasValue("/admin/records");
    HttpResponse<String> page = alice.get("/admin/records");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Alice Archer");

    // a callback that this browser did not start is refused
    HttpResponse<String> forged = new AdminClient(world.baseUrl()).get("/admin/sign-in/google/callback?code=x&state=y");
    assertThat(forged.statusCode()).isEqualTo(403);
  }

  /** Follows the redirects of a Google sign-in (to the provider and back); returns the callback's answer. */
  private static HttpResponse<String> googleSignIn(AdminClient c) throws Exception {
    HttpResponse<String> start = c.get("/admin/sign-in/google?next=/admin/records");
    assertThat(start.statusCode()).as(start.body()).isEqualTo(303);
    HttpResponse<String> provider = c.get(start.headers().firstValue("Location").orElseThrow());
    assertThat(provider.statusCode()).as(provider.body()).isEqualTo(302);
    return c.get(provider.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void importRetryCancelAndDeleteThroughTheApiReachSlackCalendarAndHarvest() throws Exception {
    world = new LeaveWorld(dir, Dialect.POSTGRESQL, LeaveWorld.recording(), LeaveWorld::seedRecording);
    String token = world.wiring.leave.adminAuth().createToken("test", "test").secret();
    AdminClient api = new AdminClient(world.baseUrl());

    HttpResponse<String> imported = api.json("POST", "/api/leave/people/import", null, "Authorization", bearer(token));
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    JsonNode summary = json(imported);
    assertThat(summary.path("added").asInt()).as(imported.body()).isEqualTo(5); // alice, carol, davea, bob, dave (one person with davea)
    assertThat(summary.path("skipped").asInt()).as("the bots").isEqualTo(2);
    assertThat(summary.path("harvest_mapped").asInt()).isEqualTo(2);
    assertThat(summary.path("harvest_unmatched").toString()).contains("carol@acme.example", "bob@globex.example");
    JsonNode people = json(api.get("/api/leave/people?q=dave", "Authorization", bearer(token)));
    assertThat(people.path("total").asInt()).isEqualTo(1);
    assertThat(people.path("items").get(0).path("slack_users")).hasSize(2);
    assertThat(people.path("items").get(0).path("harvest_user_id").asLong()).isEqualTo(7002);
    assertThat(json(api.get("/api/leave/people?q=%25", "Authorization", bearer(token))).path("total").asInt()).as("% is no wildcard").isZero();
    JsonNode again = json(api.json("POST", "/api/leave/people/import", null, "Authorization", bearer(token)));
    assertThat(again.path("added").asInt()).isZero();
    assertThat(again.path("unchanged").asInt()).isEqualTo(5);

    LocalDate monday = LeaveWorld.mondayAhead();
    world.slack.calendar().fail("events.insert", 403, "forbidden", 1);
    world.announceAndConfirm("T0ACME", "U0ALICE", "off on " + monday);
    JsonNode failed = json(api.get("/api/leave/records?status=failed", "Authorization", bearer(token)));
    assertThat(failed.path("total").asInt()).isEqualTo(1);
    JsonNode record = failed.path("items").get(0);
    assertThat(record.path("calendar_status").asText()).isEqualTo("failed");
    assertThat(record.path("harvest_status").asText()).isEqualTo("done");
    String id = record.path("id").asText();

    assertThat(api.json("POST", "/api/leave/records/" + id + "/retry", null, "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> json(api.get("/api/leave/records/" + id, "Authorization", bearer(token))).path("status").asText()
        .equals("completed"));
    assertThat(activeEvents()).hasSize(1);
    assertThat(world.slack.harvest().timeEntries()).as("the retry redid only the calendar").hasSize(1);

    assertThat(api.json("POST", "/api/leave/records/" + id + "/cancel", null, "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> activeEvents().isEmpty() && world.slack.harvest().timeEntries().isEmpty());
    assertError(api.json("POST", "/api/leave/records/" + id + "/cancel", null, "Authorization", bearer(token)), 409, "conflict");

    world.announceAndConfirm("T0ACME", "U0ALICE", "off on " + monday.plusDays(1));
    String second = json(api.get("/api/leave/records?status=completed", "Authorization", bearer(token))).path("items").get(0).path("id").asText();
    assertThat(world.slack.harvest().timeEntries()).hasSize(1);
    // a deletion whose Harvest entry cannot be removed stays listed, with why, until a retry removes it
    world.slack.harvest().fail("time_entries.delete", 403, 1);
    HttpResponse<String> deleting = api.json("DELETE", "/api/leave/records/" + second, null, "Authorization", bearer(token));
    assertThat(deleting.statusCode()).as(deleting.body()).isEqualTo(202);
    assertThat(json(deleting).path("deleting").asBoolean()).isTrue();
    assertError(api.json("DELETE", "/api/leave/records/" + second, null, "Authorization", bearer(token)), 409, "conflict");
    await().atMost(WAIT).until(() -> "failed".equals(json(api.get("/api/leave/records/" + second, "Authorization", bearer(token)))
        .path("harvest_status").asText()));
    assertThat(json(api.get("/api/leave/records/" + second, "Authorization", bearer(token))).path("harvest_error").asText()).contains("403");
    assertThat(world.slack.harvest().timeEntries()).as("the entry is still there").hasSize(1);
    assertThat(api.json("POST", "/api/leave/records/" + second + "/retry", null, "Authorization", bearer(token)).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> api.get("/api/leave/records/" + second, "Authorization", bearer(token)).statusCode() == 404);
    assertThat(activeEvents()).isEmpty();
    assertThat(world.slack.harvest().timeEntries()).isEmpty();
    assertThat(json(api.get("/api/leave/records", "Authorization", bearer(token))).path("total").asInt()).as("deleted: not listed").isEqualTo(1);

    HttpResponse<String> csv = api.get("/api/leave/records.csv", "Authorization", bearer(token));
    assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(csv.body().lines().toList()).hasSize(2).first().asString().startsWith("id,person,day");
    assertThat(csv.body()).contains("\"" + id + "\",\"Alice Archer\",\"" + monday + "\",\"full\",\"vacation\",\"cancelled\"");
    JsonNode stats = json(api.get("/api/leave/stats", "Authorization", bearer(token)));
    assertThat(stats.path("by_status").path("cancelled").asInt()).isEqualTo(1);
    assertThat(stats.path("active_people").asInt()).isEqualTo(4);
    JsonNode health = json(api.get("/api/health", "Authorization", bearer(token)));
    assertThat(health.path("checks").path("leave.calendar").path("status").asText()).isEqualTo("up");
    assertThat(json(api.get("/api/audit", "Authorization", bearer(token))).path("items").toString())
        .contains("people.import", "record.retry", "record.cancel", "record.delete");
  }

  private List<Map<String, Object>> activeEvents() {
    return world.slack.calendar().events(LeaveWorld.CALENDAR).stream().filter(e -> !"cancelled".equals(e.get("status"))).toList();
  }
}
