package dev.tandem.leave.intake;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.leave.intake.LeaveRequests.Kind;
import dev.tandem.leave.intake.LeaveRequests.Request;
import dev.tandem.leave.intake.LeaveRequests.Status;
import dev.tandem.leave.parse.ParsedLeave;
import dev.tandem.leave.records.LeaveRecords;
import dev.tandem.leave.steps.LeaveSteps;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confirm and Cancel buttons of a request, and its expiry. Only the poster may press them:
 * anyone else is told so in a message only they see, and nothing changes. A request past its
 * time is expired when pressed, even before the sweep has reached it. Every answer is one
 * transaction: a conditional status change (so double clicks and races with the sweep or an edit
 * settle on one outcome), the records read from the request as stored at that moment, and the
 * job that rewrites the message; the press is acknowledged right after it.
 */
public final class LeaveButtons {
  /** The sweep that expires unanswered requests. */
  public static final String EXPIRY_JOB = "leave.expire";
  private static final Logger log = LoggerFactory.getLogger(LeaveButtons.class);

  private final Jdbi jdbi;
  private final LeaveRequests requests;
  private final LeaveRecords records;
  private final Confirmations confirmations;
  private final LeaveSteps steps;
  private final Clock clock;
  private final MeterRegistry metrics;

  public LeaveButtons(Jdbi jdbi, LeaveRequests requests, LeaveRecords records, LeaveIntake intake, LeaveSteps steps, Clock clock,
      MeterRegistry metrics) {
    this.jdbi = jdbi;
    this.steps = steps;
    this.requests = requests;
    this.records = records;
    this.confirmations = intake.confirmations();
    this.clock = clock;
    this.metrics = metrics;
  }

  public void attach(SlackApp app) {
    app.bolt().blockAction(RequestMessages.CONFIRM, (req, ctx) -> answered(req, ctx, true));
    app.bolt().blockAction(RequestMessages.CANCEL, (req, ctx) -> answered(req, ctx, false));
  }

  /** What a press came to, for the metric and the person. */
  private record Outcome(String tag, String tell) {}

  private Response answered(BlockActionRequest req, ActionContext ctx, boolean confirm) {
    BlockActionPayload p = req.getPayload();
    String action = confirm ? "confirm" : "cancel";
    Outcome outcome;
    try {
      outcome = answer(p, confirm);
    } catch (RuntimeException e) {
      // every change is one transaction: when it throws, nothing was changed
      log.error("leave: the {} button failed", action, e);
      outcome = new Outcome("error", "Something went wrong and nothing changed; please press the button again in a minute.");
    }
    Counter.builder("tandem.leave.buttons").description("Presses of the Leave app's Confirm and Cancel buttons, by outcome")
        .tag("action", action).tag("outcome", outcome.tag()).register(metrics).increment();
    if (outcome.tell() != null) {
      tell(ctx, p, outcome.tell());
    }
    return ctx.ack();
  }

  private Outcome answer(BlockActionPayload p, boolean confirm) {
    String presser = p.getUser().getId();
    String value = p.getActions() == null || p.getActions().isEmpty() ? null : p.getActions().get(0).getValue();
    Optional<Request> found = value == null ? Optional.empty() : requests.byId(value);
    if (found.isEmpty()) {
      return new Outcome("unknown_request", "This request no longer exists; nothing changed.");
    }
    Request r = found.get();
    // user ids are global in Slack (a Slack Connect or Grid user presses with their own home team)
    if (!r.userId().equals(presser)) {
      return new Outcome("not_the_poster", "Only <@" + r.userId() + "> can answer this request, so nothing changed."
          + " To announce your own leave, post it in this channel.");
    }
    if (r.status() == Status.PENDING && !clock.instant().isBefore(r.expiresAt())) {
      expire(r);
      return new Outcome("expired", "This request expired before it was answered; nothing was recorded. Post your leave again to record it.");
    }
    if (r.status() != Status.PENDING || r.dates().isEmpty()) {
      return new Outcome("already_answered", "This request is already " + LeaveRequests.name(r.status()) + "; nothing changed.");
    }
    Optional<Request> answered = jdbi.inTransaction(h -> {
      Status to = confirm ? Status.CONFIRMED : Status.CANCELLED;
      if (!requests.transition(h, r.id(), Status.PENDING, to, confirm ? null : LeaveRequests.NOTE_POSTER)) {
        return Optional.<Request>empty();
      }
      // what is stored now, which an edit may have amended since the press was read
      Request now = requests.byId(h, r.id()).orElseThrow();
      if (confirm) {
        List<String> changed = new ArrayList<>();
        if (now.kind() == Kind.CANCEL) {
          changed.addAll(records.cancel(h, now.personId(), now.dates().stream().map(ParsedLeave.Day::date).toList(), now.id()));
        } else {
          changed.addAll(records.cancel(h, now.personId(), now.released(), now.id()));
          int released = changed.size();
          changed.addAll(records.confirm(h, now.personId(), now.dates(), now.id()));
          h.execute("UPDATE leave_request SET status_note = ? WHERE id = ?", LeaveRequests.changedNote(changed.size() - released), now.id());
        }
        if (now.kind() == Kind.CANCEL) {
          h.execute("UPDATE leave_request SET status_note = ? WHERE id = ?", LeaveRequests.changedNote(changed.size()), now.id());
        }
        steps.recordsChanged(h, now.personId(), changed);
        if (changed.isEmpty()) {
          h.execute("UPDATE leave_request SET status = 'completed' WHERE id = ?", now.id()); // nothing to record anywhere
        }
      }
      confirmations.render(h, now.id());
      return Optional.of(now);
    });
    if (answered.isEmpty()) {
      return new Outcome("already_answered", "This request was answered a moment ago; nothing changed.");
    }
    if (!confirm) {
      return new Outcome("cancelled", null);
    }
    return new Outcome(answered.get().kind() == Kind.CANCEL ? "cancellation_confirmed" : "confirmed", null);
  }

  /** Expires unanswered requests whose time is up and says so in their messages; returns how many. */
  public int expireDue() {
    int n = 0;
    for (Request r : requests.due(100)) {
      if (expire(r)) {
        n++;
      }
    }
    return n;
  }

  private boolean expire(Request r) {
    boolean expired = jdbi.inTransaction(h -> {
      boolean done = requests.transition(h, r.id(), Status.PENDING, Status.EXPIRED, LeaveRequests.NOTE_TIMEOUT);
      if (done) {
        confirmations.render(h, r.id());
      }
      return done;
    });
    if (expired) {
      Counter.builder("tandem.leave.requests.expired").description("Leave requests nobody answered in time").register(metrics).increment();
    }
    return expired;
  }

  /** A message only the presser sees, in the request's thread. */
  private void tell(ActionContext ctx, BlockActionPayload p, String text) {
    String user = p.getUser().getId();
    try {
      String channel = p.getChannel() != null ? p.getChannel().getId() : p.getContainer().getChannelId();
      String thread = p.getMessage() != null && p.getMessage().getThreadTs() != null ? p.getMessage().getThreadTs() : null;
      var answer = ctx.client().chatPostEphemeral(r -> r.channel(channel).user(user).threadTs(thread).text(text));
      if (!answer.isOk()) {
        log.warn("leave: chat.postEphemeral to {} refused: {}", user, answer.getError());
      }
    } catch (Exception e) {
      log.warn("leave: could not tell {} what came of their press", user, e);
    }
  }
}
