package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import dev.tandem.sandbox.FakeHttp.ErrorReply;
import dev.tandem.sandbox.FakeHttp.Reply;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Function;

/**
 * The control API of the Google Calendar and Harvest fakes, under {@code <prefix>/api/calendar} and
 * {@code <prefix>/api/harvest}: their state in the services' own list shapes, seeding, scripted faults, a person's
 * deletes, recorded requests and reset; what tests and the demo do in Java, over HTTP. Bad input answers 400
 * {@code {"error": ...}}; see docs/SANDBOX.md for the bodies.
 */
final class ServiceFakesApi {
  private final FakeGoogleCalendar calendar;
  private final FakeHarvest harvest;

  ServiceFakesApi(FakeGoogleCalendar calendar, FakeHarvest harvest) {
    this.calendar = calendar;
    this.harvest = harvest;
  }

  void routes(RoutesConfig r, String prefix) {
    String c = prefix + "/api/calendar";
    r.get(c + "/events", ctx -> answer(ctx, x -> calendar.state(blankToNull(x.queryParam("calendar_id")),
        "true".equals(x.queryParam("show_deleted")))));
    r.get(c + "/calendars", ctx -> answer(ctx, x -> obj("calendars", calendar.calendarIds())));
    r.post(c + "/calendars", ctx -> answer(ctx, x -> {
      Map<String, Object> b = ControlApi.body(x);
      calendar.addCalendar(str(b, "id"), str(b, "summary"), b.get("time_zone") == null ? "UTC" : str(b, "time_zone"));
      return obj("ok", true);
    }));
    r.post(c + "/events/delete", ctx -> answer(ctx, x -> {
      Map<String, Object> b = ControlApi.body(x);
      calendar.deleteByHand(str(b, "calendar_id"), str(b, "event_id"));
      return obj("ok", true);
    }));
    r.post(c + "/faults", ctx -> answer(ctx, x -> {
      Map<String, Object> b = ControlApi.body(x);
      int status = num(b, "status").intValue();
      int times = b.get("times") == null ? 1 : num(b, "times").intValue();
      if (Boolean.TRUE.equals(b.get("after_processing"))) {
        calendar.failAfterProcessing(str(b, "method"), status, times);
      } else {
        calendar.fail(str(b, "method"), status, b.get("reason") == null ? null : str(b, "reason"), times);
      }
      return calendar.pendingFaults();
    }));
    r.get(c + "/faults", ctx -> answer(ctx, x -> calendar.pendingFaults()));
    r.get(c + "/requests", ctx -> answer(ctx, x -> calendar.requests()));
    r.post(c + "/reset", ctx -> answer(ctx, x -> {
      calendar.reset();
      return obj("ok", true);
    }));

    String h = prefix + "/api/harvest";
    r.get(h + "/time_entries", ctx -> answer(ctx, harvest::state));
    r.post(h + "/users", ctx -> answer(ctx, x -> {
      Map<String, Object> b = ControlApi.body(x);
      harvest.addUser(num(b, "id").longValue(), str(b, "first_name"), str(b, "last_name"), str(b, "email"),
          !Boolean.FALSE.equals(b.get("is_active")));
      return obj("ok", true);
    }));
    r.post(h + "/projects", ctx -> answer(ctx, x -> {
      Map<String, Object> b = ControlApi.body(x);
      harvest.addProject(num(b, "id").longValue(), str(b, "name"), b.get("code") == null ? "" : String.valueOf(b.get("code")));
      return obj("ok", true);
    }));
    r.post(h + "/task_assignments", ctx -> answer(ctx, x -> {
      Map<String, Object> b = ControlApi.body(x);
      harvest.addTask(num(b, "project_id").longValue(), num(b, "task_id").longValue(), str(b, "name"));
      return obj("ok", true);
    }));
    r.post(h + "/company", ctx -> answer(ctx, x -> {
      Map<String, Object> b = ControlApi.body(x);
      if (!(b.get("wants_timestamp_timers") instanceof Boolean on)) {
        throw new IllegalArgumentException("wants_timestamp_timers must be true or false");
      }
      harvest.setTimestampTimers(on);
      return obj("ok", true);
    }));
    r.post(h + "/time_entries/delete", ctx -> answer(ctx, x -> {
      harvest.deleteByHand(num(ControlApi.body(x), "id").longValue());
      return obj("ok", true);
    }));
    r.post(h + "/faults", ctx -> answer(ctx, x -> {
      Map<String, Object> b = ControlApi.body(x);
      int status = num(b, "status").intValue();
      int times = b.get("times") == null ? 1 : num(b, "times").intValue();
      if (Boolean.TRUE.equals(b.get("after_processing"))) {
        harvest.failAfterProcessing(str(b, "method"), status, times);
      } else {
        harvest.fail(str(b, "method"), status, times);
      }
      return harvest.pendingFaults();
    }));
    r.get(h + "/faults", ctx -> answer(ctx, x -> harvest.pendingFaults()));
    r.get(h + "/requests", ctx -> answer(ctx, x -> harvest.requests()));
    r.post(h + "/reset", ctx -> answer(ctx, x -> {
      harvest.reset();
      return obj("ok", true);
    }));
  }

  /** Writes the JSON with nulls kept (Harvest's shapes have them); bad input is 400, a service-shaped refusal as is. */
  private static void answer(Context ctx, Function<Context, Object> f) {
    Reply reply;
    try {
      reply = Reply.json(200, f.apply(ctx));
    } catch (IllegalArgumentException e) {
      reply = Reply.json(400, obj("error", String.valueOf(e.getMessage())));
    } catch (ErrorReply e) {
      reply = e.reply;
    }
    FakeHttp.send(ctx, reply);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String str(Map<String, Object> b, String key) {
    Object v = b.get(key);
    if (v == null || v.toString().isEmpty()) throw new IllegalArgumentException("missing " + key);
    return v.toString();
  }

  private static Number num(Map<String, Object> b, String key) {
    if (!(b.get(key) instanceof Number n)) throw new IllegalArgumentException(key + " must be a number");
    return n;
  }
}
