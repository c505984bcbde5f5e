package dev.tandem.leave.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.methods.response.users.UsersInfoResponse;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRegistry;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import dev.tandem.leave.LeaveConfig;
import dev.tandem.leave.LeaveIds;
import dev.tandem.leave.intake.LeaveRequests.Kind;
import dev.tandem.leave.intake.LeaveRequests.Request;
import dev.tandem.leave.intake.LeaveRequests.Status;
import dev.tandem.leave.parse.ParsedLeave;
import dev.tandem.leave.people.LeavePeople;
import dev.tandem.leave.people.LeavePeople.Person;
import dev.tandem.leave.records.LeaveRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages the gate let through, in jobs: finds (or registers) the poster, reads the message with
 * its thread, and stores what it understood as a request, whose message {@link Confirmations}
 * posts: a confirmation with buttons, or a question when no date was found. A newer request of
 * the same person in the same thread supersedes the older one; an edited message re-reads its
 * pending request; a deleted one withdraws it. Each change and the job that shows it are one
 * transaction.
 */
public final class LeaveIntake {
  private static final Logger log = LoggerFactory.getLogger(LeaveIntake.class);
  /** users.info answers after which asking again cannot help. */
  private static final Set<String> UNKNOWN_USER = Set.of("user_not_found", "user_not_visible", "account_inactive");

  private final Jdbi jdbi;
  private final LeaveConfig config;
  private final LeavePeople people;
  private final LeaveRequests requests;
  private final LeaveRecords records;
  private final Understanding understanding;
  private final Replies replies;
  private final Confirmations confirmations;
  private final Clock clock;
  private final MeterRegistry metrics;
  private volatile SlackApp app;

  /**
   * A message as the intake needs it; {@code threadTs} is the thread's root (its own ts at the top
   * level); {@code edit} when it comes from a {@code message_changed} event.
   */
  record Incoming(String eventId, String workspaceId, String channel, String user, String ts, String threadTs, String text, boolean edit) {
    boolean reply() {
      return !threadTs.equals(ts);
    }

    /** When the message was posted (an edit keeps its message's ts): the day its relative words mean. */
    Instant postedAt() {
      return Instant.ofEpochMilli(new BigDecimal(ts).movePointRight(3).longValue());
    }
  }

  /** What a parser made of a message, and which parser it was ("rules", "llm", or "rules:&lt;why the LLM was not used&gt;"). */
  public record Understood(ParsedLeave leave, String source) {}

  /** Reads a message: the configured parser (the LLM one falls back to the rules by itself). */
  @FunctionalInterface
  public interface Understanding {
    Understood read(String text, LocalDate today, List<String> thread);
  }

  public LeaveIntake(Jdbi jdbi, JobQueue queue, LeaveConfig config, LeavePeople people, LeaveRequests requests, LeaveRecords records,
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
    this.confirmations = new Confirmations(queue, config, people, requests, records, replies, this::slack, clock);
  }

  Confirmations confirmations() {
    return confirmations;
  }

  /** Renders a request's message again after the caller's transaction (its steps moved on). */
  public void render(org.jdbi.v3.core.Handle h, String requestId) {
    confirmations.render(h, requestId);
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
    slackApp.on("message.message_deleted", e -> deleted(e.event().path("channel").asText(), e.event().path("deleted_ts").asText()));
  }

  public void registerJobs(JobRegistry jobs) {
    jobs.handle(Confirmations.JOB, confirmations);
  }

