package dev.tandem.leave.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.model.Message;
import dev.tandem.core.jobs.JobContext;
import dev.tandem.core.jobs.JobHandler;
import dev.tandem.core.jobs.JobQueue;
import dev.tandem.core.jobs.JobRequest;
import dev.tandem.core.jobs.RetryLater;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.leave.LeaveConfig;
import dev.tandem.leave.intake.LeaveRequests.Kind;
import dev.tandem.leave.intake.LeaveRequests.Request;
import dev.tandem.leave.intake.LeaveRequests.Status;
import dev.tandem.leave.parse.ParsedLeave;
import dev.tandem.leave.people.LeavePeople;
import dev.tandem.leave.people.LeavePeople.Person;
import dev.tandem.leave.records.LeaveRecords;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's message of each request, kept in step with the request: every status change enqueues
 * the job {@value #JOB} in the same transaction, and the job posts the message (first time) or
 * rewrites it from what is stored, so a crash can never leave a finished request showing live
 * buttons. Posts carry the request id as message metadata: Slack's echo records the message's ts
 * ({@link LeaveGate}), and a retry after an unknown outcome looks for it in the thread before
 * posting again.
 */
public final class Confirmations implements JobHandler {
  public static final String JOB = "leave.render";
  static final String METADATA_TYPE = "tandem_leave_request";
  private static final Logger log = LoggerFactory.getLogger(Confirmations.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int UPCOMING_SHOWN = 10;

  private final JobQueue queue;
  private final LeaveConfig config;
  private final LeavePeople people;
  private final LeaveRequests requests;
  private final LeaveRecords records;
  private final Replies replies;
  private final Supplier<SlackApp> app;
  private final Clock clock;

  Confirmations(JobQueue queue, LeaveConfig config, LeavePeople people, LeaveRequests requests, LeaveRecords records, Replies replies,
      Supplier<SlackApp> app, Clock clock) {
    this.queue = queue;
    this.config = config;
    this.people = people;
    this.requests = requests;
    this.records = records;
    this.replies = replies;
    this.app = app;
    this.clock = clock;
  }

  /** Brings the request's message up to date, after the caller's transaction commits. */
  void render(Handle h, String requestId) {
    queue.enqueue(h, JobRequest.of(JOB, JSON.createObjectNode().put("request", requestId).toString()).orderedBy(JOB + ":" + requestId));
  }

  @Override
  public void run(JobContext job) throws Exception {
    String id = JSON.readTree(job.payload()).path("request").asText();
    Optional<Request> found = requests.byId(id);
    if (found.isEmpty()) {
      return;
    }
    Request r = found.get();
    Person person = people.byId(r.personId()).orElseThrow();
    if (r.botTs().isEmpty()) {
      if (r.status() == Status.PENDING) {
        post(r, person, job.attempt() > 1);
      }
      return; // a request that ended before its message was posted has nothing to rewrite
    }
    replies.update(r.workspaceId(), r.channelId(), r.botTs().get(), message(r, person));
  }

  private void post(Request r, Person person, boolean retry) throws Exception {
    if (retry) {
      Optional<String> earlier = findPosted(r);
      if (earlier.isPresent()) {
        requests.recordBotTs(r.id(), earlier.get());
        replies.update(r.workspaceId(), r.channelId(), earlier.get(), message(requests.byId(r.id()).orElseThrow(), person));
        return;
      }
    }
    Optional<String> ts = replies.post(r.workspaceId(), r.channelId(), r.threadTs(), message(r, person), METADATA_TYPE, Map.of("r", r.id()));
    if (ts.isPresent()) {
      requests.recordBotTs(r.id(), ts.get());
    } else {
      // Slack refused for good (the bot was removed from the channel, the thread is gone): logged
      // and counted by Replies; nobody can answer a request they cannot see
      requests.transition(r.id(), Status.PENDING, Status.CANCELLED, LeaveRequests.NOTE_REFUSED);
    }
  }

  /**
   * After an attempt whose outcome is unknown: the echo may have recorded the message already;
   * else the thread is read once (a scarce call since 2025, so only on this path).
   */
  private Optional<String> findPosted(Request r) throws Exception {
    Optional<String> echoed = requests.byId(r.id()).flatMap(Request::botTs);
    if (echoed.isPresent()) {
      return echoed;
    }
    SlackApp slack = app.get();
    try {
      var thread = slack.calls().call(r.workspaceId(), "conversations.replies", r.channelId(), () -> slack.client(null, r.workspaceId())
          .conversationsReplies(q -> q.channel(r.channelId()).ts(r.threadTs()).includeAllMetadata(true).limit(200)));
      for (Message m : thread.isOk() && thread.getMessages() != null ? thread.getMessages() : List.<Message>of()) {
        if (m.getMetadata() != null && METADATA_TYPE.equals(m.getMetadata().getEventType()) && m.getMetadata().getEventPayload() != null
            && r.id().equals(String.valueOf(m.getMetadata().getEventPayload().get("r")))) {
          log.info("leave: request {} had been posted (found in its thread as {}); not posting again", r.id(), m.getTs());
          return Optional.of(m.getTs());
        }
      }
    } catch (RetryLater spent) {
      log.info("leave: request {} - no thread read available ({}); posting again", r.id(), spent.getMessage());
    }
    return Optional.empty();
  }

  /** The message a request shows now. */
  RequestMessages.Message message(Request r, Person person) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), person.zone());
    return switch (r.status()) {
      case PENDING -> pending(r, person, today);
      case CONFIRMED, PROCESSING, COMPLETED -> RequestMessages.confirmed(r, LeaveRequests.changed(r.statusNote()), records.stepsOf(r.id()));
      case CANCELLED -> RequestMessages.cancelled(r);
      case EXPIRED -> RequestMessages.expired(r);
    };
  }

  private RequestMessages.Message pending(Request r, Person person, LocalDate today) {
    if (r.dates().isEmpty()) {
      return RequestMessages.askForDates(r, r.kind() == Kind.CANCEL ? records.from(person.id(), today, UPCOMING_SHOWN) : List.of());
    }
    Map<LocalDate, LeaveRecords.Record> recorded = records.onDays(person.id(), r.dates().stream().map(ParsedLeave.Day::date).toList())
        .stream().collect(Collectors.toMap(x -> x.day().date(), Function.identity()));
    return RequestMessages.pending(r, new RequestMessages.Context(recorded, java.time.Duration.between(clock.instant(), r.expiresAt()),
        config.current().farFuture(), today));
  }
}
