package dev.tandem.leave.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tandem.core.web.HealthCheck;
import dev.tandem.core.web.Readiness;
import dev.tandem.leave.LeaveConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The admin's HTML pages. Every change is a POST carrying the CSRF token, answered with a redirect (so reloading repeats nothing). */
final class AdminPages extends AdminHandlers {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  AdminPages(AdminParts parts) {
    super(parts);
  }

  void register(RoutesConfig r) {
    r.get("/admin", this::dashboard);
    r.get("/admin/health", ctx -> ctx.html(healthPanel().html()));
    r.get("/admin/people", this::people);
    r.post("/admin/people/import", this::importPeople);
    r.get("/admin/people/{id}", this::person);
    r.post("/admin/people/{id}", this::updatePerson);
    r.get("/admin/records", this::records);
    r.get("/admin/records.csv", ctx -> AdminApi.csv(ctx, store, filter(ctx)));
    r.post("/admin/records/{id}/retry", ctx -> act(ctx, () -> store.retry(ctx.pathParam("id"), who(ctx)), "Retrying the failed steps of "));
    r.post("/admin/records/{id}/cancel", ctx -> act(ctx, () -> store.cancel(ctx.pathParam("id"), who(ctx)), "Cancelled "));
    r.get("/admin/records/{id}/delete", this::confirmDelete);
    r.post("/admin/records/{id}/delete", ctx -> {
      AdminStore.Record rec = store.delete(ctx.pathParam("id"), who(ctx));
      AdminWeb.flash(ctx, store.gone(rec.id()) ? "Deleted the leave of " + rec.personName() + " on " + rec.day() + "."
          : "Deleting the leave of " + rec.personName() + " on " + rec.day() + ": its calendar event and Harvest entry are being removed;"
              + " it leaves the list once they are.");
      ctx.redirect(back(ctx), HttpStatus.SEE_OTHER);
    });
    r.get("/admin/settings", ctx -> ctx.html(settingsPage(ctx, null).html()));
    r.post("/admin/settings", this::saveSettings);
    r.get("/admin/audit", this::auditPage);
    r.get("/admin/tokens", ctx -> ctx.html(tokensPage(ctx, null).html()));
    r.post("/admin/tokens", ctx -> {
      ctx.html(tokensPage(ctx, AdminApi.createToken(auth, audit, ctx.formParam("name"), who(ctx)).secret()).html());
    });
    r.get("/admin/admins", ctx -> ctx.html(adminsPage(ctx, null, null).html()));
    r.post("/admin/admins", this::createAdmin);
    r.post("/admin/admins/{id}/disable", ctx -> setActive(ctx, false));
    r.post("/admin/admins/{id}/enable", ctx -> setActive(ctx, true));
    r.post("/admin/admins/{id}/reset", this::resetAdmin);
    r.post("/admin/tokens/{id}/revoke", ctx -> {
      AdminAuth.Token t = auth.token(ctx.pathParam("id")).orElseThrow(() -> AdminException.notFound("no API token " + ctx.pathParam("id")));
      if (auth.revoke(t.id(), who(ctx))) {
        audit.record(who(ctx), "token.revoke", t.name(), "prefix " + t.prefix());
      }
      AdminWeb.flash(ctx, "Revoked the token '" + t.name() + "'.");
      ctx.redirect("/admin/tokens", HttpStatus.SEE_OTHER);
    });
  }

  // ---- dashboard

  private void dashboard(Context ctx) {
    ZoneId zone = config.current().defaultZone();
    LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
    LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    LocalDate sunday = monday.plusDays(6);
    AdminStore.Stats s = store.stats(null, null);
    List<AdminStore.Record> todayOff = store.away(today, today);
    List<AdminStore.Record> week = store.away(monday, sunday);
    Html cards = Html.of("""
        <div class="cards">
          <div class="card"><div class="n">{}</div><div class="l">active people (of {})</div></div>
          <div class="card"><div class="n">{}</div><div class="l">days recorded</div></div>
          <div class="card"><div class="n">{}</div><div class="l">days being recorded</div></div>
          <div class="card"><div class="n">{}</div><div class="l"><a href="/admin/records?status=failed">days with a failed step</a></div></div>
          <div class="card"><div class="n">{}</div><div class="l">requests awaiting their poster</div></div>
        </div>""", s.activePeople(), s.people(), s.byStatus().get("completed"), s.byStatus().get("confirmed"), s.failedRecords(), s.pendingRequests());
    ctx.html(Layout.page(ctx, "Dashboard", Html.of("""
        {}<h2>Health</h2>{}
        <h2>Off today ({})</h2>{}
        <h2>Off this week ({} to {})</h2>{}
        <h2>Recent changes</h2>{}""", cards, healthPanel(), today, awayList(todayOff), monday, sunday, awayList(week),
        recordTable(store.recent(10), null, ""))).html());
  }

