package dev.tandem.leave.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.methods.response.users.UsersInfoResponse;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import dev.tandem.leave.LeaveConfig;
import dev.tandem.leave.LeaveIds;
import dev.tandem.leave.intake.LeaveRequests.Kind;
import dev.tandem.leave.intake.LeaveRequests.Request;
import dev.tandem.leave.intake.LeaveRequests.Status;
import dev.tandem.leave.intake.RequestMessages.Message;
import dev.tandem.leave.parse.ParsedLeave;
import dev.tandem.leave.people.LeavePeople;
import dev.tandem.leave.people.LeavePeople.Person;
import dev.tandem.leave.records.LeaveRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages the gate let through, in jobs: finds (or registers) the poster, reads the message with
 * its thread, and proposes what it understood in the thread: a confirmation with buttons, or a
 * question when no date was found. A newer request of the same person in the same thread
 * supersedes the older one; an edited message re-reads its pending request; a deleted one
 * withdraws it.
 */
public final class LeaveIntake {
  private static final Logger log = LoggerFactory.getLogger(LeaveIntake.class);
  private static final int UPCOMING_SHOWN = 10;

  private final Jdbi jdbi;
  private final LeaveConfig config;
  private final LeavePeople people;
  private final LeaveRequests requests;
  private final LeaveRecords records;
  private final Understanding understanding;
  private final Replies replies;
  private final Clock clock;
  private final MeterRegistry metrics;
  private volatile SlackApp app;

  /** A message as the intake needs it; {@code threadTs} is the thread's root (its own ts at the top level). */
  record Incoming(String eventId, String workspaceId, String channel, String user, String ts, String threadTs, String text) {
    boolean reply() {
      return !threadTs.equals(ts);
    }
  }

  /** What a parser made of a message, and which parser it was ("rules" or "llm"). */
  public record Understood(ParsedLeave leave, String source) {}

  /** Reads a message: the configured parser (the LLM one falls back to the rules by itself). */
  @FunctionalInterface
  public interface Understanding {
    Understood read(String text, LocalDate today, List<String> thread);
  }

  public LeaveIntake(Jdbi jdbi, LeaveConfig config, LeavePeople people, LeaveRequests requests, LeaveRecords records,
      Understanding understanding, Clock clock, MeterRegistry metrics) {
    this.jdbi = jdbi;
    this.config = config;
    this.people = people;
    this.requests = requests;
    this.records = records;
    this.understanding = understanding;
    this.clock = clock;
    this.metrics = metrics;
    this.replies = new Replies(this::slack, metrics);
  }

  Replies replies() {
    return replies;
  }

  SlackApp slack() {
    SlackApp a = app;
    if (a == null) {
      throw new IllegalStateException("the Leave Slack app is not configured (SLACK_LEAVE_* settings)");
    }
    return a;
  }

  public void attach(SlackApp slackApp) {
    this.app = slackApp;
    slackApp.on("message", this::posted);
    slackApp.on("message.thread_broadcast", this::posted);
    slackApp.on("message.file_share", this::posted);
    slackApp.on("message.message_changed", this::edited);
    slackApp.on("message.message_deleted", this::deleted);
  }

  private void posted(SlackEvent e) throws Exception {
    JsonNode ev = e.event();
    Incoming in = incoming(e, ev);
    Optional<Request> made = requests.byEvent(e.eventId());
    if (made.isPresent()) {
      finishPosting(made.get()); // a retry after a crash: the request exists, its message may not
      return;
    }
    Optional<Person> person = poster(in);
    if (person.isEmpty()) {
      return;
    }
    List<String> thread = in.reply() ? threadBefore(in) : List.of();
    remember(in);
    propose(in, person.get(), read(in, person.get(), thread));
  }