  private void posted(SlackEvent e) throws Exception {
    Incoming in = incoming(e, e.event(), false);
    if (requests.byEvent(e.eventId()).isPresent()) {
      return; // a retry after a crash: the request and the job that posts it were stored together
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
    JsonNode message = e.event().path("message");
    if ("tombstone".equals(message.path("subtype").asText())) {
      // a deleted message that has replies (ours, at least) stays as a tombstone: Slack reports an edit
      deleted(e.event().path("channel").asText(), message.path("ts").asText());
      return;
    }
    Incoming in = incoming(e, message, true);
    if (requests.byEvent(e.eventId()).isPresent()) {
      return;
    }
    Optional<Request> latest = requests.latestForMessage(in.channel(), in.ts());
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
    ParsedLeave leave = understood.leave();
    if (latest.isPresent() && latest.get().status() == Status.PENDING) {
      Request r = latest.get();
      boolean changed = jdbi.inTransaction(h -> {
        boolean done = leave.isLeave()
            ? requests.amend(h, r.id(), kind(leave), leave.dates(), leave.dropped(), released(in, r.personId(), kind(leave), leave),
                understood.source())
            : requests.transition(h, r.id(), Status.PENDING, Status.CANCELLED, LeaveRequests.NOTE_EDITED);
        if (done) {
          confirmations.render(h, r.id());
        }
        return done;
      });
      if (changed) {
        count(leave.isLeave() ? "edit_updated" : "edit_withdrew");
      }
      return;
    }
    if (latest.isPresent() && latest.get().dates().equals(leave.dates()) && latest.get().kind() == kind(leave)) {
      return; // an edit that changes no date (a typo fixed) after the request was answered
    }
    propose(in, person.get(), understood);
  }

  private void deleted(String channel, String ts) {
    jdbi.useHandle(h -> h.execute("DELETE FROM leave_thread_message WHERE channel_id = ? AND ts = ?", channel, ts));
    Optional<Request> latest = requests.latestForMessage(channel, ts);
    if (latest.isPresent() && latest.get().status() == Status.PENDING && jdbi.inTransaction(h -> {
      boolean done = requests.transition(h, latest.get().id(), Status.PENDING, Status.CANCELLED, LeaveRequests.NOTE_DELETED);
      if (done) {
        confirmations.render(h, latest.get().id());
      }
      return done;
    })) {
      count("delete_withdrew");
    }
  }

  /** Stores the request with the job that posts it, and supersedes older pending ones of the person in the thread. */
  private void propose(Incoming in, Person person, Understood understood) {
    ParsedLeave leave = understood.leave();
    if (!leave.isLeave()) {
      count("not_leave");
      return;
    }
    Request r = new Request(LeaveIds.newId(), in.eventId(), person.id(), in.workspaceId(), in.user(), in.channel(), in.ts(), in.threadTs(),
        kind(leave), Status.PENDING, Optional.empty(), leave.dates(), leave.dropped(), released(in, person.id(), kind(leave), leave),
        understood.source(), Optional.empty(), clock.instant().plus(config.current().expiry()));
    jdbi.useTransaction(h -> {
      if (!requests.insert(h, r)) {
        return; // the same event made a request in a concurrent run
      }
      for (Request older : requests.pendingInThread(h, in.channel(), in.threadTs(), in.user(), r.id())) {
        if (requests.transition(h, older.id(), Status.PENDING, Status.EXPIRED, LeaveRequests.NOTE_SUPERSEDED)) {
          confirmations.render(h, older.id());
        }
      }
      confirmations.render(h, r.id());
    });
    count(r.dates().isEmpty() ? "asked_for_dates" : "proposed");
  }

  private static Kind kind(ParsedLeave leave) {
    return leave.isCancellation() ? Kind.CANCEL : Kind.CREATE;
  }

  /**
   * A reply in a thread is the thread's whole amended request (contract rule 12), and an edited
   * announcement is its whole new request: days that earlier confirmed requests of the thread (or
   * of the edited message) recorded and the new one no longer holds are to be cancelled. Days
   * already past are left alone.
   */
  private List<LocalDate> released(Incoming in, String personId, Kind kind, ParsedLeave leave) {
    if (!(in.reply() || in.edit()) || kind != Kind.CREATE || leave.dates().isEmpty()) {
      return List.of();
    }
    Set<LocalDate> kept = leave.dates().stream().map(ParsedLeave.Day::date).collect(Collectors.toSet());
    LocalDate today = LocalDate.ofInstant(clock.instant(), people.byId(personId).map(Person::zone).orElse(config.current().defaultZone()));
    List<String> earlier = in.reply() ? requests.confirmedInThread(in.channel(), in.threadTs(), in.user())
        : requests.confirmedForMessage(in.channel(), in.ts());
    return records.ofRequests(personId, earlier).stream().map(x -> x.day().date())
        .filter(d -> !kept.contains(d) && !d.isBefore(today)).distinct().sorted().toList();
  }

  private Understood read(Incoming in, Person person, List<String> thread) {
    return understanding.read(in.text(), LocalDate.ofInstant(in.postedAt(), person.zone()), thread);
  }

  /**
   * The poster as a person: known, or registered from their Slack profile when auto-registration
   * is on. Otherwise (or when the person is inactive, or Slack does not know them) they are told in
   * the thread, and empty.
   */
  private Optional<Person> poster(Incoming in) throws Exception {
    Optional<Person> known = people.bySlackUser(in.workspaceId(), in.user());
    LeaveConfig.Current cfg = config.current();
    if (known.isEmpty() && cfg.autoRegister()) {
      SlackApp slack = slack();
      UsersInfoResponse info = slack.calls().call(in.workspaceId(), "users.info", null,
          () -> slack.client(null, in.workspaceId()).usersInfo(r -> r.user(in.user())));
      if (!info.isOk() && UNKNOWN_USER.contains(info.getError())) {
        log.warn("leave: users.info for {} in {} answered {}; the poster is told", in.user(), in.workspaceId(), info.getError());
        replies.post(in.workspaceId(), in.channel(), in.threadTs(), RequestMessages.notRegistered(in.user(), false));
        count("profile_unreadable");
        return Optional.empty();
      }
      if (!info.isOk() || info.getUser() == null) {
        throw new IllegalStateException("users.info for " + in.user() + " in " + in.workspaceId() + " answered " + info.getError());
      }
      Person registered = people.register(in.workspaceId(), in.user(), LeavePeople.profileOf(info.getUser()), cfg.defaultZone());
      log.info("leave: registered {} ({}) from workspace {}", in.user(), registered.id(), in.workspaceId());
      count("registered");
      known = Optional.of(registered);
    }
    if (known.isPresent() && known.get().active()) {
      return known;
    }
    replies.post(in.workspaceId(), in.channel(), in.threadTs(), RequestMessages.notRegistered(in.user(), known.isPresent()));
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

  private static Incoming incoming(SlackEvent e, JsonNode message, boolean edit) {
    String ts = message.path("ts").asText();
    return new Incoming(e.eventId(), e.teamId().or(e::enterpriseId).orElseThrow(), e.event().path("channel").asText(),
        message.path("user").asText(), ts, message.path("thread_ts").asText(ts), message.path("text").asText(""), edit);
  }

  private void count(String outcome) {
    Counter.builder("tandem.leave.messages").description("Messages the Leave app read, by what came of them")
        .tag("outcome", outcome).register(metrics).increment();
  }
}