  private Html healthPanel() {
    Readiness.Report report = health.get();
    Map<String, HealthCheck.Status> shown = new LinkedHashMap<>();
    report.checks().forEach((name, status) -> {
      if (name.equals("database") || name.startsWith("slack.") || name.startsWith("leave.")) {
        shown.put(name, status);
      }
    });
    return Html.of("""
        <div id="health" hx-get="/admin/health" hx-trigger="every 30s" hx-swap="outerHTML">
        <table><caption>Checked {} ({})</caption><thead><tr><th scope="col">Part</th><th scope="col">State</th><th scope="col">Detail</th></tr></thead><tbody>{}</tbody></table></div>""",
        WHEN.format(Instant.ofEpochMilli(clock.millis()).atZone(config.current().defaultZone())), report.ready() ? "ready" : "not ready",
        Html.each(shown.entrySet(), e -> {
          String state = e.getValue().state().name().toLowerCase(java.util.Locale.ROOT);
          return Html.of("<tr><td>{}</td><td><span class=\"badge {}\">{}</span></td><td>{}</td></tr>", label(e.getKey()), state,
              state.replace('_', ' '), e.getValue().detail());
        }));
  }

  private static String label(String check) {
    return switch (check) {
      case "database" -> "Database";
      case "slack.leave" -> "Slack (Leave app)";
      case "slack.sync" -> "Slack (Sync app)";
      case "leave.calendar" -> "Google Calendar";
      case "leave.harvest" -> "Harvest";
      case "leave.channels" -> "Leave channels";
      default -> check;
    };
  }

  private static Html awayList(List<AdminStore.Record> records) {
    if (records.isEmpty()) {
      return Html.of("<p>No one.</p>");
    }
    return Html.of("<ul>{}</ul>", Html.each(records, r -> Html.of("<li>{}: <a href=\"/admin/people/{}\">{}</a>, {} ({})</li>", r.day(),
        r.personId(), r.personName(), type(r.type()), r.category())));
  }

  // ---- people

  private void people(Context ctx) {
    String q = Optional.ofNullable(ctx.queryParam("q")).orElse("");
    String active = Optional.ofNullable(ctx.queryParam("active")).orElse("");
    Boolean activeFilter = switch (active) {
      case "yes" -> true;
      case "no" -> false;
      default -> null;
    };
    Page<AdminStore.Person> page = store.people(q, activeFilter, AdminApi.page(ctx), AdminApi.size(ctx));
    Map<String, String> workspaces = people.workspaceNames();
    Html rows = Html.each(page.items(), p -> Html.of("""
        <tr><td><a href="/admin/people/{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><span class="badge {}">{}</span></td></tr>""",
        p.id(), p.name(), p.email() == null ? "—" : p.email(), slackUsers(p, workspaces), p.timeZone(),
        p.harvestUserId() == null ? "—" : p.harvestUserId(), p.active() ? "active" : "inactive", p.active() ? "active" : "inactive"));
    ctx.html(Layout.page(ctx, "People", Html.of("""
        <form class="inline" method="post" action="/admin/people/import" hx-confirm="Import the members of the leave channels?">
          <input type="hidden" name="_csrf" value="{}">
          <button type="submit">Import from the leave channels</button>
          <span class="hint">adds their members, updates names and time zones, maps Harvest users by email</span>
        </form>
        <form class="filters" method="get" action="/admin/people" role="search">
          <label for="q">Name or email<input id="q" name="q" type="search" value="{}"></label>
          <label for="active">Status<select id="active" name="active">{}</select></label>
          <button type="submit">Search</button>
        </form>
        <div id="results"><table><caption>{} people</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Slack users</th><th scope="col">Time zone</th>
        <th scope="col">Harvest user</th><th scope="col">Status</th></tr></thead><tbody>{}</tbody></table>{}</div>""",
        csrf(ctx), q, options(active, Map.of("", "any", "yes", "active", "no", "inactive"), List.of("", "yes", "no")), page.total(), rows,
        pager(ctx, "/admin/people", page))).html());
  }

