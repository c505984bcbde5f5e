package dev.tandem.leave.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tandem.core.web.Readiness;
import dev.tandem.leave.LeaveConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The admin's JSON API (docs/API.md): the same operations as the pages. Lists are paged
 * ({@code page}, {@code page_size} up to 200) as {@code {"items", "page", "page_size", "total", "next_page"}};
 * errors are {@code {"error": {"code", "message"}}} with 400, 401, 403, 404 or 409 (and the server's 413 and 500).
 */
final class AdminApi extends AdminHandlers {
  static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  /** Compares JSON numbers by value (8 and 8.0 are the same number of hours). */
  private static final java.util.Comparator<JsonNode> SAME_NUMBERS = (a, b) -> a.isNumber() && b.isNumber()
      ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1;
  private static final Set<String> PERSON_FIELDS = Set.of("harvest_user_id", "time_zone", "active");
  AdminApi(AdminParts parts) {
    super(parts);
  }

  void register(RoutesConfig r) {
    r.get("/api/health", ctx -> {
      Readiness.Report report = health.get();
      Map<String, Object> checks = new LinkedHashMap<>();
      report.checks().forEach((name, s) -> checks.put(name, Map.of("status", s.state().name().toLowerCase(Locale.ROOT),
          "detail", s.detail() == null ? "" : s.detail())));
      json(ctx, 200, Map.of("status", report.ready() ? "ready" : "not_ready", "checks", checks));
    });
    r.get("/api/leave/stats", ctx -> {
      AdminStore.Filter range = AdminStore.Filter.of(null, null, null, ctx.queryParam("from"), ctx.queryParam("to"));
      json(ctx, 200, store.stats(range.from(), range.to()));
    });
    r.get("/api/leave/people", ctx -> {
      String active = ctx.queryParam("active");
      Boolean a = active == null || active.isBlank() ? null : switch (active) {
        case "true" -> true;
        case "false" -> false;
        default -> throw AdminException.invalid("active must be true or false, not '" + active + "'");
      };
      json(ctx, 200, page(store.people(ctx.queryParam("q"), a, page(ctx), size(ctx))));
    });
    r.get("/api/leave/people/{id}", ctx -> json(ctx, 200, store.person(ctx.pathParam("id"))));
    r.patch("/api/leave/people/{id}", this::updatePerson);
    r.post("/api/leave/people/import", ctx -> json(ctx, 200, people.run(who(ctx))));
    r.get("/api/leave/records", ctx -> json(ctx, 200, page(store.records(filter(ctx), page(ctx), size(ctx)))));
    r.get("/api/leave/records.csv", ctx -> csv(ctx, store, filter(ctx)));
    r.get("/api/leave/records/{id}", ctx -> json(ctx, 200, store.record(ctx.pathParam("id"))));
    r.post("/api/leave/records/{id}/retry", ctx -> json(ctx, 200, store.retry(ctx.pathParam("id"), who(ctx))));
    r.post("/api/leave/records/{id}/cancel", ctx -> json(ctx, 200, store.cancel(ctx.pathParam("id"), who(ctx))));
    r.delete("/api/leave/records/{id}", ctx -> {
      AdminStore.Record deleted = store.delete(ctx.pathParam("id"), who(ctx));
      if (store.gone(deleted.id())) {
        ctx.status(204);
      } else {
        json(ctx, 202, deleted);
      }
    });
    r.get("/api/leave/settings", ctx -> json(ctx, 200, config.values()));
    r.patch("/api/leave/settings", ctx -> {
      JsonNode body = body(ctx);
      if (!body.isObject() || body.isEmpty()) {
        throw AdminException.invalid("send an object of settings to change, e.g. {\"trigger_keywords\": [\"leave\", \"ooo\"]}");
      }
      Map<String, JsonNode> values = new LinkedHashMap<>();
      body.properties().forEach(e -> values.put(e.getKey(), e.getValue()));
      saveSettings(config, audit, channels, values, who(ctx));
      json(ctx, 200, config.values());
    });
    r.get("/api/audit", ctx -> json(ctx, 200, page(audit.page(page(ctx), size(ctx)))));
    r.get("/api/tokens", ctx -> json(ctx, 200, Map.of("items", auth.tokens())));
    r.post("/api/tokens", ctx -> {
      signedInAdmin(ctx);
      String name = body(ctx).path("name").asText("");
      AdminAuth.NewToken created = createToken(auth, audit, name, who(ctx));
      json(ctx, 201, Map.of("id", created.id(), "name", created.name(), "token", created.secret(), "note", "the token is shown only now"));
    });
    r.delete("/api/tokens/{id}", ctx -> {
      signedInAdmin(ctx);
      AdminAuth.Token t = auth.token(ctx.pathParam("id")).orElseThrow(() -> AdminException.notFound("no API token " + ctx.pathParam("id")));
      if (!auth.revoke(t.id(), who(ctx))) {
        throw AdminException.conflict("the token '" + t.name() + "' is revoked already");
      }
      audit.record(who(ctx), "token.revoke", t.name(), "prefix " + t.prefix());
      ctx.status(204);
    });
  }

  private void updatePerson(Context ctx) {
    JsonNode body = body(ctx);
    if (!body.isObject()) {
      throw AdminException.invalid("send an object with any of " + PERSON_FIELDS);
    }
    body.fieldNames().forEachRemaining(f -> {
      if (!PERSON_FIELDS.contains(f)) {
        throw AdminException.invalid("'" + f + "' cannot be changed here; the fields are " + PERSON_FIELDS);
      }
    });
    Optional<Optional<Long>> harvest = Optional.empty();
    if (body.has("harvest_user_id")) {
      JsonNode h = body.get("harvest_user_id");
      if (!h.isNull() && !(h.isIntegralNumber() && h.canConvertToLong())) {
        throw AdminException.invalid("harvest_user_id must be a number or null, not " + h);
      }
      harvest = Optional.of(h.isNull() ? Optional.empty() : Optional.of(h.asLong()));
    }
    Optional<String> zone = Optional.empty();
    if (body.has("time_zone")) {
      if (!body.get("time_zone").isTextual()) {
        throw AdminException.invalid("time_zone must be a string such as \"Europe/Berlin\"");
      }
      zone = Optional.of(body.get("time_zone").asText());
    }
    Optional<Boolean> active = Optional.empty();
    if (body.has("active")) {
      if (!body.get("active").isBoolean()) {
        throw AdminException.invalid("active must be true or false");
      }
      active = Optional.of(body.get("active").asBoolean());
    }
    json(ctx, 200, store.updatePerson(ctx.pathParam("id"), harvest, zone, active, who(ctx)));
  }

  /** Creates a token (audited); 400 for a name that will not do. */
  static AdminAuth.NewToken createToken(AdminAuth auth, AuditLog audit, String name, String by) {
    try {
      AdminAuth.NewToken created = auth.createToken(name, by);
      audit.record(by, "token.create", created.name(), "prefix " + created.secret().substring(0, 10));
      return created;
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid(e.getMessage());
    }
  }

  /** Validates and stores settings together (channel names become their ids), auditing what changed. */
  static void saveSettings(LeaveConfig config, AuditLog audit, ChannelNames channels, Map<String, JsonNode> values, String by) {
    if (values.containsKey(LeaveConfig.CHANNELS)) {
      values = new LinkedHashMap<>(values);
      values.put(LeaveConfig.CHANNELS, channels.resolve(values.get(LeaveConfig.CHANNELS)));
    }
    Map<String, JsonNode> before = config.values();
    Map<String, JsonNode> changed = new LinkedHashMap<>();
    values.forEach((k, given) -> {
      JsonNode v = given;
      if (v.isObject() && before.containsKey(k) && before.get(k).isObject()) {
        // a partial object changes only the parts it names: {"half": 3} keeps the full day's hours
        v = before.get(k).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) v).setAll((com.fasterxml.jackson.databind.node.ObjectNode) given);
      }
      if (!before.containsKey(k) || !v.equals(SAME_NUMBERS, before.get(k))) {
        changed.put(k, v);
      }
    });
    if (changed.isEmpty()) {
      return;
    }
    try {
      config.setAll(changed, by);
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid(e.getMessage());
    }
    changed.forEach((k, v) -> audit.record(by, "settings.change", k, before.get(k) + " -> " + v));
  }

  /** The records as CSV (spreadsheet formulas neutralised). */
  static void csv(Context ctx, AdminStore store, AdminStore.Filter filter) {
    ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"leave-records.csv\"");
    try (Writer out = new java.io.OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      out.write("id,person,day,type,category,status,calendar_status,calendar_error,harvest_status,harvest_error\r\n");
      store.eachRecord(filter, r -> {
        try {
          out.write(String.join(",", List.of(cell(r.id()), cell(r.personName()), cell(r.day()), cell(r.type()), cell(r.category()),
              cell(r.status()), cell(r.calendarStatus()), cell(r.calendarError()), cell(r.harvestStatus()), cell(r.harvestError()))) + "\r\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A quoted CSV field (RFC 4180); a value a spreadsheet would run as a formula gets a leading apostrophe. */
  private static String cell(String v) {
    if (v == null || v.isEmpty()) {
      return "";
    }
    String s = "=+-@\t\r".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static AdminStore.Filter filter(Context ctx) {
    return AdminStore.Filter.of(ctx.queryParam("person"), ctx.queryParam("status"), ctx.queryParam("category"), ctx.queryParam("from"),
        ctx.queryParam("to"));
  }

  static int page(Context ctx) {
    return number(ctx.queryParam("page"), "page", 1, 1, Integer.MAX_VALUE / Page.MAX_SIZE);
  }

  static int size(Context ctx) {
    return number(ctx.queryParam("page_size"), "page_size", 50, 1, Page.MAX_SIZE);
  }

  private static int number(String raw, String name, int otherwise, int min, int max) {
    if (raw == null || raw.isBlank()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(raw.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw AdminException.invalid(name + " must be a whole number from " + min + " to " + max + ", not '" + raw + "'");
  }

  private static Map<String, Object> page(Page<?> p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", p.items());
    out.put("page", p.page());
    out.put("page_size", p.pageSize());
    out.put("total", p.total());
    out.put("next_page", p.hasNext() ? p.page() + 1 : null);
    return out;
  }

  private static JsonNode body(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      throw AdminException.invalid("the request needs a JSON body");
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AdminException(400, "invalid_json", "the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static void json(Context ctx, int status, Object value) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tokens are made and revoked by people signed in, not by other tokens (a leaked token cannot mint itself successors). */
  private static void signedInAdmin(Context ctx) {
    if (AdminWeb.admin(ctx).isToken()) {
      throw new AdminException(403, "forbidden", "API tokens are created and revoked by a signed-in admin, not with a token");
    }
  }

  private static String who(Context ctx) {
    return AdminWeb.admin(ctx).email();
  }
}
