package dev.tandem.sync.home;

import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import dev.tandem.sync.link.SyncTopology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Home tab: published when a person opens it and after every change they make, and the
 * buttons and modals on it. Authorisation is checked again for each action and submission (a
 * payload can be forged or replayed by anyone who can reach Slack's request URL with a valid
 * signature, e.g. a person who saw the buttons before losing admin rights); a refusal changes
 * nothing, tells the person why and is counted ({@code tandem.sync.home.refused}).
 */
public final class HomeTab {
  private static final Logger log = LoggerFactory.getLogger(HomeTab.class);
  private static final String NOT_ADMIN = "Only workspace admins can change Tandem Sync's configuration.";

  private final SyncTopology topology;
  private final Admins admins;
  private final JoinAttempts attempts;
  private final MeterRegistry metrics;
  private SlackApp app;

  public HomeTab(SyncTopology topology, org.jdbi.v3.core.Jdbi jdbi, java.time.Clock clock, boolean requireAdmin, MeterRegistry metrics) {
    this.topology = topology;
    Supplier<SlackApp> slack = () -> app;
    this.admins = new Admins(slack, requireAdmin);
    this.attempts = new JoinAttempts(jdbi, clock);
    this.metrics = metrics;
  }

  public void attach(SlackApp slackApp) {
    this.app = slackApp;
    slackApp.on("app_home_opened", this::opened);
    var bolt = slackApp.bolt();
    bolt.blockAction(HomeView.CREATE, (req, ctx) -> handled(() -> openModal(req, ctx, HomeView.CREATE, HomeView.createModal())));
    bolt.blockAction(HomeView.JOIN, (req, ctx) -> handled(() -> openModal(req, ctx, HomeView.JOIN, HomeView.joinModal())));
    bolt.viewSubmission(HomeView.CREATE, (req, ctx) -> handled(() -> create(req, ctx)));
    bolt.viewSubmission(HomeView.JOIN, (req, ctx) -> handled(() -> join(req, ctx)));
  }

  private interface Handler {
    Response run() throws Exception;
  }

  /** Bolt listeners may throw only I/O and API errors; anything else fails the request the same way (Slack shows an error). */
  private static Response handled(Handler handler) throws java.io.IOException {
    try {
      return handler.run();
    } catch (java.io.IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new java.io.IOException(e.getMessage(), e);
    }
  }

  /** Drops wrong-code records older than the limit's window. */
  public int purgeJoinAttempts() {
    return attempts.purge();
  }

  private void opened(SlackEvent e) throws Exception {
    if (!"home".equals(e.event().path("tab").asText("home"))) {
      return;
    }
    String workspace = e.teamId().or(e::enterpriseId).orElseThrow();
    publish(workspace, e.event().path("user").asText());
  }

  /** Draws the person's Home tab from the current configuration. */
  void publish(String workspaceId, String userId) throws Exception {
    boolean admin = admins.mayConfigure(workspaceId, userId);
    String name = topology.workspace(workspaceId).map(SyncTopology.WorkspaceInfo::name).orElse(workspaceId);
    String view = HomeView.home(workspaceId, name, admin, topology.groupsOf(workspaceId));
    var published = app.calls().call(workspaceId, "views.publish", null,
        () -> app.client(null, workspaceId).viewsPublish(r -> r.userId(userId).viewAsString(view)));
    if (!published.isOk()) {
      throw new IllegalStateException("views.publish for " + userId + " in " + workspaceId + " refused: " + published.getError());
    }
  }

  private Response openModal(BlockActionRequest req, ActionContext ctx, String action, String modal) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String trigger = req.getPayload().getTriggerId();
    String view = admins.mayConfigure(workspace, user) ? modal : refused(workspace, user, action);
    var opened = app.calls().call(workspace, "views.open", null, () -> ctx.client().viewsOpen(r -> r.triggerId(trigger).viewAsString(view)));
    if (!opened.isOk()) {
      log.warn("sync home: views.open for {} in {} refused: {}", user, workspace, opened.getError());
    }
    return ctx.ack();
  }

  private Response create(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.CREATE);
      return ctx.ack(r -> r.responseAction("errors").errors(Map.of(HomeView.NAME_BLOCK, NOT_ADMIN)));
    }
    String name = value(req, HomeView.NAME_BLOCK).strip();
    if (name.isEmpty()) {
      return ctx.ack(r -> r.responseAction("errors").errors(Map.of(HomeView.NAME_BLOCK, "Give the group a name.")));
    }
    String group = topology.createGroup(name, workspace);
    log.info("sync home: {} in {} created group {} ({})", user, workspace, group, name);
    publish(workspace, user);
    return ctx.ack();
  }

  private Response join(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.JOIN);
      return ctx.ack(r -> r.responseAction("errors").errors(Map.of(HomeView.CODE_BLOCK, NOT_ADMIN)));
    }
    JoinAttempts.Attempt attempt = attempts.begin(workspace);
    if (!attempt.allowed()) {
      count("join_limit");
      return ctx.ack(r -> r.responseAction("errors").errors(Map.of(HomeView.CODE_BLOCK,
          "Too many wrong codes from this workspace. Try again in " + JoinAttempts.WINDOW.toMinutes() + " minutes.")));
    }
    Optional<String> group = topology.groupByCode(value(req, HomeView.CODE_BLOCK));
    if (group.isEmpty()) {
      count("wrong_code");
      return ctx.ack(r -> r.responseAction("errors").errors(Map.of(HomeView.CODE_BLOCK, "No group has this code. Check it with the admin who gave it to you.")));
    }
    attempts.succeeded(attempt);
    if (topology.isActiveMember(group.get(), workspace)) {
      return ctx.ack(r -> r.responseAction("errors").errors(Map.of(HomeView.CODE_BLOCK, "This workspace is already in that group.")));
    }
    topology.addMember(group.get(), workspace);
    log.info("sync home: {} in {} joined group {}", user, workspace, group.get());
    publish(workspace, user);
    return ctx.ack();
  }

  private String refused(String workspace, String user, String action) {
    count("not_admin");
    log.warn("sync home: refused {} by {} in {}: not an admin", action, user, workspace);
    return HomeView.refusal(":lock: " + NOT_ADMIN + " Nothing was changed.");
  }

  private void count(String reason) {
    Counter.builder("tandem.sync.home.refused").description("Home tab actions refused (not an admin, wrong invite codes, the code limit)")
        .tag("reason", reason).register(metrics).increment();
  }

  private static String value(ViewSubmissionRequest req, String block) {
    Map<String, Map<String, ViewState.Value>> values = req.getPayload().getView().getState().getValues();
    ViewState.Value v = values == null || values.get(block) == null ? null : values.get(block).get(HomeView.VALUE);
    return v == null || v.getValue() == null ? "" : v.getValue();
  }
}
