package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import dev.tandem.sandbox.FakeHttp.ErrorReply;
import dev.tandem.sandbox.FakeHttp.Reply;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful Harvest API v2 (https://help.getharvest.com/api-v2/) under {@code <prefix>/harvest/v2}: company,
 * users (and {@code users/me}), projects and their task assignments, and time entries (create, list with
 * filters, get, delete), in Harvest's shapes with its paging envelope ({@code per_page}, {@code total_pages},
 * {@code total_entries}, {@code next_page}, {@code previous_page}, {@code page}, {@code links}).
 *
 * <p>Every request needs {@code Authorization: Bearer <harvestToken>} and {@code Harvest-Account-Id}
 * (or the {@code access_token}/{@code account_id} query parameters the authentication guide allows), else
 * 401 {@code invalid_token}. The token belongs to an administrator, {@link #OWNER_ID}, who is listed among the
 * users as in a real account. Time entry ids start beyond 32 bits ({@link #FIRST_ENTRY_ID}), as Harvest's
 * {@code bigint} ids do, so a caller storing them in an int fails at once. Accounts track time by duration
 * unless {@link #setTimestampTimers} says start and end times ({@code wants_timestamp_timers}); each way takes
 * only its own fields, as the two "create a time entry" methods of the reference describe.
 *
 * <p>Faults are scripted per API method ({@link #fail}, {@link #failAfterProcessing}); every request is recorded
 * ({@link #requests()}). Timestamps come from the sandbox clock. One lock guards the state.
 */
public final class FakeHarvest {
  private static final Logger log = LoggerFactory.getLogger(FakeHarvest.class);
  /** The API methods faults can be scripted for. */
  public static final List<String> METHODS = List.of("company.get", "users.me", "users.list", "projects.list",
      "task_assignments.list", "time_entries.create", "time_entries.list", "time_entries.get", "time_entries.delete");
  /** The account id a Personal Access Token comes with. */
  public static final String ACCOUNT_ID = "1240712";
  /** The Personal Access Token the sandbox accepts. */
  public static final String TOKEN = "1240712.pt.sandbox-harvest-token";
  /** The token's owner, an administrator, answered by {@code /v2/users/me}. */
  public static final long OWNER_ID = 1_000_000_001L;
  /** The first time entry id handed out; later ones count up. */
  public static final long FIRST_ENTRY_ID = 2_500_000_000L;
  static final int REQUEST_CAPACITY = 1000;
  private static final int MAX_PER_PAGE = 2000;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern CLOCK_TIME = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*(am|pm)?", Pattern.CASE_INSENSITIVE);
  private static final Map<String, Object> CLIENT = obj("id", 100_000_001L, "name", "Sandbox", "currency", "USD");

  private record User(long id, String firstName, String lastName, String email, boolean active, String createdAt) {}

  private record Project(long id, String name, String code, String createdAt) {}

  private record Assignment(long id, Project project, long taskId, String taskName, String createdAt) {}

  private final Clock clock;
  private final Supplier<String> apiUrl;
  private final Faults faults = new Faults(METHODS);
  private final Journal<RecordedRequest> requests = new Journal<>(REQUEST_CAPACITY);
  private final Map<Long, User> users = new LinkedHashMap<>();
  private final Map<Long, Project> projects = new LinkedHashMap<>();
  private final List<Assignment> assignments = new ArrayList<>();
  private final Map<Long, Map<String, Object>> entries = new LinkedHashMap<>();
  private final Map<String, Long> userAssignmentIds = new HashMap<>();
  private boolean timestampTimers;
  private long nextEntryId = FIRST_ENTRY_ID;
  private long nextAssignmentId = 300_000_001L;

  FakeHarvest(Clock clock, Supplier<String> apiUrl) {
    this.clock = clock;
    this.apiUrl = apiUrl;
    users.put(OWNER_ID, new User(OWNER_ID, "Sandbox", "Owner", "owner@harvest.sandbox.example", true, now()));
  }

  // ---------------------------------------------------------------- Java API

  public synchronized void addUser(long id, String firstName, String lastName, String email, boolean active) {
    if (users.containsKey(id)) throw new IllegalArgumentException("user " + id + " already exists");
    if (firstName == null || lastName == null || email == null) {
      throw new IllegalArgumentException("a user needs a first name, a last name and an email");
    }
    users.put(id, new User(id, firstName, lastName, email, active, now()));
  }

  public void addProject(long id, String name) {
    addProject(id, name, "");
  }

  public synchronized void addProject(long id, String name, String code) {
    if (projects.containsKey(id)) throw new IllegalArgumentException("project " + id + " already exists");
    if (name == null) throw new IllegalArgumentException("a project needs a name");
    projects.put(id, new Project(id, name, code == null ? "" : code, now()));
  }

  /** Assigns a task (created on first use; one task may be assigned to several projects) to a project. */
  public synchronized void addTask(long projectId, long taskId, String name) {
    Project p = projects.get(projectId);
    if (p == null) throw new IllegalArgumentException("no project " + projectId + "; add it first");
    if (name == null) throw new IllegalArgumentException("a task needs a name");
    for (Assignment a : assignments) {
      if (a.taskId() == taskId && !a.taskName().equals(name)) {
        throw new IllegalArgumentException("task " + taskId + " is already named '" + a.taskName() + "'");
      }
      if (a.taskId() == taskId && a.project().id() == projectId) {
        throw new IllegalArgumentException("task " + taskId + " is already assigned to project " + projectId);
      }
    }
    assignments.add(new Assignment(nextAssignmentId++, p, taskId, name, now()));
  }

  /** The company setting {@code wants_timestamp_timers}: the account tracks start and end times, not durations. */
  public synchronized void setTimestampTimers(boolean on) {
    timestampTimers = on;
  }

  /** Every time entry in creation order, in Harvest's shape. */
  public synchronized List<Map<String, Object>> timeEntries() {
    return Json.copy(new ArrayList<>(entries.values()));
  }

  public synchronized Optional<Map<String, Object>> timeEntry(long id) {
    return Optional.ofNullable(entries.get(id)).map(Json::copy);
  }

  /** The next {@code times} calls of {@code method} (one of {@link #METHODS}) answer {@code status} without doing anything. */
  public void fail(String method, int status, int times) {
    faults.add(method, status, null, false, times);
  }

  /** The next {@code times} calls of {@code method} do their work and then answer {@code status}: a lost answer. */
  public void failAfterProcessing(String method, int status, int times) {
    faults.add(method, status, null, true, times);
  }

  /** Scripted faults not used yet, per method. */
  public Map<String, Object> pendingFaults() {
    return faults.describe();
  }

  /** A person deletes the entry in Harvest's timesheet (Harvest deletes for good). */
  public synchronized void deleteByHand(long entryId) {
    if (entries.remove(entryId) == null) throw new IllegalArgumentException("no time entry " + entryId);
  }

  /** Forgets every time entry, scripted fault and recorded request; users, projects, tasks and the company setting stay. */
  public synchronized void reset() {
    entries.clear();
    faults.clear();
    requests.clear();
  }

  /** Requests received, oldest first (the newest 1000), refused ones included. */
  public List<RecordedRequest> requests() {
    return requests.snapshot();
  }

  // ---------------------------------------------------------------- HTTP

  void routes(RoutesConfig r, String prefix) {
    String api = prefix + "/harvest/v2";
    Handler h = ctx -> serve(ctx, api);
    r.get(api + "/*", h);
    r.post(api + "/*", h);
    r.patch(api + "/*", h);
    r.delete(api + "/*", h);
  }

  private void serve(Context ctx, String api) {
    String method = ctx.method().name();
    List<String> seg = FakeHttp.segments(ctx, api);
    String op = operation(method, seg);
    Reply reply;
    try {
      authenticate(ctx);
      reply = op == null ? failure(404) : call(ctx, op, seg);
    } catch (ErrorReply e) {
      reply = e.reply;
    } catch (RuntimeException e) {
      log.warn("{} {} failed in the sandbox; answering 500", method, ctx.path(), e);
      reply = failure(500);
    }
    FakeHttp.send(ctx, reply);
    requests.add(new RecordedRequest(method, ctx.path(), op, reply.status()));
  }

  private static String operation(String method, List<String> s) {
    String path = String.join("/", s.stream().map(x -> x.matches("\\d{1,18}") ? "{id}" : x).toList());
    return switch (method + " " + path) {
      case "GET company" -> "company.get";
      case "GET users/me" -> "users.me";
      case "GET users" -> "users.list";
      case "GET projects" -> "projects.list";
      case "GET projects/{id}/task_assignments" -> "task_assignments.list";
      case "POST time_entries" -> "time_entries.create";
      case "GET time_entries" -> "time_entries.list";
      case "GET time_entries/{id}" -> "time_entries.get";
      case "DELETE time_entries/{id}" -> "time_entries.delete";
      default -> null;
    };
  }

  private static void authenticate(Context ctx) {
    String auth = ctx.header("Authorization");
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim()
        : ctx.queryParam("access_token");
    String account = ctx.header("Harvest-Account-Id") != null ? ctx.header("Harvest-Account-Id") : ctx.queryParam("account_id");
    if (!TOKEN.equals(token) || account == null || !ACCOUNT_ID.equals(account.trim())) {
      throw new ErrorReply(401, obj("error", "invalid_token",
          "error_description", "The access token provided is expired, revoked, malformed or invalid for other reasons."));
    }
  }

  private Reply call(Context ctx, String op, List<String> seg) {
    Faults.Fault fault = faults.next(op);
    if (fault != null && !fault.afterProcessing()) return failure(fault.status());
    Map<String, Object> body = op.equals("time_entries.create") ? body(ctx) : null;
    Reply done = null;
    try {
      synchronized (this) {
        done = switch (op) {
          case "company.get" -> Reply.json(200, company());
          case "users.me" -> Reply.json(200, user(users.get(OWNER_ID)));
          case "users.list" -> Reply.json(200, usersPage(ctx));
          case "projects.list" -> Reply.json(200, page("projects", reversed(projects.values().stream().map(this::project).toList()),
              ctx, "/projects"));
          case "task_assignments.list" -> Reply.json(200, taskAssignments(ctx, Long.parseLong(seg.get(1))));
          case "time_entries.create" -> Reply.json(201, create(body));
          case "time_entries.list" -> Reply.json(200, entriesPage(ctx));
          case "time_entries.get" -> Reply.json(200, Json.copy(entry(Long.parseLong(seg.get(1)))));
          case "time_entries.delete" -> {
            entry(Long.parseLong(seg.get(1)));
            entries.remove(Long.parseLong(seg.get(1)));
            yield new Reply(200, null, Map.of());
          }
          default -> throw new IllegalStateException(op);
        };
      }
    } catch (ErrorReply e) {
      if (fault == null) throw e;
    }
    return fault == null ? done : failure(fault.status());
  }

  private static Map<String, Object> body(Context ctx) {
    try {
      return Json.readObject(FakeHttp.body(ctx));
    } catch (RuntimeException e) {
      throw new ErrorReply(failure(400));
    }
  }

  private Map<String, Object> entry(long id) {
    Map<String, Object> e = entries.get(id);
    if (e == null) throw new ErrorReply(failure(404));
    return e;
  }

  /** The control API's view: the time entries list, filters and paging as {@code GET /v2/time_entries}. */
  synchronized Map<String, Object> state(Context ctx) {
    return entriesPage(ctx);
  }

  // ---------------------------------------------------------------- time entries (under the lock)

  private Map<String, Object> create(Map<String, Object> b) {
    long userId = b.get("user_id") == null ? OWNER_ID : id(b, "user_id", "User");
    User user = users.get(userId);
    if (user == null) throw invalid("User not found");
    if (b.get("project_id") == null) throw invalid("Project can't be blank");
    Project project = projects.get(id(b, "project_id", "Project"));
    if (project == null) throw invalid("Project not found");
    if (b.get("task_id") == null) throw invalid("Task can't be blank");
    long taskId = id(b, "task_id", "Task");
    Assignment assignment = assignments.stream().filter(a -> a.project() == project && a.taskId() == taskId).findFirst()
        .orElseThrow(() -> invalid("Task is not assigned to the project"));
    if (b.get("spent_date") == null) throw invalid("Spent date can't be blank");
    LocalDate spent;
    try {
      spent = LocalDate.parse(String.valueOf(b.get("spent_date")));
    } catch (DateTimeParseException e) {
      throw invalid("Spent date is not a valid date");
    }

    String now = now();
    double hours;
    boolean running;
    String started = null;
    String ended = null;
    if (timestampTimers) { // started_time (default now) and ended_time; hours is not a field of this method
      LocalTime from = b.get("started_time") == null ? LocalTime.now(clock.withZone(ZoneOffset.UTC))
          : time(b.get("started_time"), "Started time");
      LocalTime to = b.get("ended_time") == null ? null : time(b.get("ended_time"), "Ended time");
      if (to != null && to.isBefore(from)) throw invalid("Ended time must be after started time");
      started = clockTime(from);
      ended = to == null ? null : clockTime(to);
      running = to == null;
      hours = to == null ? 0.0 : Math.round(ChronoUnit.MINUTES.between(from, to) / 60.0 * 100) / 100.0;
    } else { // hours; without it a timer starts
      if (b.get("hours") != null && !(b.get("hours") instanceof Number)) throw invalid("Hours is not a number");
      hours = b.get("hours") == null ? 0.0 : ((Number) b.get("hours")).doubleValue();
      if (hours < 0) throw invalid("Hours must be greater than or equal to 0");
      running = b.get("hours") == null;
    }
    Object ref = null;
    if (b.get("external_reference") instanceof Map<?, ?> given) {
      String permalink = given.get("permalink") == null ? null : String.valueOf(given.get("permalink"));
      String service = null;
      try {
        service = permalink == null ? null : URI.create(permalink).getHost();
      } catch (IllegalArgumentException ignored) {
        // a permalink that is no URL has no service
      }
      ref = obj("id", given.get("id") == null ? null : String.valueOf(given.get("id")),
          "group_id", given.get("group_id") == null ? null : String.valueOf(given.get("group_id")),
          "account_id", given.get("account_id") == null ? null : String.valueOf(given.get("account_id")),
          "permalink", permalink, "service", service, "service_icon_url", null);
    } else if (b.get("external_reference") != null) {
      throw invalid("External reference must be an object");
    }

    long id = nextEntryId++;
    long userAssignment = userAssignmentIds.computeIfAbsent(project.id() + "/" + userId, k -> nextAssignmentId++);
    Map<String, Object> e = obj("id", id, "spent_date", spent.toString(),
        "user", obj("id", user.id(), "name", user.firstName() + " " + user.lastName()),
        "client", obj("id", CLIENT.get("id"), "name", CLIENT.get("name")),
        "project", obj("id", project.id(), "name", project.name(), "code", project.code()),
        "task", obj("id", taskId, "name", assignment.taskName()),
        "user_assignment", obj("id", userAssignment, "is_project_manager", false, "is_active", true, "budget", null,
            "created_at", now, "updated_at", now, "hourly_rate", null),
        "task_assignment", obj("id", assignment.id(), "billable", false, "is_active", true,
            "created_at", assignment.createdAt(), "updated_at", assignment.createdAt(), "hourly_rate", null, "budget", null),
        "hours", hours, "hours_without_timer", hours, "rounded_hours", hours,
        "notes", b.get("notes") == null ? null : String.valueOf(b.get("notes")),
        "created_at", now, "updated_at", now, "is_locked", false, "locked_reason", null, "is_closed", false,
        "is_billed", false, "timer_started_at", running && !timestampTimers ? now : null,
        "started_time", started, "ended_time", ended, "is_running", running, "invoice", null, "external_reference", ref,
        "billable", false, "budgeted", false, "billable_rate", null, "cost_rate", null);
    entries.put(id, e);
    return Json.copy(e);
  }

  private Map<String, Object> entriesPage(Context ctx) {
    Long user = longParam(ctx, "user_id");
    Long project = longParam(ctx, "project_id");
    Long task = longParam(ctx, "task_id");
    String ref = ctx.queryParam("external_reference_id");
    String running = ctx.queryParam("is_running");
    LocalDate from = dateParam(ctx, "from");
    LocalDate to = dateParam(ctx, "to");
    List<Map<String, Object>> matching = new ArrayList<>();
    for (Map<String, Object> e : entries.values()) {
      LocalDate spent = LocalDate.parse((String) e.get("spent_date"));
      if (user != null && !user.equals(idOf(e, "user"))) continue;
      if (project != null && !project.equals(idOf(e, "project"))) continue;
      if (task != null && !task.equals(idOf(e, "task"))) continue;
      if (ref != null && !(e.get("external_reference") instanceof Map<?, ?> r && ref.equals(r.get("id")))) continue;
      if (running != null && Boolean.parseBoolean(running) != (Boolean) e.get("is_running")) continue;
      if (from != null && spent.isBefore(from)) continue;
      if (to != null && spent.isAfter(to)) continue;
      matching.add(e);
    }
    // newest spent_date first, as the reference's example; the newest entry first within a day
    matching.sort(Comparator.comparing((Map<String, Object> e) -> (String) e.get("spent_date"))
        .thenComparing(e -> (Long) e.get("id")).reversed());
    return page("time_entries", matching, ctx, "/time_entries");
  }

  // ---------------------------------------------------------------- other resources (under the lock)

  private Map<String, Object> usersPage(Context ctx) {
    String active = ctx.queryParam("is_active");
    List<Map<String, Object>> all = new ArrayList<>();
    for (User u : users.values()) {
      if (active == null || Boolean.parseBoolean(active) == u.active()) all.add(user(u));
    }
    return page("users", reversed(all), ctx, "/users");
  }

  private Map<String, Object> taskAssignments(Context ctx, long projectId) {
    if (!projects.containsKey(projectId)) throw new ErrorReply(failure(404));
    List<Map<String, Object>> all = new ArrayList<>();
    for (Assignment a : assignments) {
      if (a.project().id() == projectId) {
        all.add(obj("id", a.id(), "billable", false, "is_active", true, "created_at", a.createdAt(), "updated_at", a.createdAt(),
            "hourly_rate", null, "budget", null,
            "project", obj("id", a.project().id(), "name", a.project().name(), "code", a.project().code()),
            "task", obj("id", a.taskId(), "name", a.taskName())));
      }
    }
    return page("task_assignments", reversed(all), ctx, "/projects/" + projectId + "/task_assignments");
  }

  private Map<String, Object> user(User u) {
    return obj("id", u.id(), "first_name", u.firstName(), "last_name", u.lastName(), "email", u.email(), "telephone", "",
        "timezone", "UTC", "has_access_to_all_future_projects", false, "is_contractor", false, "is_active", u.active(),
        "created_at", u.createdAt(), "updated_at", u.createdAt(), "weekly_capacity", 126000, "default_hourly_rate", null,
        "cost_rate", null, "roles", List.of(), "access_roles", List.of(u.id() == OWNER_ID ? "administrator" : "member"),
        "avatar_url", null);
  }

  private Map<String, Object> project(Project p) {
    return obj("id", p.id(), "name", p.name(), "code", p.code(), "is_active", true, "bill_by", "none", "budget", null,
        "budget_by", "none", "budget_is_monthly", false, "notify_when_over_budget", false,
        "over_budget_notification_percentage", 80.0, "over_budget_notification_date", null, "show_budget_to_all", false,
        "created_at", p.createdAt(), "updated_at", p.createdAt(), "starts_on", null, "ends_on", null, "is_billable", false,
        "is_fixed_fee", false, "notes", "", "client", Json.copy(CLIENT), "cost_budget", null,
        "cost_budget_include_expenses", false, "hourly_rate", null, "fee", null);
  }

  private Map<String, Object> company() {
    return obj("base_uri", "https://sandbox.harvestapp.com", "full_domain", "sandbox.harvestapp.com", "name", "Sandbox Company",
        "is_active", true, "week_start_day", "Monday", "wants_timestamp_timers", timestampTimers, "time_format", "hours_minutes",
        "date_format", "%Y-%m-%d", "plan_type", "sponsored", "expense_feature", true, "invoice_feature", true,
        "estimate_feature", true, "approval_feature", true, "team_feature", true, "clock", "12h",
        "currency_code_display", "iso_code_none", "currency_symbol_display", "symbol_before", "decimal_symbol", ".",
        "thousands_separator", ",", "color_scheme", "orange", "weekly_capacity", 126000);
  }

  /**
   * Harvest's paging envelope (pagination guide): {@code per_page} 1..2000 (default 2000; more is a 422),
   * {@code page} from 1, {@code links} that keep the request's filters.
   */
  private Map<String, Object> page(String key, List<Map<String, Object>> all, Context ctx, String path) {
    Long perPageParam = longParam(ctx, "per_page");
    Long pageParam = longParam(ctx, "page");
    if (perPageParam != null && (perPageParam < 1 || perPageParam > MAX_PER_PAGE)) {
      throw invalid("per_page must be between 1 and " + MAX_PER_PAGE);
    }
    if (pageParam != null && pageParam < 1) throw invalid("page must be 1 or more");
    int perPage = perPageParam == null ? MAX_PER_PAGE : perPageParam.intValue();
    int page = pageParam == null ? 1 : (int) Math.min(pageParam, Integer.MAX_VALUE);
    int total = all.size();
    int totalPages = (total + perPage - 1) / perPage;
    int from = (int) Math.min((long) (page - 1) * perPage, total);
    List<Map<String, Object>> items = Json.copy(new ArrayList<>(all.subList(from, Math.min(total, from + perPage))));
    StringBuilder filters = new StringBuilder();
    ctx.queryParamMap().forEach((k, values) -> {
      if (!k.equals("page") && !k.equals("per_page") && !k.equals("access_token") && !k.equals("account_id")) {
        values.forEach(v -> filters.append(enc(k)).append('=').append(enc(v)).append('&'));
      }
    });
    String base = apiUrl.get() + path + "?" + filters + "per_page=" + perPage + "&page=";
    Integer next = page < totalPages ? page + 1 : null;
    Integer previous = page > 1 ? page - 1 : null;
    return obj(key, items, "per_page", perPage, "total_pages", totalPages, "total_entries", total, "next_page", next,
        "previous_page", previous, "page", page,
        "links", obj("first", base + 1, "next", next == null ? null : base + next,
            "previous", previous == null ? null : base + previous, "last", base + Math.max(1, totalPages)));
  }

  // ---------------------------------------------------------------- helpers

  private String now() {
    return STAMP.format(clock.instant());
  }

  private static List<Map<String, Object>> reversed(List<Map<String, Object>> list) {
    List<Map<String, Object>> out = new ArrayList<>(list);
    Collections.reverse(out);
    return out;
  }

  private static Long idOf(Map<String, Object> entry, String key) {
    return ((Number) Json.map(entry.get(key)).get("id")).longValue();
  }

  private static long id(Map<String, Object> b, String key, String what) {
    Object v = b.get(key);
    try {
      return v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw invalid(what + " not found");
    }
  }

  /** Harvest's times: "8:00am", "2:59pm" or "14:59". */
  private static LocalTime time(Object v, String what) {
    Matcher m = CLOCK_TIME.matcher(String.valueOf(v).trim());
    if (!m.matches()) throw invalid(what + " is invalid");
    int h = Integer.parseInt(m.group(1));
    int min = Integer.parseInt(m.group(2));
    if (m.group(3) != null) {
      if (h < 1 || h > 12) throw invalid(what + " is invalid");
      h = h % 12 + (m.group(3).equalsIgnoreCase("pm") ? 12 : 0);
    }
    if (h > 23 || min > 59) throw invalid(what + " is invalid");
    return LocalTime.of(h, min);
  }

  /** As Harvest shows times with the company's 12-hour clock: "8:00am". */
  private static String clockTime(LocalTime t) {
    int h = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
    return h + ":" + String.format("%02d", t.getMinute()) + (t.getHour() < 12 ? "am" : "pm");
  }

  private static Long longParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) return null;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw invalid(name + " must be an integer");
    }
  }

  private static LocalDate dateParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) return null;
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw invalid(name + " is not a valid date");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** 422 with Harvest's validation body. */
  private static ErrorReply invalid(String message) {
    return new ErrorReply(422, obj("message", message));
  }

  /** Harvest's other errors: {@code {"status":N,"error":"<reason phrase>"}}; 429 carries Retry-After as Harvest sends it. */
  static Reply failure(int status) {
    if (status == 401) {
      return Reply.json(401, obj("error", "invalid_token",
          "error_description", "The access token provided is expired, revoked, malformed or invalid for other reasons."));
    }
    if (status == 422) {
      return Reply.json(422, obj("message", "The sandbox was told to refuse this request."));
    }
    String phrase = switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error";
    };
    Map<String, String> headers = status == 429 ? Map.of("Retry-After", "15") : Map.of();
    return new Reply(status, obj("status", status, "error", phrase), headers);
  }
}