  /** A person's Slack users as "Acme (U0ALICE)". */
  private static String slackUsers(AdminStore.Person p, Map<String, String> workspaces) {
    return String.join(", ", p.slackUsers().stream().map(u -> {
      int slash = u.indexOf('/');
      return workspaces.getOrDefault(u.substring(0, slash), u.substring(0, slash)) + " (" + u.substring(slash + 1) + ")";
    }).toList());
  }

  private void importPeople(Context ctx) {
    PeopleImport.Summary s = people.run(who(ctx));
    AdminWeb.flash(ctx, "Import: " + s.describe() + (s.harvestUnmatched().isEmpty() ? "" : ". No Harvest user for: "
        + String.join(", ", s.harvestUnmatched())));
    ctx.redirect("/admin/people", HttpStatus.SEE_OTHER);
  }

  private void person(Context ctx) {
    AdminStore.Person p = store.person(ctx.pathParam("id"));
    ctx.html(Layout.page(ctx, p.name(), Html.of("""
        <p>{} · Slack: {}</p>
        <form class="stack" method="post" action="/admin/people/{}">
          <input type="hidden" name="_csrf" value="{}">
          <label for="harvest">Harvest user id <span class="hint">empty: none (found by email at the next recording or import)</span>
            <input id="harvest" name="harvest_user_id" inputmode="numeric" pattern="[0-9]*" value="{}"></label>
          <label for="tz">Time zone <span class="hint">IANA name, e.g. Europe/Berlin</span><input id="tz" name="time_zone" value="{}" required></label>
          <label class="check" for="active"><input id="active" name="active" type="checkbox" value="true"{}> Active (inactive people are told their leave is not recorded)</label>
          <button type="submit">Save</button>
        </form>
        <p><a href="/admin/records?person={}">Leave of {}</a></p>""", p.email() == null ? "no email" : p.email(),
        slackUsers(p, people.workspaceNames()),
        p.id(), csrf(ctx), p.harvestUserId() == null ? "" : p.harvestUserId(), p.timeZone(), Html.when(p.active(), Html.of(" checked")), p.id(),
        p.name())).html());
  }

