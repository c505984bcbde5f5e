package dev.tandem.leave.intake;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.leave.LeaveConfig;
import dev.tandem.leave.intake.LeaveRequests.Kind;
import dev.tandem.leave.intake.LeaveRequests.Request;
import dev.tandem.leave.intake.LeaveRequests.Status;
import dev.tandem.leave.parse.ParsedLeave;
import dev.tandem.leave.records.LeaveRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confirm and Cancel buttons of a request, and its expiry. Only the poster may press them:
 * anyone else is told so in a message only they see, and nothing changes. A request past its
 * time is expired when pressed, even before the sweep has reached it. Every answer is a
 * conditional status change, so double clicks and races with the sweep settle on one outcome.
 */
public final class LeaveButtons {
  /** The sweep that expires unanswered requests. */
  public static final String EXPIRY_JOB = "leave.expire";
  private static final Logger log = LoggerFactory.getLogger(LeaveButtons.class);

  private final Jdbi jdbi;
  private final LeaveConfig config;
  private final LeaveRequests requests;
  private final LeaveRecords records;
  private final LeaveIntake intake;
  private final Clock clock;
  private final MeterRegistry metrics;

  public LeaveButtons(Jdbi jdbi, LeaveConfig config, LeaveRequests requests, LeaveRecords records, LeaveIntake intake, Clock clock,
      MeterRegistry metrics) {
    this.jdbi = jdbi;
    this.config = config;
    this.requests = requests;
    this.records = records;
    this.intake = intake;
    this.clock = clock;
    this.metrics = metrics;
  }

  public void attach(SlackApp app) {
    app.bolt().blockAction(RequestMessages.CONFIRM, (req, ctx) -> answered(req, ctx, true));
    app.bolt().blockAction(RequestMessages.CANCEL, (req, ctx) -> answered(req, ctx, false));
  }

  private Response answered(BlockActionRequest req, ActionContext ctx, boolean confirm) {
    BlockActionPayload p = req.getPayload();
    String action = confirm ? "confirm" : "cancel";
    try {
      String presser = p.getUser().getId();
      String team = p.getUser().getTeamId() != null ? p.getUser().getTeamId() : p.getTeam().getId();
      String value = p.getActions() == null || p.getActions().isEmpty() ? "" : p.getActions().get(0).getValue();
      Optional<Request> found = value == null ? Optional.empty() : requests.byId(value);
      if (found.isEmpty()) {
        tell(ctx, p, presser, "This request no longer exists; nothing changed.");
        return outcome(ctx, action, "unknown_request");
      }
      Request r = found.get();
      if (!r.userId().equals(presser) || !r.workspaceId().equals(team)) {
        tell(ctx, p, presser, "Only <@" + r.userId() + "> can answer this request, so nothing changed."
            + " To announce your own leave, post it in this channel.");
        return outcome(ctx, action, "not_the_poster");
      }
      if (r.status() == Status.PENDING && !clock.instant().isBefore(r.expiresAt())) {
        expire(r);
        tell(ctx, p, presser, "This request expired before it was answered; nothing was recorded. Post your leave again to record it.");
        return outcome(ctx, action, "expired");
      }
      if (r.status() != Status.PENDING || r.dates().isEmpty()) {
        tell(ctx, p, presser, "This request is already " + LeaveRequests.name(r.status()) + "; nothing changed.");
        return outcome(ctx, action, "already_answered");
      }
      if (!confirm) {
        if (requests.transition(r.id(), Status.PENDING, Status.CANCELLED, "cancelled by the poster")) {
          intake.rewrite(r, RequestMessages.cancelledByPoster(r));
          return outcome(ctx, action, "cancelled");
        }
        return outcome(ctx, action, "already_answered");
      }
      Integer changed = jdbi.inTransaction(h -> {
        if (!requests.transition(h, r.id(), Status.PENDING, Status.CONFIRMED, null)) {
          return null;
        }
        if (r.kind() == Kind.CANCEL) {
          return records.cancel(h, r.personId(), r.dates().stream().map(ParsedLeave.Day::date).toList(), r.id());
        }
        records.cancel(h, r.personId(), r.released(), r.id());
        return records.confirm(h, r.personId(), r.dates(), r.id());
      });
      if (changed == null) {
        return outcome(ctx, action, "already_answered");
      }
      intake.rewrite(r, RequestMessages.confirmed(r, changed));
      return outcome(ctx, action, r.kind() == Kind.CANCEL ? "cancellation_confirmed" : "confirmed");
    } catch (Exception e) {
      log.error("leave: the {} button failed", action, e);
      tell(ctx, p, p.getUser().getId(), "Something went wrong and nothing changed; please press the button again in a minute.");
      return outcome(ctx, action, "error");
    }
  }

  /** Expires unanswered requests whose time is up and says so in their messages; returns how many. */
  public int expireDue() throws Exception {
    int n = 0;
    for (Request r : requests.due(100)) {
      if (expire(r)) {
        n++;
      }
    }
    return n;
  }

  private boolean expire(Request r) throws Exception {
    if (!requests.transition(r.id(), Status.PENDING, Status.EXPIRED, "not answered in time")) {
      return false;
    }
    Counter.builder("tandem.leave.requests.expired").description("Leave requests nobody answered in time").register(metrics).increment();
    intake.rewrite(r, RequestMessages.expired(r, config.current().expiry()));
    return true;
  }

  /** A message only the presser sees, in the request's thread. */
  private void tell(ActionContext ctx, BlockActionPayload p, String user, String text) {
    try {
      String channel = p.getChannel() != null ? p.getChannel().getId() : p.getContainer().getChannelId();
      String thread = p.getMessage() != null && p.getMessage().getThreadTs() != null ? p.getMessage().getThreadTs() : null;
      var answer = ctx.client().chatPostEphemeral(r -> r.channel(channel).user(user).threadTs(thread).text(text));
      if (!answer.isOk()) {
        log.warn("leave: chat.postEphemeral to {} refused: {}", user, answer.getError());
      }
    } catch (Exception e) {
      log.warn("leave: could not tell {} why their press changed nothing", user, e);
    }
  }

  private Response outcome(ActionContext ctx, String action, String outcome) {
    Counter.builder("tandem.leave.buttons").description("Presses of the Leave app's Confirm and Cancel buttons, by outcome")
        .tag("action", action).tag("outcome", outcome).register(metrics).increment();
    return ctx.ack();
  }
}