  private void edited(SlackEvent e) throws Exception {
    JsonNode ev = e.event();
    JsonNode message = ev.path("message");
    Incoming in = incoming(e, message);
    Optional<Request> latest = requests.latestForMessage(in.channel(), in.ts());
    Optional<Request> made = requests.byEvent(e.eventId());
    if (made.isPresent()) {
      finishPosting(made.get());
      return;
    }
    Optional<Person> person = latest.flatMap(r -> people.byId(r.personId()));
    if (person.isEmpty()) {
      person = poster(in);
    }
    if (person.isEmpty()) {
      return;
    }
    List<String> thread = in.reply() ? threadBefore(in) : List.of();
    remember(in);
    Understood understood = read(in, person.get(), thread);
    if (latest.isPresent() && latest.get().status() == Status.PENDING) {
      Request r = latest.get();
      if (!understood.leave().isLeave()) {
        if (requests.transition(r.id(), Status.PENDING, Status.CANCELLED, "the announcement was edited and no longer names leave")) {
          rewrite(r, RequestMessages.withdrawn(r, "The announcement was edited and no longer names leave."));
          count("edit_withdrew");
        }
        return;
      }
      Kind kind = understood.leave().isCancellation() ? Kind.CANCEL : Kind.CREATE;
      if (requests.amend(r.id(), kind, understood.leave().dates(), understood.leave().dropped(),
          released(in, r.personId(), kind, understood.leave()), understood.source())) {
        Request amended = requests.byId(r.id()).orElseThrow();
        rewrite(amended, message(amended, person.get()));
        count("edit_updated");
      }
      return;
    }
    if (latest.isPresent() && latest.get().dates().equals(understood.leave().dates())
        && latest.get().kind() == (understood.leave().isCancellation() ? Kind.CANCEL : Kind.CREATE)) {
      return; // an edit that changes no date (a typo fixed) after the request was answered
    }
    propose(in, person.get(), understood);
  }

  private void deleted(SlackEvent e) throws Exception {
    JsonNode ev = e.event();
    String channel = ev.path("channel").asText();
    String ts = ev.path("deleted_ts").asText();
    jdbi.useHandle(h -> h.execute("DELETE FROM leave_thread_message WHERE channel_id = ? AND ts = ?", channel, ts));
    Optional<Request> latest = requests.latestForMessage(channel, ts);
    if (latest.isPresent() && latest.get().status() == Status.PENDING
        && requests.transition(latest.get().id(), Status.PENDING, Status.CANCELLED, "the announcement was deleted")) {
      rewrite(latest.get(), RequestMessages.withdrawn(latest.get(), "The announcement was deleted."));
      count("delete_withdrew");
    }
  }

  /** Stores the request, supersedes older pending ones of the person in the thread, and posts it. */
  private void propose(Incoming in, Person person, Understood understood) throws Exception {
    ParsedLeave leave = understood.leave();
    if (!leave.isLeave()) {
      count("not_leave");
      return;
    }
    Kind kind = leave.isCancellation() ? Kind.CANCEL : Kind.CREATE;
    Request r = new Request(LeaveIds.newId(), in.eventId(), person.id(), in.workspaceId(), in.user(), in.channel(), in.ts(), in.threadTs(),
        kind, Status.PENDING, Optional.empty(), leave.dates(), leave.dropped(), released(in, person.id(), kind, leave),
        understood.source(), Optional.empty(), clock.instant().plus(config.current().expiry()));
    List<Request> superseded = jdbi.inTransaction(h -> {
      if (!requests.insert(h, r)) {
        return null;
      }
      List<Request> older = new java.util.ArrayList<>(requests.pendingInThread(h, in.channel(), in.threadTs(), in.user(), r.id()));
      older.removeIf(o -> !requests.transition(h, o.id(), Status.PENDING, Status.EXPIRED, "superseded by a newer request"));
      return older;
    });
    if (superseded == null) {
      return; // the same event made a request in a concurrent run
    }
    for (Request old : superseded) {
      rewrite(old, RequestMessages.superseded(old));
    }
    count(r.dates().isEmpty() ? "asked_for_dates" : "proposed");
    finishPosting(r);
  }

  /**
   * A reply in a thread is the thread's whole amended request (contract rule 12): days recorded
   * by an earlier confirmed request of the thread that it no longer holds are to be cancelled.
   */
  private List<LocalDate> released(Incoming in, String personId, Kind kind, ParsedLeave leave) {
    if (!in.reply() || kind != Kind.CREATE || leave.dates().isEmpty()) {
      return List.of();
    }
    java.util.Set<LocalDate> kept = leave.dates().stream().map(ParsedLeave.Day::date).collect(Collectors.toSet());
    return records.ofRequests(personId, requests.confirmedInThread(in.channel(), in.threadTs(), in.user())).stream()
        .map(x -> x.day().date()).filter(d -> !kept.contains(d)).distinct().sorted().toList();
  }

  /** Posts a stored request's message unless it has one. */
  private void finishPosting(Request r) throws Exception {
    if (r.botTs().isPresent() || r.status() != Status.PENDING) {
      return;
    }
    Person person = people.byId(r.personId()).orElseThrow();
    Optional<String> ts = replies.post(r.workspaceId(), r.channelId(), r.threadTs(), message(r, person));
    if (ts.isPresent()) {
      requests.setBotTs(r.id(), ts.get());
    } else {
      requests.transition(r.id(), Status.PENDING, Status.CANCELLED, "Slack refused the confirmation message");
    }
  }