  private void updatePerson(Context ctx) {
    String harvest = Optional.ofNullable(ctx.formParam("harvest_user_id")).orElse("").strip();
    Optional<Long> harvestId;
    try {
      harvestId = harvest.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(harvest));
    } catch (NumberFormatException e) {
      throw AdminException.invalid("a Harvest user id is a number, not '" + harvest + "'");
    }
    AdminStore.Person p = store.updatePerson(ctx.pathParam("id"), Optional.of(harvestId), Optional.ofNullable(ctx.formParam("time_zone")),
        Optional.of("true".equals(ctx.formParam("active"))), who(ctx));
    AdminWeb.flash(ctx, "Saved " + p.name() + ".");
    ctx.redirect("/admin/people/" + p.id(), HttpStatus.SEE_OTHER);
  }

  // ---- records

  private static AdminStore.Filter filter(Context ctx) {
    return AdminStore.Filter.of(ctx.queryParam("person"), ctx.queryParam("status"), ctx.queryParam("category"), ctx.queryParam("from"),
        ctx.queryParam("to"));
  }

  private void records(Context ctx) {
    AdminStore.Filter f = filter(ctx);
    Page<AdminStore.Record> page = store.records(f, AdminApi.page(ctx), AdminApi.size(ctx));
    List<AdminStore.Person> everyone = store.people(null, null, 1, Page.MAX_SIZE).items();
    Map<String, String> personNames = new LinkedHashMap<>();
    personNames.put("", "anyone");
    everyone.forEach(p -> personNames.put(p.id(), p.name()));
    String query = ctx.queryString() == null ? "" : ctx.queryString();
    ctx.html(Layout.page(ctx, "Leave records", Html.of("""
        <form class="filters" method="get" action="/admin/records" role="search" hx-trigger="change, submit" hx-get="/admin/records"
              hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true">
          <label for="person">Person<select id="person" name="person">{}</select></label>
          <label for="status">Status<select id="status" name="status">{}</select></label>
          <label for="category">Category<select id="category" name="category">{}</select></label>
          <label for="from">From<input id="from" name="from" type="date" value="{}"></label>
          <label for="to">To<input id="to" name="to" type="date" value="{}"></label>
          <button type="submit">Filter</button>
        </form>
        <div id="results"><p><a href="/admin/records.csv?{}" hx-boost="false" download>Download these as CSV</a></p>
        {}{}</div>""",
        options(Optional.ofNullable(f.personId()).orElse(""), personNames, List.copyOf(personNames.keySet())),
        options(Optional.ofNullable(f.status()).orElse(""), Map.of("", "any", "confirmed", "being recorded", "completed", "recorded", "failed",
            "failed", "cancelled", "cancelled"), List.of("", "confirmed", "completed", "failed", "cancelled")),
        options(Optional.ofNullable(f.category()).orElse(""), Map.of("", "any", "vacation", "vacation", "sick", "sick"), List.of("", "vacation", "sick")),
        f.from() == null ? "" : f.from(), f.to() == null ? "" : f.to(), query, recordTable(page.items(), csrf(ctx), back(ctx)),
        pager(ctx, "/admin/records", page))).html());
  }

  /** The records as a table; with a CSRF token, each row has its actions. */
  private Html recordTable(List<AdminStore.Record> records, String csrf, String back) {
    boolean actions = csrf != null;
    if (records.isEmpty()) {
      return Html.of("<p>No leave records match.</p>");
    }
    return Html.of("""
        <table><thead><tr><th scope="col">Day</th><th scope="col">Person</th><th scope="col">Leave</th><th scope="col">Status</th>
        <th scope="col">Calendar</th><th scope="col">Harvest</th>{}</tr></thead><tbody>{}</tbody></table>""",
        Html.when(actions, Html.of("<th scope=\"col\">Actions</th>")), Html.each(records, r -> Html.of("""
            <tr><td>{}</td><td><a href="/admin/people/{}">{}</a></td><td>{}, {}</td><td><span class="badge {}">{}</span></td>
            <td>{}</td><td>{}</td>{}</tr>""", r.day(), r.personId(), r.personName(), type(r.type()), r.category(), r.status(),
            r.deleting() ? "being deleted" : r.status(),
            step(r.calendarStatus(), r.calendarError()), step(r.harvestStatus(), r.harvestError()), Html.when(actions, actions(r, back, csrf)))));
  }

  private Html actions(AdminStore.Record r, String back, String csrf) {
    Html retry = Html.when(r.failed(), Html.of("""
        <form class="inline" method="post" action="/admin/records/{}/retry"><input type="hidden" name="_csrf" value="{}">
        <input type="hidden" name="back" value="{}"><button type="submit" aria-label="Retry {} {}">Retry</button></form>""", r.id(), csrf, back,
        r.personName(), r.day()));
    Html cancel = Html.when(!"cancelled".equals(r.status()) && !r.deleting(), Html.of("""
        <form class="inline" method="post" action="/admin/records/{}/cancel" hx-confirm="Cancel the leave of {} on {}?">
        <input type="hidden" name="_csrf" value="{}"><input type="hidden" name="back" value="{}">
        <button class="secondary" type="submit" aria-label="Cancel {} {}">Cancel</button></form>""", r.id(), r.personName(), r.day(), csrf, back,
        r.personName(), r.day()));
    Html delete = Html.when(!r.deleting(), Html.of("<a href=\"/admin/records/{}/delete?back={}\" aria-label=\"Delete {} {}\">Delete…</a>",
        r.id(), back, r.personName(), r.day()));
    return Html.of("<td>{}{}{}</td>", retry, cancel, delete);
  }

  private void confirmDelete(Context ctx) {
    AdminStore.Record r = store.record(ctx.pathParam("id"));
    ctx.html(Layout.page(ctx, "Delete a leave record", Html.of("""
        <p>Delete the leave of <strong>{}</strong> on <strong>{}</strong> ({}, {}, {})?</p>
        <p>{}</p>
        <form method="post" action="/admin/records/{}/delete"><input type="hidden" name="_csrf" value="{}">
        <input type="hidden" name="back" value="{}">
        <button class="danger" type="submit">Delete</button> <a href="{}">Keep it</a></form>""", r.personName(), r.day(), type(r.type()),
        r.category(), r.status(), "cancelled".equals(r.status()) ? "It is cancelled already; it disappears from the lists."
            : "Its calendar event and Harvest entry are removed first; then it disappears from the lists.",
        r.id(), csrf(ctx), back(ctx), back(ctx))).html());
  }

  private void act(Context ctx, Supplier<AdminStore.Record> action, String done) {
    AdminStore.Record r = action.get();
    AdminWeb.flash(ctx, done + r.personName() + " on " + r.day() + ".");
    ctx.redirect(back(ctx), HttpStatus.SEE_OTHER);
  }

  /** Where to return after an action: the list the admin came from (a path of the admin only). */
  private static String back(Context ctx) {
    String b = Optional.ofNullable(ctx.formParam("back")).orElse(ctx.queryParam("back"));
    if (b == null && ctx.path().equals("/admin/records")) {
      b = "/admin/records" + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    }
    return AdminWeb.next(b == null ? "/admin/records" : b);
  }

  private static Html step(String status, String error) {
    if (status == null) {
      return Html.of("—");
    }
    return Html.of("<span class=\"badge {}\">{}</span>{}", status, status, Html.when(error != null, Html.of("<br><span class=\"hint\">{}</span>",
        error == null ? "" : error)));
  }

  private static String type(String type) {
    return switch (type) {
      case "half_am" -> "morning";
      case "half_pm" -> "afternoon";
      default -> "full day";
    };
  }

  // ---- settings

  private Html settingsPage(Context ctx, String error) {
    Map<String, JsonNode> v = config.values();
    List<String> keywords = words(v.get(LeaveConfig.KEYWORDS));
    return Layout.page(ctx, "Settings", Html.of("""
        <p>Stored in the database and used by the bot within seconds, without a restart.</p>{}
        <form class="stack" method="post" action="/admin/settings">
          <input type="hidden" name="_csrf" value="{}">
          <label for="keywords">Trigger keywords <span class="hint">one per line; whole words, any case; only messages with one are read</span>
            <textarea id="keywords" name="trigger_keywords" rows="8">{}</textarea></label>
          <label for="channels">Leave channels <span class="hint">comma-separated: channel ids (like C0123ABCD), or names
            (#leave: that channel in every workspace where the Leave app is installed)</span>
            <input id="channels" name="leave_channels" value="{}" aria-describedby="channel-names"></label>
          <p class="hint" id="channel-names">{}</p>
          <label for="morning">Morning half day <span class="hint">calendar window, like 11:00-15:00</span><input id="morning" name="morning" value="{}" required></label>
          <label for="afternoon">Afternoon half day<input id="afternoon" name="afternoon" value="{}" required></label>
          <label for="full">Hours of a full day (Harvest)<input id="full" name="full_hours" inputmode="decimal" value="{}" required></label>
          <label for="half">Hours of a half day<input id="half" name="half_hours" inputmode="decimal" value="{}" required></label>
          <label for="expiry">Confirmations expire after (minutes)<input id="expiry" name="expiry_minutes" type="number" min="1" max="10080" value="{}" required></label>
          <label for="zone">Default time zone <span class="hint">for people whose Slack profile has none</span><input id="zone" name="default_time_zone" value="{}" required></label>
          <label class="check" for="auto"><input id="auto" name="auto_register" type="checkbox" value="true"{}> Register unknown posters from their Slack profile</label>
          <label class="check" for="span"><input id="span" name="span_weekends" type="checkbox" value="true"{}> A run of full days continues over a weekend in the calendar</label>
          <button type="submit">Save settings</button>
        </form>""", Html.when(error != null, Html.of("<p class=\"flash error\" role=\"alert\">{}</p>", error)), csrf(ctx),
        String.join("\n", keywords), String.join(", ", words(v.get(LeaveConfig.CHANNELS))), channelNames(words(v.get(LeaveConfig.CHANNELS))),
        v.get(LeaveConfig.HALF_DAY_WINDOWS).path("morning").asText(), v.get(LeaveConfig.HALF_DAY_WINDOWS).path("afternoon").asText(),
        number(v.get(LeaveConfig.HOURS).path("full")), number(v.get(LeaveConfig.HOURS).path("half")), v.get(LeaveConfig.EXPIRY_MINUTES).asText(),
        v.get(LeaveConfig.DEFAULT_TIME_ZONE).asText(), Html.when(v.get(LeaveConfig.AUTO_REGISTER).asBoolean(), Html.of(" checked")),
        Html.when(v.get(LeaveConfig.SPAN_WEEKENDS).asBoolean(), Html.of(" checked"))));
  }

  /** "C0ACMELVE is #leave (Acme)" for each id, or why a channel is not seen. */
  private String channelNames(List<String> ids) {
    if (channels.known().isEmpty()) {
      return "";
    }
    return String.join("; ", ids.stream().map(id -> id + channels.describe(id).map(d -> " is " + d)
        .orElse(": not seen by the Leave app (not installed there, or a private channel without it)")).toList());
  }

  private void saveSettings(Context ctx) {
    var f = JsonNodeFactory.instance;
    Map<String, JsonNode> values = new LinkedHashMap<>();
    try {
      values.put(LeaveConfig.KEYWORDS, array(split(ctx.formParam("trigger_keywords"), "[\\n,]")));
      values.put(LeaveConfig.CHANNELS, array(split(ctx.formParam("leave_channels"), "[\\s,]")));
      values.put(LeaveConfig.HALF_DAY_WINDOWS, f.objectNode().put("morning", field(ctx, "morning")).put("afternoon", field(ctx, "afternoon")));
      values.put(LeaveConfig.HOURS, f.objectNode().put("full", decimal(ctx, "full_hours")).put("half", decimal(ctx, "half_hours")));
      values.put(LeaveConfig.EXPIRY_MINUTES, f.numberNode(whole(ctx, "expiry_minutes")));
      values.put(LeaveConfig.DEFAULT_TIME_ZONE, f.textNode(field(ctx, "default_time_zone")));
      values.put(LeaveConfig.AUTO_REGISTER, f.booleanNode("true".equals(ctx.formParam("auto_register"))));
      values.put(LeaveConfig.SPAN_WEEKENDS, f.booleanNode("true".equals(ctx.formParam("span_weekends"))));
      AdminApi.saveSettings(config, audit, channels, values, who(ctx));
    } catch (AdminException e) {
      ctx.status(e.status()).html(settingsPage(ctx, e.getMessage()).html());
      return;
    }
    AdminWeb.flash(ctx, "Settings saved; the bot uses them within seconds.");
    ctx.redirect("/admin/settings", HttpStatus.SEE_OTHER);
  }

  private static String field(Context ctx, String name) {
    return Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
  }

  private static double decimal(Context ctx, String name) {
    try {
      return Double.parseDouble(field(ctx, name));
    } catch (NumberFormatException e) {
      throw AdminException.invalid(name.replace('_', ' ') + " must be a number, not '" + field(ctx, name) + "'");
    }
  }

  private static int whole(Context ctx, String name) {
    try {
      return Integer.parseInt(field(ctx, name));
    } catch (NumberFormatException e) {
      throw AdminException.invalid(name.replace('_', ' ') + " must be a whole number, not '" + field(ctx, name) + "'");
    }
  }

  private static List<String> split(String raw, String separators) {
    return raw == null ? List.of() : Arrays.stream(raw.split(separators)).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
  }

  private static JsonNode array(List<String> values) {
    var a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }

  private static List<String> words(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String number(JsonNode n) {
    double d = n.asDouble();
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  // ---- audit and tokens

  private void auditPage(Context ctx) {
    Page<AuditLog.Entry> page = audit.page(AdminApi.page(ctx), AdminApi.size(ctx));
    ZoneId zone = config.current().defaultZone();
    ctx.html(Layout.page(ctx, "Audit log", Html.of("""
        <table><caption>What admins did, newest first (times in {})</caption><thead><tr><th scope="col">When</th><th scope="col">Who</th>
        <th scope="col">What</th><th scope="col">To</th><th scope="col">Detail</th></tr></thead><tbody>{}</tbody></table>{}""", zone,
        Html.each(page.items(), e -> Html.of("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            WHEN.format(Instant.ofEpochMilli(e.at()).atZone(zone)), e.actor(), e.action(), e.target() == null ? "" : e.target(),
            e.detail() == null ? "" : e.detail())), pager(ctx, "/admin/audit", page))).html());
  }

  private Html tokensPage(Context ctx, String created) {
    ZoneId zone = config.current().defaultZone();
    String csrf = csrf(ctx);
    Html rows = Html.each(auth.tokens(), t -> Html.of("<tr><td>{}</td><td><code>{}…</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        t.name(), t.prefix(), t.createdBy(), WHEN.format(Instant.ofEpochMilli(t.createdAt()).atZone(zone)),
        t.lastUsedAt() == null ? "never" : WHEN.format(Instant.ofEpochMilli(t.lastUsedAt()).atZone(zone)),
        t.revokedAt() != null ? Html.of("revoked {}", WHEN.format(Instant.ofEpochMilli(t.revokedAt()).atZone(zone))) : Html.of("""
            <form class="inline" method="post" action="/admin/tokens/{}/revoke" hx-confirm="Revoke the token '{}'? Scripts using it stop working.">
            <input type="hidden" name="_csrf" value="{}"><button class="danger" type="submit" aria-label="Revoke {}">Revoke</button></form>""",
            t.id(), t.name(), csrf, t.name())));
    return Layout.page(ctx, "API tokens", Html.of("""
        {}<p>Scripts call the JSON API (see docs/API.md) with <code>Authorization: Bearer &lt;token&gt;</code>.</p>
        <form class="filters" method="post" action="/admin/tokens"><input type="hidden" name="_csrf" value="{}">
          <label for="name">Name <span class="hint">what uses it</span><input id="name" name="name" required maxlength="200"></label>
          <button type="submit">Create a token</button></form>
        <table><thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Created by</th><th scope="col">Created</th>
        <th scope="col">Last used</th><th scope="col">State</th></tr></thead><tbody>{}</tbody></table>""",
        Html.when(created != null, Html.of("<div class=\"flash\" role=\"status\"><p>Your new token (copy it now: it is not shown again):</p>"
            + "<p class=\"secret\" id=\"new-token\">{}</p></div>", created == null ? "" : created)), csrf(ctx), rows));
  }

  // ---- local admin accounts

  private Html adminsPage(Context ctx, String createdEmail, String oneTimePassword) {
    ZoneId zone = config.current().defaultZone();
    String csrf = csrf(ctx);
    String me = who(ctx);
    Html rows = Html.each(accounts.list(), a -> Html.of("""
        <tr><td>{}</td><td>{}</td><td><span class="badge {}">{}</span>{}</td><td>{}</td><td>{}</td></tr>""", a.email(), a.name(),
        a.active() ? "active" : "inactive", a.active() ? "active" : "disabled",
        Html.when(a.mustChangePassword(), Html.of(" <span class=\"hint\">one-time password</span>")),
        a.lastLoginAt() == null ? "never" : WHEN.format(Instant.ofEpochMilli(a.lastLoginAt()).atZone(zone)),
        a.email().equals(me) ? Html.of("<span class=\"hint\">you</span>") : Html.of("""
            <form class="inline" method="post" action="/admin/admins/{}/{}"><input type="hidden" name="_csrf" value="{}">
            <button class="{}" type="submit" aria-label="{} {}">{}</button></form>
            <form class="inline" method="post" action="/admin/admins/{}/reset" hx-confirm="Give {} a new one-time password? Their sessions end.">
            <input type="hidden" name="_csrf" value="{}"><button class="secondary" type="submit" aria-label="Reset the password of {}">Reset password</button></form>""",
            a.id(), a.active() ? "disable" : "enable", csrf, a.active() ? "danger" : "secondary", a.active() ? "Disable" : "Enable", a.email(),
            a.active() ? "Disable" : "Enable", a.id(), a.email(), csrf, a.email())));
    return Layout.page(ctx, "Admins", Html.of("""
        {}<p>Local accounts sign in with a password{}. Disabling one ends its sessions.{}</p>
        <form class="filters" method="post" action="/admin/admins"><input type="hidden" name="_csrf" value="{}">
          <label for="new-email">Email<input id="new-email" name="email" type="email" required></label>
          <label for="new-name">Name<input id="new-name" name="name" maxlength="200"></label>
          <button type="submit">Create an account</button></form>
        <table><thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">State</th><th scope="col">Last sign-in</th>
        <th scope="col">Actions</th></tr></thead><tbody>{}</tbody></table>""",
        Html.when(oneTimePassword != null, Html.of("<div class=\"flash\" role=\"status\"><p>One-time password for {} (give it to them now: it"
            + " is not shown again; they choose their own at first sign-in):</p><p class=\"secret\" id=\"one-time-password\">{}</p></div>",
            createdEmail, oneTimePassword == null ? "" : oneTimePassword)),
        Html.when(googleSignIn, Html.of("; people of the allowed Google domains sign in with Google and need no account here")),
        Html.when("password".equals(AdminWeb.admin(ctx).method()), Html.of(" <a href=\"/admin/password\">Change your own password</a>.")), csrf,
        rows));
  }

  private void createAdmin(Context ctx) {
    String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
    String name = Optional.ofNullable(ctx.formParam("name")).map(String::strip).filter(n -> !n.isEmpty()).orElse(email);
    String password = dev.tandem.leave.admin.Passwords.generate();
    try {
      var created = accounts.create(email, name, password);
      accounts.resetPassword(created.email(), password, true);
      audit.record(who(ctx), "admin.create", created.email(), "with a one-time password");
      ctx.html(adminsPage(ctx, created.email(), password).html());
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid(e.getMessage());
    }
  }

  private void setActive(Context ctx, boolean active) {
    var account = accounts.byId(ctx.pathParam("id")).orElseThrow(() -> AdminException.notFound("no admin account " + ctx.pathParam("id")));
    if (account.email().equals(who(ctx))) {
      throw AdminException.conflict("you cannot disable your own account");
    }
    if (!active && !googleSignIn && accounts.list().stream().filter(a -> a.active() && !a.id().equals(account.id())).findAny().isEmpty()) {
      throw AdminException.conflict("this is the last active account, and there is no Google sign-in: no one could sign in");
    }
    if (accounts.setActive(account.id(), active)) {
      if (!active) {
        auth.endAll(account.email());
      }
      audit.record(who(ctx), active ? "admin.enable" : "admin.disable", account.email(), active ? null : "sessions ended");
    }
    AdminWeb.flash(ctx, (active ? "Enabled " : "Disabled ") + account.email() + ".");
    ctx.redirect("/admin/admins", HttpStatus.SEE_OTHER);
  }

  private void resetAdmin(Context ctx) {
    var account = accounts.byId(ctx.pathParam("id")).orElseThrow(() -> AdminException.notFound("no admin account " + ctx.pathParam("id")));
    if (account.email().equals(who(ctx))) {
      throw AdminException.conflict("change your own password on the password page");
    }
    String password = dev.tandem.leave.admin.Passwords.generate();
    accounts.resetPassword(account.email(), password, true);
    auth.endAll(account.email());
    audit.record(who(ctx), "admin.reset_password", account.email(), "one-time password; sessions ended");
    ctx.html(adminsPage(ctx, account.email(), password).html());
  }

  // ---- helpers

  private static String who(Context ctx) {
    return AdminWeb.admin(ctx).email();
  }

  private static String csrf(Context ctx) {
    return AdminWeb.admin(ctx).csrfToken().orElse("");
  }

  private static Html options(String selected, Map<String, String> labels, List<String> order) {
    return Html.each(order, k -> Html.of("<option value=\"{}\"{}>{}</option>", k, Html.when(k.equals(selected), Html.of(" selected")),
        labels.get(k)));
  }

  private static Html pager(Context ctx, String path, Page<?> page) {
    if (page.pages() <= 1) {
      return Html.EMPTY;
    }
    Map<String, List<String>> query = new LinkedHashMap<>(ctx.queryParamMap());
    java.util.function.IntFunction<String> link = n -> {
      query.put("page", List.of(String.valueOf(n)));
      StringBuilder q = new StringBuilder();
      query.forEach((k, vs) -> vs.forEach(v -> q.append(q.isEmpty() ? "?" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
      return path + q;
    };
    return Html.of("<nav class=\"pager\" aria-label=\"Pages\">{}<span>page {} of {}</span>{}</nav>",
        Html.when(page.page() > 1, Html.of("<a href=\"{}\" rel=\"prev\">Previous</a>", link.apply(page.page() - 1))), page.page(), page.pages(),
        Html.when(page.hasNext(), Html.of("<a href=\"{}\" rel=\"next\">Next</a>", link.apply(page.page() + 1))));
  }
}
