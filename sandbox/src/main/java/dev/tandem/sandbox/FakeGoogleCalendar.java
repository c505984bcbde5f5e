package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import dev.tandem.sandbox.FakeHttp.ErrorReply;
import dev.tandem.sandbox.FakeHttp.Reply;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful Google Calendar API v3 for the real Google client library, which is pointed at it with
 * {@code Calendar.Builder.setRootUrl(slack.googleRootUrl())} and authenticated with the service-account key
 * from {@code slack.googleServiceAccountKeyJson()} (see {@link GoogleServiceAccount}). Requests arrive at
 * {@code <prefix>/google/calendar/v3/...}; shapes follow the reference
 * (https://developers.google.com/calendar/api/v3/reference/events) and errors the errors guide
 * (https://developers.google.com/calendar/api/guides/errors): {@code {"error":{"code","message","errors":[{"message",
 * "domain","reason"}],"status"}}}.
 *
 * <p>What Leave relies on is reproduced as Google does it: caller-chosen event ids (base32hex, 5–1024
 * characters); a deleted event is kept with {@code status: cancelled}, still answered by {@code events.get}
 * ("the get method always returns them"), listed only with {@code showDeleted}, its id still taken (insert
 * answers 409 {@code duplicate}) and a second delete answers 410 {@code deleted}; all-day end dates are
 * exclusive; private and shared extended property filters; service accounts may not invite attendees.
 *
 * <p>Faults are scripted per API method ({@link #fail}, {@link #failAfterProcessing}); every request is recorded
 * ({@link #requests()}). Timestamps ({@code created}, {@code updated}) come from the sandbox clock. One lock
 * guards the state. Known differences are listed in docs/SANDBOX.md.
 */
public final class FakeGoogleCalendar {
  private static final Logger log = LoggerFactory.getLogger(FakeGoogleCalendar.class);
  /** The API methods faults can be scripted for, named as in Google's reference. */
  public static final List<String> METHODS = List.of("calendarList.list", "calendars.get", "events.insert", "events.get",
      "events.patch", "events.update", "events.delete", "events.list");
  /** How many requests are kept for inspection (the newest). */
  static final int REQUEST_CAPACITY = 1000;
  private static final String SCOPE = "https://www.googleapis.com/auth/calendar";
  private static final Pattern EVENT_ID = Pattern.compile("[a-v0-9]{5,1024}");
  /** Fields a client may set; Google ignores the read-only ones (kind, etag, htmlLink, ...) in a request body. */
  private static final Set<String> WRITABLE = Set.of("summary", "description", "location", "colorId", "start", "end",
      "transparency", "visibility", "status", "eventType", "attendees", "extendedProperties", "reminders", "source",
      "outOfOfficeProperties");
  /** The order Google's reference lists an event's keys in, kept in answers. */
  private static final List<String> KEY_ORDER = List.of("kind", "etag", "id", "status", "htmlLink", "created", "updated",
      "summary", "description", "location", "colorId", "creator", "organizer", "start", "end", "transparency", "visibility",
      "iCalUID", "sequence", "attendees", "extendedProperties", "reminders", "source", "eventType", "outOfOfficeProperties");
  private static final Set<String> EVENT_TYPES = Set.of("default", "outOfOffice", "focusTime", "workingLocation");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private final Clock clock;
  private final Supplier<String> prefixedBase;
  private final GoogleServiceAccount account = new GoogleServiceAccount();
  private final Faults faults = new Faults(METHODS);
  private final Journal<RecordedRequest> requests = new Journal<>(REQUEST_CAPACITY);
  private final Map<String, Cal> calendars = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private long etagSeq;

  /** A calendar the service account can write to; events in insertion order, deleted ones kept as cancelled. */
  private static final class Cal {
    final String id;
    final String summary;
    final ZoneId zone;
    final Map<String, Map<String, Object>> events = new LinkedHashMap<>();

    Cal(String id, String summary, ZoneId zone) {
      this.id = id;
      this.summary = summary;
      this.zone = zone;
    }
  }

  FakeGoogleCalendar(Clock clock, Supplier<String> prefixedBase) {
    this.clock = clock;
    this.prefixedBase = prefixedBase;
  }

  // ---------------------------------------------------------------- Java API

  /** A calendar shared with the service account ("make changes to events"), in UTC. */
  public void addCalendar(String id, String summary) {
    addCalendar(id, summary, "UTC");
  }

  /** A calendar shared with the service account; its time zone places all-day events for {@code timeMin}/{@code timeMax}. */
  public synchronized void addCalendar(String id, String summary, String timeZone) {
    if (id == null || id.isBlank() || summary == null) {
      throw new IllegalArgumentException("a calendar needs an id and a summary");
    }
    if (calendars.containsKey(id)) {
      throw new IllegalArgumentException("calendar " + id + " already exists");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone: " + timeZone);
    }
    calendars.put(id, new Cal(id, summary, zone));
  }

  public synchronized List<String> calendarIds() {
    return List.copyOf(calendars.keySet());
  }

  /** Every event of the calendar in insertion order, deleted ones included ({@code status: cancelled}), as Google shapes them. */
  public synchronized List<Map<String, Object>> events(String calendarId) {
    return Json.copy(new ArrayList<>(known(calendarId).events.values()));
  }

  /** Every event of every calendar; each one's {@code organizer.email} is its calendar's id. */
  public synchronized List<Map<String, Object>> events() {
    List<Map<String, Object>> out = new ArrayList<>();
    calendars.values().forEach(c -> out.addAll(c.events.values()));
    return Json.copy(out);
  }

  public synchronized Optional<Map<String, Object>> event(String calendarId, String eventId) {
    return Optional.ofNullable(known(calendarId).events.get(eventId)).map(Json::copy);
  }

  /**
   * The next {@code times} calls of {@code method} (one of {@link #METHODS}) answer {@code status} with Google's
   * error shape and {@code reason} (null = the usual one for the status, e.g. 500 {@code backendError}), without
   * doing anything. Google signals rate limits with 403 {@code rateLimitExceeded}/{@code userRateLimitExceeded} as
   * well as 429 {@code rateLimitExceeded}.
   */
  public void fail(String method, int status, String reason, int times) {
    faults.add(method, status, reason == null ? defaultReason(status) : reason, false, times);
  }

  /** The next {@code times} calls of {@code method} do their work and then answer {@code status}: a lost answer. */
  public void failAfterProcessing(String method, int status, int times) {
    faults.add(method, status, defaultReason(status), true, times);
  }

  /** Scripted faults not used yet, per method. */
  public Map<String, Object> pendingFaults() {
    return faults.describe();
  }

  /** A person deletes the event in Google Calendar's UI: the same as an API delete (kept as cancelled, id taken). */
  public synchronized void deleteByHand(String calendarId, String eventId) {
    Map<String, Object> ev = known(calendarId).events.get(eventId);
    if (ev == null) {
      throw new IllegalArgumentException("no event " + eventId + " in " + calendarId);
    }
    if ("cancelled".equals(ev.get("status"))) {
      throw new IllegalArgumentException("event " + eventId + " is already deleted");
    }
    touch(ev);
    ev.put("status", "cancelled");
  }

  /** Forgets every event, scripted fault and recorded request; the calendars and the service account stay. */
  public synchronized void reset() {
    calendars.values().forEach(c -> c.events.clear());
    faults.clear();
    requests.clear();
  }

  /** Requests received, oldest first (the newest 1000), refused ones included. */
  public List<RecordedRequest> requests() {
    return requests.snapshot();
  }

  public String serviceAccountEmail() {
    return GoogleServiceAccount.EMAIL;
  }

  String keyJson() {
    return account.keyJson(tokenUri());
  }

  String rootUrl() {
    return prefixedBase.get() + "/google/";
  }

  private String tokenUri() {
    return prefixedBase.get() + "/google/token";
  }

  /** The control API's view: Google's event list shape over one calendar or all, cancelled events only when asked. */
  synchronized Map<String, Object> state(String calendarId, boolean showDeleted) {
    List<Cal> cals = calendarId == null ? List.copyOf(calendars.values()) : List.of(known(calendarId));
    List<Map<String, Object>> items = new ArrayList<>();
    for (Cal c : cals) {
      c.events.values().stream().filter(e -> showDeleted || !"cancelled".equals(e.get("status"))).forEach(items::add);
    }
    Cal one = calendarId == null ? null : cals.getFirst();
    return eventList(one, Json.copy(items), null);
  }

  private Cal known(String calendarId) {
    Cal c = calendars.get(calendarId);
    if (c == null) {
      throw new IllegalArgumentException("no calendar " + calendarId + "; add it with addCalendar");
    }
    return c;
  }

  // ---------------------------------------------------------------- HTTP

  void routes(RoutesConfig r, String prefix) {
    r.post(prefix + "/google/token", this::token);
    String api = prefix + "/google/calendar/v3";
    Handler h = ctx -> calendarApi(ctx, api);
    r.get(api + "/*", h);
    r.post(api + "/*", h);
    r.put(api + "/*", h);
    r.patch(api + "/*", h);
    r.delete(api + "/*", h);
  }

  /** Google's OAuth 2.0 token endpoint, JWT-bearer grant only (what service accounts use). */
  private void token(Context ctx) {
    Reply reply;
    try {
      Map<String, String> form = FakeHttp.form(FakeHttp.body(ctx));
      String grant = form.getOrDefault("grant_type", "");
      if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grant)) {
        throw new ErrorReply(400, obj("error", "unsupported_grant_type", "error_description", "Invalid grant_type: " + grant));
      }
      String assertion = form.get("assertion");
      if (assertion == null || assertion.isEmpty()) {
        throw new ErrorReply(400, obj("error", "invalid_request", "error_description", "Missing required parameter: assertion"));
      }
      String token = account.issue(account.verify(assertion, tokenUri()));
      reply = Reply.json(200, obj("access_token", token, "expires_in", GoogleServiceAccount.tokenSeconds(), "token_type", "Bearer"));
    } catch (ErrorReply e) {
      reply = e.reply;
    }
    FakeHttp.send(ctx, reply);
    requests.add(new RecordedRequest("POST", ctx.path(), "token", reply.status()));
  }

  private void calendarApi(Context ctx, String api) {
    String method = FakeHttp.method(ctx);
    List<String> seg = FakeHttp.segments(ctx, api);
    String op = operation(method, seg);
    Reply reply;
    try {
      reply = op == null ? error(404, "notFound", null) : call(ctx, op, seg);
    } catch (ErrorReply e) {
      reply = e.reply;
    } catch (RuntimeException e) {
      log.warn("{} {} failed in the sandbox; answering 500", method, ctx.path(), e);
      reply = error(500, "backendError", null);
    }
    FakeHttp.send(ctx, reply);
    requests.add(new RecordedRequest(method, ctx.path(), op, reply.status()));
  }

  private static String operation(String method, List<String> s) {
    int n = s.size();
    if (n == 3 && s.get(0).equals("users") && s.get(1).equals("me") && s.get(2).equals("calendarList")) {
      return "GET".equals(method) ? "calendarList.list" : null;
    }
    if (n < 2 || !s.get(0).equals("calendars")) return null;
    if (n == 2) return "GET".equals(method) ? "calendars.get" : null;
    if (!s.get(2).equals("events") || n > 4) return null;
    if (n == 3) {
      return switch (method) {
        case "GET" -> "events.list";
        case "POST" -> "events.insert";
        default -> null;
      };
    }
    return switch (method) {
      case "GET" -> "events.get";
      case "PATCH" -> "events.patch";
      case "PUT" -> "events.update";
      case "DELETE" -> "events.delete";
      default -> null;
    };
  }

  private Reply call(Context ctx, String op, List<String> seg) {
    authorize(ctx, op);
    Faults.Fault fault = faults.next(op);
    if (fault != null && !fault.afterProcessing()) {
      return error(fault.status(), fault.reason(), null);
    }
    Map<String, Object> body = Set.of("events.insert", "events.patch", "events.update").contains(op) ? body(ctx) : null;
    Reply done = null;
    try {
      synchronized (this) {
        done = switch (op) {
          case "calendarList.list" -> Reply.json(200, calendarList());
          case "calendars.get" -> Reply.json(200, calendarResource(calendar(seg.get(1))));
          case "events.list" -> Reply.json(200, list(calendar(seg.get(1)), ctx));
          case "events.insert" -> Reply.json(200, insert(calendar(seg.get(1)), body));
          case "events.get" -> Reply.json(200, Json.copy(existing(calendar(seg.get(1)), seg.get(3))));
          case "events.patch" -> Reply.json(200, change(calendar(seg.get(1)), seg.get(3), body, true));
          case "events.update" -> Reply.json(200, change(calendar(seg.get(1)), seg.get(3), body, false));
          case "events.delete" -> delete(calendar(seg.get(1)), seg.get(3));
          default -> throw new IllegalStateException(op);
        };
      }
    } catch (ErrorReply e) {
      if (fault == null) throw e;
    }
    return fault == null ? done : error(fault.status(), fault.reason(), null);
  }

  /** 401 without a valid access token (Google's WWW-Authenticate makes the client refresh once); 403 without the scope. */
  private void authorize(Context ctx, String op) {
    String auth = ctx.header("Authorization");
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    Set<String> scopes = account.scopes(token);
    if (scopes == null) {
      Map<String, String> headers = Map.of("WWW-Authenticate", token == null ? "Bearer realm=\"https://accounts.google.com/\""
          : "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
      Reply r = token == null
          ? error(401, "required", "Login Required.", "header", "Authorization")
          : error(401, "authError", "Invalid Credentials", "header", "Authorization");
      throw new ErrorReply(new Reply(401, r.body(), headers));
    }
    boolean read = op.endsWith(".list") || op.endsWith(".get");
    boolean allowed = scopes.contains(SCOPE) || scopes.contains(SCOPE + ".events")
        || read && (scopes.contains(SCOPE + ".readonly") || scopes.contains(SCOPE + ".events.readonly"));
    if (!allowed) {
      throw new ErrorReply(error(403, "insufficientPermissions", "Request had insufficient authentication scopes."));
    }
  }

  private static Map<String, Object> body(Context ctx) {
    try {
      return Json.readObject(FakeHttp.body(ctx));
    } catch (RuntimeException e) {
      throw new ErrorReply(error(400, "parseError", "Parse Error"));
    }
  }

  private Cal calendar(String id) {
    Cal c = calendars.get(id);
    if (c == null) throw new ErrorReply(error(404, "notFound", null));
    return c;
  }

  private Map<String, Object> existing(Cal cal, String eventId) {
    Map<String, Object> ev = cal.events.get(eventId);
    if (ev == null) throw new ErrorReply(error(404, "notFound", null));
    return ev;
  }

  // ---------------------------------------------------------------- operations (under the lock)

  private Map<String, Object> insert(Cal cal, Map<String, Object> body) {
    String id;
    if (body.get("id") != null) {
      id = String.valueOf(body.get("id"));
      if (!EVENT_ID.matcher(id).matches()) {
        throw new ErrorReply(error(400, "invalid", "Invalid resource id value."));
      }
      if (cal.events.containsKey(id)) { // deleted events keep their id
        throw new ErrorReply(error(409, "duplicate", null));
      }
    } else {
      id = newEventId();
    }
    String now = STAMP.format(clock.instant());
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("kind", "calendar#event");
    ev.put("id", id);
    ev.put("status", "confirmed");
    ev.put("htmlLink", "https://www.google.com/calendar/event?eid="
        + Base64.getUrlEncoder().withoutPadding().encodeToString((id + " " + cal.id).getBytes(StandardCharsets.UTF_8)));
    ev.put("created", now);
    ev.put("creator", obj("email", GoogleServiceAccount.EMAIL, "self", true));
    ev.put("organizer", obj("email", cal.id, "displayName", cal.summary, "self", true));
    ev.put("iCalUID", id + "@google.com");
    ev.put("sequence", 0);
    ev.put("reminders", obj("useDefault", true));
    ev.put("eventType", "default");
    writable(body).forEach(ev::put);
    touch(ev);
    Map<String, Object> checked = checked(cal, ev);
    cal.events.put(id, checked);
    return Json.copy(checked);
  }

  /** events.patch (merge) and events.update (replace the writable fields). */
  private Map<String, Object> change(Cal cal, String eventId, Map<String, Object> body, boolean patch) {
    Map<String, Object> old = existing(cal, eventId);
    Map<String, Object> ev = Json.copy(old);
    Map<String, Object> given = writable(body);
    if (patch) {
      merge(ev, given);
    } else {
      WRITABLE.stream().filter(k -> !k.equals("status")).forEach(ev::remove);
      ev.put("reminders", obj("useDefault", true));
      ev.put("eventType", "default");
      ev.putAll(given);
    }
    // a deleted event can only be restored (undeleted) by setting its status; any other change is refused
    if ("cancelled".equals(old.get("status")) && "cancelled".equals(ev.get("status"))) {
      throw new ErrorReply(error(403, "forbidden", null));
    }
    Map<String, Object> checked = checked(cal, ev);
    if (!checked.get("start").equals(old.get("start")) || !checked.get("end").equals(old.get("end"))) {
      checked.put("sequence", ((Number) old.get("sequence")).intValue() + 1);
    }
    touch(checked);
    cal.events.put(eventId, checked);
    return Json.copy(checked);
  }

  private Reply delete(Cal cal, String eventId) {
    Map<String, Object> ev = existing(cal, eventId);
    if ("cancelled".equals(ev.get("status"))) {
      throw new ErrorReply(error(410, "deleted", null));
    }
    touch(ev);
    ev.put("status", "cancelled");
    return new Reply(204, null, Map.of());
  }

  private Map<String, Object> list(Cal cal, Context ctx) {
    Instant min = instantParam(ctx, "timeMin");
    Instant max = instantParam(ctx, "timeMax");
    if (min != null && max != null && max.isBefore(min)) {
      throw new ErrorReply(error(400, "timeRangeEmpty", null, "parameter", "timeMax"));
    }
    boolean showDeleted = "true".equals(ctx.queryParam("showDeleted"));
    List<String[]> privateProps = propertyFilters(ctx, "privateExtendedProperty");
    List<String[]> sharedProps = propertyFilters(ctx, "sharedExtendedProperty");
    String q = ctx.queryParam("q") == null ? null : ctx.queryParam("q").toLowerCase(Locale.ROOT);
    String orderBy = ctx.queryParam("orderBy");
    if ("startTime".equals(orderBy) && !"true".equals(ctx.queryParam("singleEvents"))) {
      throw new ErrorReply(error(400, "badRequest", "The requested ordering is not available for the particular query.",
          "parameter", "orderBy"));
    }
    int pageSize = intParam(ctx, "maxResults", 250, 2500);
    int offset = pageOffset(ctx.queryParam("pageToken"));

    List<Map<String, Object>> matching = new ArrayList<>();
    for (Map<String, Object> ev : cal.events.values()) {
      if (!showDeleted && "cancelled".equals(ev.get("status"))) continue;
      Span span = span(cal, ev);
      if (min != null && !span.end().isAfter(min)) continue;
      if (max != null && !span.start().isBefore(max)) continue;
      if (!hasProperties(ev, "private", privateProps) || !hasProperties(ev, "shared", sharedProps)) continue;
      if (q != null && !text(ev).contains(q)) continue;
      matching.add(ev);
    }
    if ("startTime".equals(orderBy)) {
      matching.sort(Comparator.comparing(e -> span(cal, e).start()));
    } else if ("updated".equals(orderBy)) {
      matching.sort(Comparator.comparing(e -> (String) e.get("updated")));
    }
    int to = Math.min(matching.size(), offset + pageSize);
    List<Map<String, Object>> page = offset >= matching.size() ? List.of() : matching.subList(offset, to);
    return eventList(cal, Json.copy(new ArrayList<>(page)), to < matching.size() ? pageToken(to) : null);
  }

  private Map<String, Object> eventList(Cal cal, List<Map<String, Object>> items, String nextPageToken) {
    String updated = items.stream().map(e -> (String) e.get("updated")).max(Comparator.naturalOrder())
        .orElse(STAMP.format(clock.instant()));
    Map<String, Object> out = obj("kind", "calendar#events", "etag", etag());
    if (cal != null) {
      out.put("summary", cal.summary);
      out.put("description", "");
    }
    out.put("updated", updated);
    if (cal != null) {
      out.put("timeZone", cal.zone.getId());
      out.put("accessRole", "writer");
      out.put("defaultReminders", List.of());
    }
    if (nextPageToken != null) out.put("nextPageToken", nextPageToken);
    out.put("items", items);
    return out;
  }

  private Map<String, Object> calendarList() {
    List<Object> items = new ArrayList<>();
    for (Cal c : calendars.values()) {
      items.add(obj("kind", "calendar#calendarListEntry", "etag", etag(), "id", c.id, "summary", c.summary,
          "timeZone", c.zone.getId(), "colorId", "14", "backgroundColor", "#9fe1e7", "foregroundColor", "#000000",
          "accessRole", "writer", "defaultReminders", List.of(),
          "conferenceProperties", obj("allowedConferenceSolutionTypes", List.of("hangoutsMeet"))));
    }
    return obj("kind", "calendar#calendarList", "etag", etag(), "items", items);
  }

  private Map<String, Object> calendarResource(Cal c) {
    return obj("kind", "calendar#calendar", "etag", etag(), "id", c.id, "summary", c.summary, "timeZone", c.zone.getId(),
        "conferenceProperties", obj("allowedConferenceSolutionTypes", List.of("hangoutsMeet")));
  }

  // ---------------------------------------------------------------- event rules

  /** The request's writable fields; extended properties as Google keeps them (keys over 44 dropped, values cut at 1024). */
  private static Map<String, Object> writable(Map<String, Object> body) {
    Map<String, Object> out = new LinkedHashMap<>();
    body.forEach((k, v) -> {
      if (WRITABLE.contains(k)) out.put(k, Json.copy(v));
    });
    if (out.get("extendedProperties") instanceof Map<?, ?> props) {
      for (Object group : props.values()) {
        if (group instanceof Map<?, ?> g) {
          Map<String, Object> kv = Json.map(g);
          kv.keySet().removeIf(key -> key.length() > 44);
          kv.replaceAll((key, value) -> value instanceof String s && s.length() > 1024 ? s.substring(0, 1024) : value);
        }
      }
    }
    return out;
  }

  /** Patch semantics: objects merge recursively, except start and end, which are replaced; null removes a field. */
  private static void merge(Map<String, Object> target, Map<String, Object> patch) {
    patch.forEach((k, v) -> {
      if (v == null) {
        target.remove(k);
      } else if (v instanceof Map<?, ?> m && target.get(k) instanceof Map<?, ?> t && !k.equals("start") && !k.equals("end")) {
        merge(Json.map(t), Json.map(m));
      } else {
        target.put(k, v);
      }
    });
  }

  /** Validates and normalises an event about to be stored; answers 400/403 as Google would. */
  private Map<String, Object> checked(Cal cal, Map<String, Object> ev) {
    span(cal, ev); // validates start and end, normalising dateTime values
    if (ev.get("attendees") instanceof List<?> attendees && !attendees.isEmpty()) {
      throw new ErrorReply(error(403, "forbiddenForServiceAccounts",
          "Service accounts cannot invite attendees without Domain-Wide Delegation of Authority."));
    }
    if (!EVENT_TYPES.contains(String.valueOf(ev.get("eventType")))) {
      throw new ErrorReply(error(400, "invalid", "Invalid event type: " + ev.get("eventType")));
    }
    Object status = ev.get("status");
    if (!Set.of("confirmed", "tentative", "cancelled").contains(String.valueOf(status))) {
      throw new ErrorReply(error(400, "invalid", "Invalid Value", "parameter", "status"));
    }
    Object transparency = ev.get("transparency");
    if (transparency != null && !Set.of("opaque", "transparent").contains(String.valueOf(transparency))) {
      throw new ErrorReply(error(400, "invalid", "Invalid Value", "parameter", "transparency"));
    }
    Map<String, Object> ordered = new LinkedHashMap<>();
    KEY_ORDER.forEach(k -> {
      if (ev.containsKey(k)) ordered.put(k, ev.get(k));
    });
    ev.forEach(ordered::putIfAbsent);
    return ordered;
  }

  private record Span(Instant start, Instant end) {}

  /**
   * The event's time range, checked as Google checks it: start and end both {@code date} (all-day, end exclusive;
   * end equal to start is accepted as one day) or both {@code dateTime} (RFC 3339 with an offset, or a
   * {@code timeZone}), and the end not before the start ({@code timeRangeEmpty}).
   */
  private Span span(Cal cal, Map<String, Object> ev) {
    Map<String, Object> start = when(ev, "start");
    Map<String, Object> end = when(ev, "end");
    boolean allDay = start.get("date") != null;
    if (allDay != (end.get("date") != null)) {
      throw new ErrorReply(error(400, "badRequest", "Start and end times must either both be date or both be dateTime."));
    }
    Instant s;
    Instant e;
    if (allDay) {
      LocalDate sd = date(start, "start");
      LocalDate ed = date(end, "end");
      if (ed.isBefore(sd)) throw new ErrorReply(error(400, "timeRangeEmpty", null, "parameter", "timeMax"));
      s = sd.atStartOfDay(cal.zone).toInstant();
      e = (ed.isAfter(sd) ? ed : sd.plusDays(1)).atStartOfDay(cal.zone).toInstant();
    } else {
      s = dateTime(start, "start");
      e = dateTime(end, "end");
      if (e.isBefore(s)) throw new ErrorReply(error(400, "timeRangeEmpty", null, "parameter", "timeMax"));
    }
    return new Span(s, e);
  }

  private static Map<String, Object> when(Map<String, Object> ev, String which) {
    if (!(ev.get(which) instanceof Map<?, ?> m) || m.get("date") == null && m.get("dateTime") == null) {
      throw new ErrorReply(error(400, "required", "Missing " + which + " time."));
    }
    if (m.get("date") != null && m.get("dateTime") != null) {
      throw new ErrorReply(error(400, "badRequest", "Start and end times must either both be date or both be dateTime."));
    }
    return Json.map(m);
  }

  private static LocalDate date(Map<String, Object> when, String which) {
    try {
      return LocalDate.parse(String.valueOf(when.get("date")));
    } catch (DateTimeParseException x) {
      throw new ErrorReply(error(400, "invalid", "Invalid " + which + " date.", "parameter", which + ".date"));
    }
  }

  /** Parses a dateTime and rewrites it as Google answers it: in the event's time zone when given, without fractions. */
  private static Instant dateTime(Map<String, Object> when, String which) {
    String value = String.valueOf(when.get("dateTime"));
    ZoneId zone = null;
    if (when.get("timeZone") != null) {
      try {
        zone = ZoneId.of(String.valueOf(when.get("timeZone")));
      } catch (DateTimeException x) {
        throw new ErrorReply(error(400, "invalid", "Invalid time zone definition for " + which + " time."));
      }
    }
    OffsetDateTime t;
    try {
      t = OffsetDateTime.parse(value);
    } catch (DateTimeParseException x) {
      LocalDateTime local;
      try {
        local = LocalDateTime.parse(value);
      } catch (DateTimeParseException y) {
        throw new ErrorReply(error(400, "invalid", "Invalid " + which + " time.", "parameter", which + ".dateTime"));
      }
      if (zone == null) {
        throw new ErrorReply(error(400, "required", "Missing time zone definition for " + which + " time."));
      }
      t = local.atZone(zone).toOffsetDateTime();
    }
    OffsetDateTime shown = zone == null ? t : t.atZoneSameInstant(zone).toOffsetDateTime();
    when.put("dateTime", DATE_TIME.format(shown.truncatedTo(ChronoUnit.SECONDS)));
    return t.toInstant();
  }

  private static boolean hasProperties(Map<String, Object> ev, String group, List<String[]> wanted) {
    if (wanted.isEmpty()) return true;
    Map<?, ?> props = ev.get("extendedProperties") instanceof Map<?, ?> p && p.get(group) instanceof Map<?, ?> g ? g : Map.of();
    return wanted.stream().allMatch(kv -> kv[1].equals(props.get(kv[0])));
  }

  private static List<String[]> propertyFilters(Context ctx, String param) {
    List<String[]> out = new ArrayList<>();
    for (String f : ctx.queryParams(param)) {
      int eq = f.indexOf('=');
      if (eq <= 0) throw new ErrorReply(error(400, "invalid", "Invalid Value", "parameter", param));
      out.add(new String[] {f.substring(0, eq), f.substring(eq + 1)});
    }
    return out;
  }

  private static String text(Map<String, Object> ev) {
    return (ev.getOrDefault("summary", "") + " " + ev.getOrDefault("description", "") + " " + ev.getOrDefault("location", ""))
        .toLowerCase(Locale.ROOT);
  }

  private static Instant instantParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) return null;
    try {
      return OffsetDateTime.parse(v).toInstant(); // Google requires an offset here
    } catch (DateTimeParseException e) {
      throw new ErrorReply(error(400, "badRequest", "Bad Request", "parameter", name));
    }
  }

  private static int intParam(Context ctx, String name, int dflt, int cap) {
    String v = ctx.queryParam(name);
    if (v == null) return dflt;
    try {
      int n = Integer.parseInt(v);
      if (n < 1) throw new NumberFormatException();
      return Math.min(n, cap);
    } catch (NumberFormatException e) {
      throw new ErrorReply(error(400, "invalid", "Invalid Value", "parameter", name));
    }
  }

  private static String pageToken(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int pageOffset(String token) {
    if (token == null) return 0;
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!s.startsWith("offset:")) throw new IllegalArgumentException();
      return Integer.parseInt(s.substring(7));
    } catch (IllegalArgumentException e) {
      throw new ErrorReply(error(400, "invalid", "Invalid Value", "parameter", "pageToken"));
    }
  }

  private void touch(Map<String, Object> ev) {
    ev.put("etag", etag());
    ev.put("updated", STAMP.format(clock.instant()));
  }

  private String etag() {
    return "\"" + (clock.millis() * 1000 + (++etagSeq % 1000)) + "\"";
  }

  private String newEventId() {
    String alphabet = "0123456789abcdefghijklmnopqrstuv";
    StringBuilder b = new StringBuilder(26);
    for (int i = 0; i < 26; i++) {
      b.append(alphabet.charAt(random.nextInt(32)));
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- errors

  static String defaultReason(int status) {
    return switch (status) {
      case 400 -> "badRequest";
      case 401 -> "authError";
      case 403 -> "forbidden";
      case 404 -> "notFound";
      case 409 -> "duplicate";
      case 410 -> "deleted";
      case 412 -> "conditionNotMet";
      case 429 -> "rateLimitExceeded";
      default -> status >= 500 ? "backendError" : "badRequest";
    };
  }

  private static Reply error(int code, String reason, String message) {
    return error(code, reason, message, null, null);
  }

  /** Google's error body; message defaults to the one Google gives for the reason. */
  private static Reply error(int code, String reason, String message, String locationType, String location) {
    String msg = message != null ? message : switch (reason) {
      case "backendError" -> "Backend Error";
      case "rateLimitExceeded" -> "Rate Limit Exceeded";
      case "userRateLimitExceeded" -> "User Rate Limit Exceeded";
      case "quotaExceeded" -> "Calendar usage limits exceeded.";
      case "forbidden" -> "Forbidden";
      case "notFound" -> "Not Found";
      case "deleted" -> "Resource has been deleted";
      case "duplicate" -> "The requested identifier already exists.";
      case "badRequest" -> "Bad Request";
      case "invalid" -> "Invalid Value";
      case "authError" -> "Invalid Credentials";
      case "conditionNotMet" -> "Precondition Failed";
      case "timeRangeEmpty" -> "The specified time range is empty.";
      default -> reason;
    };
    String domain = switch (reason) {
      case "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded" -> "usageLimits";
      case "timeRangeEmpty", "forbiddenForServiceAccounts", "forbiddenForNonOrganizer", "requiredAccessLevel" -> "calendar";
      default -> "global";
    };
    Map<String, Object> item = obj("message", msg, "domain", domain, "reason", reason);
    if (locationType != null) {
      item.put("locationType", locationType);
      item.put("location", location);
    }
    Map<String, Object> err = obj("code", code, "message", msg, "errors", List.of(item));
    String status = switch (code) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ALREADY_EXISTS";
      case 412 -> "FAILED_PRECONDITION";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 500 -> "INTERNAL";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> null;
    };
    if (status != null) err.put("status", status);
    return Reply.json(code, obj("error", err));
  }
}