  Message message(Request r, Person person) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), person.zone());
    if (r.dates().isEmpty()) {
      return RequestMessages.askForDates(r, r.kind() == Kind.CANCEL ? records.from(person.id(), today, UPCOMING_SHOWN) : List.of());
    }
    Map<LocalDate, LeaveRecords.Record> recorded = records.onDays(person.id(), r.dates().stream().map(ParsedLeave.Day::date).toList())
        .stream().collect(Collectors.toMap(x -> x.day().date(), Function.identity()));
    LeaveConfig.Current cfg = config.current();
    return RequestMessages.pending(r, new RequestMessages.Context(recorded, cfg.expiry(), cfg.farFuture(), today));
  }

  /** Rewrites the bot's message of a request, when it has one. */
  void rewrite(Request r, Message m) throws Exception {
    if (r.botTs().isPresent()) {
      replies.update(r.workspaceId(), r.channelId(), r.botTs().get(), m);
    }
  }

  private Understood read(Incoming in, Person person, List<String> thread) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), person.zone());
    return understanding.read(in.text(), today, thread);
  }

  /**
   * The poster as a person: known, or registered from their Slack profile when auto-registration
   * is on. Otherwise (or when the person is inactive) they are told in the thread, and empty.
   */
  private Optional<Person> poster(Incoming in) throws Exception {
    Optional<Person> known = people.bySlackUser(in.workspaceId(), in.user());
    LeaveConfig.Current cfg = config.current();
    if (known.isEmpty() && cfg.autoRegister()) {
      SlackApp slack = slack();
      UsersInfoResponse info = slack.calls().call(in.workspaceId(), "users.info", null,
          () -> slack.client(null, in.workspaceId()).usersInfo(r -> r.user(in.user())));
      if (!info.isOk() || info.getUser() == null) {
        throw new IllegalStateException("users.info for " + in.user() + " in " + in.workspaceId() + " answered " + info.getError());
      }
      var u = info.getUser();
      String name = Optional.ofNullable(u.getProfile()).map(p -> p.getDisplayName()).filter(s -> s != null && !s.isBlank())
          .or(() -> Optional.ofNullable(u.getRealName())).filter(s -> !s.isBlank()).orElse(u.getName());
      Optional<String> email = Optional.ofNullable(u.getProfile()).map(p -> p.getEmail()).filter(s -> !s.isBlank());
      Person registered = people.register(in.workspaceId(), in.user(), new LeavePeople.Profile(name, email, Optional.ofNullable(u.getTz())),
          cfg.defaultZone());
      log.info("leave: registered {} ({}) from workspace {}", in.user(), registered.id(), in.workspaceId());
      count("registered");
      known = Optional.of(registered);
    }
    if (known.isPresent() && known.get().active()) {
      return known;
    }
    if (!in.reply() || requests.activeInThread(in.channel(), in.threadTs(), in.user(), LocalDate.now(clock))) {
      replies.post(in.workspaceId(), in.channel(), in.threadTs(), RequestMessages.notRegistered(in.user(), known.isPresent()));
    }
    count(known.isPresent() ? "inactive" : "unregistered");
    return Optional.empty();
  }

  /** The person's own earlier messages in the thread, oldest first. */
  private List<String> threadBefore(Incoming in) {
    return jdbi.withHandle(h -> h.createQuery("SELECT text FROM leave_thread_message WHERE channel_id = :c AND thread_ts = :t"
            + " AND user_id = :u AND ts < :ts ORDER BY ts")
        .bind("c", in.channel()).bind("t", in.threadTs()).bind("u", in.user()).bind("ts", in.ts()).mapTo(String.class).list());
  }

  private void remember(Incoming in) {
    String text = in.text().length() > 4000 ? in.text().substring(0, 4000) : in.text();
    jdbi.useTransaction(h -> {
      int updated = h.execute("UPDATE leave_thread_message SET text = ? WHERE channel_id = ? AND ts = ?", text, in.channel(), in.ts());
      if (updated == 0) {
        h.execute("INSERT INTO leave_thread_message (channel_id, ts, thread_ts, user_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            in.channel(), in.ts(), in.threadTs(), in.user(), text, clock.millis());
      }
    });
  }

  private static Incoming incoming(SlackEvent e, JsonNode message) {
    String ts = message.path("ts").asText();
    return new Incoming(e.eventId(), e.teamId().or(e::enterpriseId).orElseThrow(), e.event().path("channel").asText(),
        message.path("user").asText(), ts, message.path("thread_ts").asText(ts), message.path("text").asText(""));
  }

  private void count(String outcome) {
    Counter.builder("tandem.leave.messages").description("Messages the Leave app read, by what came of them")
        .tag("outcome", outcome).register(metrics).increment();
  }
}
