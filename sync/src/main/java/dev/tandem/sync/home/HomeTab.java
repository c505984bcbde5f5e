package dev.tandem.sync.home;

import com.slack.api.app_backend.interactive_components.response.Option;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.BlockSuggestionContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.BlockSuggestionRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.core.slack.SlackEvent;
import dev.tandem.sync.link.SyncTopology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
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
  private final Channels channels;
  private final dev.tandem.sync.users.UserDirectory directory;
  private final dev.tandem.sync.users.UserMappings mappings;
  private final PeoplePages people;
  private final GroupMatching matching;
  private final dev.tandem.core.jobs.JobQueue queue;
  private final Refreshes refreshes;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private final MeterRegistry metrics;
  private SlackApp app;

  public HomeTab(SyncTopology topology, org.jdbi.v3.core.Jdbi jdbi, dev.tandem.core.jobs.JobQueue queue, java.time.Clock clock,
      boolean requireAdmin, MeterRegistry metrics) {
    this.topology = topology;
    this.directory = new dev.tandem.sync.users.UserDirectory(jdbi, clock);
    this.mappings = new dev.tandem.sync.users.UserMappings(jdbi, clock);
    this.people = new PeoplePages(jdbi);
    this.matching = new GroupMatching(queue, topology, directory, new dev.tandem.sync.users.BulkMatching(directory, mappings));
    this.queue = queue;
    this.refreshes = new Refreshes(jdbi, clock);
    Supplier<SlackApp> slack = () -> app;
    this.admins = new Admins(slack, requireAdmin);
    this.attempts = new JoinAttempts(jdbi, clock);
    this.channels = new Channels(slack);
    this.metrics = metrics;
  }

  public void attach(SlackApp slackApp) {
    this.app = slackApp;
    slackApp.on("app_home_opened", this::opened);
    slackApp.on("team_join", e -> {
      String userId = e.event().path("user").path("id").asText("");
      if (!userId.isEmpty()) {
        matching.newcomer(e.teamId().or(e::enterpriseId).orElseThrow(), userId);
      }
    });
    var bolt = slackApp.bolt();
    bolt.blockAction(HomeView.CREATE, (req, ctx) -> handled(() -> openModal(req, ctx, HomeView.CREATE, HomeView.createModal())));
    bolt.blockAction(HomeView.JOIN, (req, ctx) -> handled(() -> openModal(req, ctx, HomeView.JOIN, HomeView.joinModal())));
    bolt.viewSubmission(HomeView.CREATE, (req, ctx) -> handled(() -> create(req, ctx)));
    bolt.viewSubmission(HomeView.JOIN, (req, ctx) -> handled(() -> join(req, ctx)));
    bolt.blockAction(HomeView.PUBLISH, (req, ctx) -> handled(() -> publishButton(req, ctx)));
    bolt.viewSubmission(HomeView.PUBLISH, (req, ctx) -> handled(() -> publish(req, ctx)));
    bolt.blockAction(HomeView.SUBSCRIBE, (req, ctx) -> handled(() -> subscribeButton(req, ctx)));
    bolt.viewSubmission(HomeView.SUBSCRIBE, (req, ctx) -> handled(() -> subscribe(req, ctx)));
    bolt.blockAction(HomeView.PAUSE, (req, ctx) -> handled(() -> pauseOrResume(req, ctx, true)));
    bolt.blockAction(HomeView.RESUME, (req, ctx) -> handled(() -> pauseOrResume(req, ctx, false)));
    bolt.blockAction(HomeView.STOP, (req, ctx) -> handled(() -> stopButton(req, ctx)));
    bolt.viewSubmission(HomeView.STOP, (req, ctx) -> handled(() -> stop(req, ctx)));
    bolt.blockAction(HomeView.UNPUBLISH, (req, ctx) -> handled(() -> unpublishButton(req, ctx)));
    bolt.viewSubmission(HomeView.UNPUBLISH, (req, ctx) -> handled(() -> unpublish(req, ctx)));
    bolt.blockAction(HomeView.LEAVE, (req, ctx) -> handled(() -> leaveButton(req, ctx)));
    bolt.viewSubmission(HomeView.LEAVE, (req, ctx) -> handled(() -> leave(req, ctx)));
    bolt.blockAction(HomeView.INVITE, (req, ctx) -> handled(() -> inviteButton(req, ctx)));
    bolt.viewSubmission(HomeView.INVITE, (req, ctx) -> handled(() -> invite(req, ctx)));
    bolt.blockAction(HomeView.ACCEPT, (req, ctx) -> handled(() -> answer(req, ctx, true)));
    bolt.blockAction(HomeView.DECLINE, (req, ctx) -> handled(() -> answer(req, ctx, false)));
    bolt.blockAction(HomeView.CANCEL_INVITE, (req, ctx) -> handled(() -> cancelInvite(req, ctx)));
    bolt.blockSuggestion(HomeView.CHANNEL_PICKER, this::suggestChannels);
    bolt.blockAction(HomeView.PEOPLE, (req, ctx) -> handled(() -> peoplePage(req, ctx)));
    bolt.blockAction(HomeView.PEOPLE_PAGE, (req, ctx) -> handled(() -> peoplePage(req, ctx)));
    bolt.blockAction(HomeView.BACK, (req, ctx) -> handled(() -> back(req, ctx)));
    bolt.blockAction(HomeView.REFRESH, (req, ctx) -> handled(() -> refresh(req, ctx)));
    bolt.blockAction(HomeView.HOME_PAGE, (req, ctx) -> handled(() -> homePage(req, ctx)));
    bolt.blockAction(HomeView.PEOPLE_EDIT, (req, ctx) -> handled(() -> editPerson(req, ctx)));
    bolt.viewSubmission(HomeView.PEOPLE_EDIT, (req, ctx) -> handled(() -> savePerson(req, ctx)));
    bolt.blockSuggestion(HomeView.PERSON_PICKER, this::suggestPeople);
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

  /** The job that matches people when a workspace joins a group. */
  public dev.tandem.core.jobs.JobHandler matchingJob() {
    return matching;
  }

  public static String matchingJobKind() {
    return GroupMatching.JOB;
  }

  /** The job that matches a person who joined a workspace. */
  public dev.tandem.core.jobs.JobHandler newcomerJob() {
    return matching.newcomers();
  }

  public static String newcomerJobKind() {
    return GroupMatching.NEWCOMER_JOB;
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
    publish(workspaceId, userId, render(workspaceId, userId, Optional.empty(), 0));
  }

  private String render(String workspaceId, String userId, Optional<String> note) {
    return render(workspaceId, userId, note, 0);
  }

  private String render(String workspaceId, String userId, Optional<String> note, int page) {
    boolean admin = admins.mayConfigure(workspaceId, userId);
    String name = topology.workspace(workspaceId).map(SyncTopology.WorkspaceInfo::name).orElse(workspaceId);
    return HomeView.home(workspaceId, name, admin, topology.groupsOf(workspaceId), topology.localStats(workspaceId), note, page);
  }

  private void publish(String workspaceId, String userId, String view) throws Exception {
    var published = app.calls().call(workspaceId, "views.publish", null,
        () -> app.client(null, workspaceId).viewsPublish(r -> r.userId(userId).viewAsString(view)));
    if (!published.isOk()) {
      throw new IllegalStateException("views.publish for " + userId + " in " + workspaceId + " refused: " + published.getError());
    }
  }

  private Response openModal(BlockActionRequest req, ActionContext ctx, String action, String modal) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    return open(ctx, workspace, req.getPayload().getTriggerId(), admins.mayConfigure(workspace, user) ? modal : refused(workspace, user, action));
  }

  private Response create(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.CREATE);
      return error(ctx, HomeView.NAME_BLOCK, NOT_ADMIN);
    }
    String name = value(req, HomeView.NAME_BLOCK).strip();
    if (name.isEmpty()) {
      return error(ctx, HomeView.NAME_BLOCK, "Give the group a name.");
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
      return error(ctx, HomeView.CODE_BLOCK, NOT_ADMIN);
    }
    JoinAttempts.Attempt attempt = attempts.begin(workspace);
    if (!attempt.allowed()) {
      count("join_limit");
      return error(ctx, HomeView.CODE_BLOCK,
          "Too many wrong codes from this workspace. Try again in " + JoinAttempts.WINDOW.toMinutes() + " minutes.");
    }
    Optional<String> group = topology.groupByCode(value(req, HomeView.CODE_BLOCK));
    if (group.isEmpty()) {
      count("wrong_code");
      return error(ctx, HomeView.CODE_BLOCK, "No group has this code. Check it with the admin who gave it to you.");
    }
    attempts.succeeded(attempt);
    if (topology.isActiveMember(group.get(), workspace)) {
      return error(ctx, HomeView.CODE_BLOCK, "This workspace is already in that group.");
    }
    topology.addMember(group.get(), workspace);
    matching.joined(group.get(), workspace);
    log.info("sync home: {} in {} joined group {}", user, workspace, group.get());
    publish(workspace, user);
    return ctx.ack();
  }

  // ---- channels: publish, subscribe, pause, resume, stop -----------------------------------

  private Response publishButton(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String groupId = req.getPayload().getActions().getFirst().getValue();
    Optional<SyncTopology.GroupView> group = groupOf(workspace, groupId);
    String view;
    if (!admins.mayConfigure(workspace, user)) {
      view = refused(workspace, user, HomeView.PUBLISH);
    } else if (group.isEmpty()) {
      view = HomeView.refusal("This workspace is not in that group any more.");
    } else {
      view = HomeView.publishModal(groupId, group.get().name(),
          group.get().members().stream().filter(m -> !m.workspaceId().equals(workspace) && "active".equals(m.status())).toList());
    }
    return open(ctx, workspace, req.getPayload().getTriggerId(), view);
  }

  private Response publish(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.PUBLISH);
      return error(ctx, HomeView.CHANNEL_BLOCK, NOT_ADMIN);
    }
    String groupId = req.getPayload().getView().getPrivateMetadata();
    Optional<SyncTopology.GroupView> group = groupOf(workspace, groupId);
    if (group.isEmpty()) {
      return error(ctx, HomeView.CHANNEL_BLOCK, "This workspace is not in that group any more.");
    }
    boolean direct = "direct".equals(selected(req, HomeView.MODE_BLOCK));
    String target = selected(req, HomeView.TARGET_BLOCK);
    if (direct && (target.isEmpty() || target.equals(workspace) || !topology.isActiveMember(groupId, target))) {
      return error(ctx, HomeView.TARGET_BLOCK, "Pick the workspace of the group to sync with.");
    }
    Prepared channel = prepare(workspace, selected(req, HomeView.CHANNEL_BLOCK));
    if (channel.problem().isPresent()) {
      return error(ctx, HomeView.CHANNEL_BLOCK, channel.problem().get());
    }
    String name = channel.channel().orElseThrow().name();
    String sync = direct ? topology.createDirectSync(groupId, name, workspace, target) : topology.createGroupSync(groupId, name, workspace);
    if (topology.link(sync, workspace, channel.channel().get().id()) instanceof SyncTopology.LinkResult.AlreadyInASync) {
      topology.deleteSync(sync);
      return error(ctx, HomeView.CHANNEL_BLOCK, "#" + name + " is already synced.");
    }
    log.info("sync home: {} in {} published #{} ({}) to {}", user, workspace, name, sync, direct ? target : "group " + groupId);
    notify(workspace, channel.channel().get().id(), ":arrows_counterclockwise: <@" + user + "> shared this channel with "
        + (direct ? workspaceName(target) : "the workspaces of *" + HomeView.escape(group.get().name()) + "*")
        + ". An admin there can start syncing it from the Tandem Sync Home tab.");
    publish(workspace, user);
    return ctx.ack();
  }

  private Response subscribeButton(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String syncId = req.getPayload().getActions().getFirst().getValue();
    String view;
    if (!admins.mayConfigure(workspace, user)) {
      view = refused(workspace, user, HomeView.SUBSCRIBE);
    } else {
      view = offered(workspace, syncId).map(s -> HomeView.subscribeModal(s.id(), s.title()))
          .orElse(HomeView.refusal("That sync is not available to this workspace any more."));
    }
    return open(ctx, workspace, req.getPayload().getTriggerId(), view);
  }

  private Response subscribe(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.SUBSCRIBE);
      return error(ctx, HomeView.CHANNEL_BLOCK, NOT_ADMIN);
    }
    Optional<SyncTopology.SyncInfo> sync = offered(workspace, req.getPayload().getView().getPrivateMetadata());
    if (sync.isEmpty()) {
      return error(ctx, HomeView.CHANNEL_BLOCK, "That sync is not available to this workspace any more.");
    }
    Prepared channel = prepare(workspace, selected(req, HomeView.CHANNEL_BLOCK));
    if (channel.problem().isPresent()) {
      return error(ctx, HomeView.CHANNEL_BLOCK, channel.problem().get());
    }
    String channelId = channel.channel().orElseThrow().id();
    List<SyncTopology.LinkedChannel> others = topology.channelsOf(sync.get().id());
    if (topology.link(sync.get().id(), workspace, channelId) instanceof SyncTopology.LinkResult.AlreadyInASync) {
      return error(ctx, HomeView.CHANNEL_BLOCK, "#" + channel.channel().get().name() + " is already synced.");
    }
    log.info("sync home: {} in {} subscribed #{} to sync {}", user, workspace, channel.channel().get().name(), sync.get().id());
    String here = workspaceName(workspace);
    notify(workspace, channelId, ":arrows_counterclockwise: <@" + user + "> started syncing this channel with "
        + others.stream().map(c -> workspaceName(c.workspaceId())).distinct().collect(java.util.stream.Collectors.joining(", ")) + ".");
    others.forEach(c -> notify(c.workspaceId(), c.channelId(), ":arrows_counterclockwise: " + here + " started syncing this channel."));
    publish(workspace, user);
    return ctx.ack();
  }

  /** Pause and resume: this workspace's channel only; the others go on. */
  private Response pauseOrResume(BlockActionRequest req, ActionContext ctx, boolean pause) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String action = pause ? HomeView.PAUSE : HomeView.RESUME;
    Optional<SyncTopology.LinkedChannel> local = localChannel(workspace, req.getPayload().getActions().getFirst().getValue());
    if (!admins.mayConfigure(workspace, user)) {
      return open(ctx, workspace, req.getPayload().getTriggerId(), refused(workspace, user, action));
    }
    if (local.isEmpty()) {
      return open(ctx, workspace, req.getPayload().getTriggerId(), HomeView.refusal("This workspace does not sync that channel any more."));
    }
    topology.pause(workspace, local.get().channelId(), pause ? Optional.of("paused by <@" + user + ">") : Optional.empty());
    log.info("sync home: {} in {} {} #{}", user, workspace, pause ? "paused" : "resumed", local.get().channelId());
    notify(workspace, local.get().channelId(), pause
        ? ":double_vertical_bar: <@" + user + "> paused syncing in this channel: nothing is copied to or from it until it is resumed."
        : ":arrow_forward: <@" + user + "> resumed syncing in this channel.");
    publish(workspace, user);
    return ctx.ack();
  }

  private Response stopButton(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String syncId = req.getPayload().getActions().getFirst().getValue();
    Optional<SyncTopology.LinkedChannel> local = localChannel(workspace, syncId);
    String view = !admins.mayConfigure(workspace, user) ? refused(workspace, user, HomeView.STOP)
        : local.map(c -> HomeView.stopModal(syncId, c.channelId())).orElse(HomeView.refusal("This workspace does not sync that channel any more."));
    return open(ctx, workspace, req.getPayload().getTriggerId(), view);
  }

  private Response stop(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      return updateTo(ctx, refused(workspace, user, HomeView.STOP));
    }
    String syncId = req.getPayload().getView().getPrivateMetadata();
    Optional<SyncTopology.LinkedChannel> local = localChannel(workspace, syncId);
    if (local.isPresent()) {
      topology.unlink(workspace, local.get().channelId());
      log.info("sync home: {} in {} stopped syncing #{} (sync {})", user, workspace, local.get().channelId(), syncId);
      notify(workspace, local.get().channelId(), ":black_square_for_stop: <@" + user + "> stopped syncing this channel.");
      leaveChannel(workspace, local.get().channelId());
      String here = workspaceName(workspace);
      topology.channelsOf(syncId).forEach(c -> notify(c.workspaceId(), c.channelId(), ":black_square_for_stop: " + here
          + " stopped syncing this channel; the other workspaces go on."));
    }
    publish(workspace, user);
    return ctx.ack();
  }

  private Response unpublishButton(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String syncId = req.getPayload().getActions().getFirst().getValue();
    Optional<SyncTopology.SyncInfo> sync = topology.sync(syncId).filter(s -> s.publisherWorkspaceId().equals(workspace));
    String view = !admins.mayConfigure(workspace, user) ? refused(workspace, user, HomeView.UNPUBLISH)
        : sync.map(s -> HomeView.unpublishModal(s.id(), s.title())).orElse(HomeView.refusal("Only the workspace that published a sync can unpublish it."));
    return open(ctx, workspace, req.getPayload().getTriggerId(), view);
  }

  private Response unpublish(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      return updateTo(ctx, refused(workspace, user, HomeView.UNPUBLISH));
    }
    Optional<SyncTopology.SyncInfo> sync = topology.sync(req.getPayload().getView().getPrivateMetadata())
        .filter(s -> s.publisherWorkspaceId().equals(workspace));
    if (sync.isEmpty()) {
      count("not_publisher");
      return updateTo(ctx, HomeView.refusal("Only the workspace that published a sync can unpublish it. Nothing was changed."));
    }
    String here = workspaceName(workspace);
    for (SyncTopology.LinkedChannel c : topology.unpublish(sync.get().id())) {
      notify(c.workspaceId(), c.channelId(), ":black_square_for_stop: " + here + " unpublished *" + HomeView.escape(sync.get().title())
          + "*: this channel no longer syncs.");
      leaveChannel(c.workspaceId(), c.channelId());
    }
    log.info("sync home: {} in {} unpublished sync {}", user, workspace, sync.get().id());
    publish(workspace, user);
    return ctx.ack();
  }

  private Response leaveButton(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String groupId = req.getPayload().getActions().getFirst().getValue();
    Optional<SyncTopology.GroupView> group = groupOf(workspace, groupId);
    String view = !admins.mayConfigure(workspace, user) ? refused(workspace, user, HomeView.LEAVE)
        : group.map(g -> HomeView.leaveModal(g.id(), g.name())).orElse(HomeView.refusal("This workspace is not in that group any more."));
    return open(ctx, workspace, req.getPayload().getTriggerId(), view);
  }

  private Response leave(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      return updateTo(ctx, refused(workspace, user, HomeView.LEAVE));
    }
    String groupId = req.getPayload().getView().getPrivateMetadata();
    if (!topology.isActiveMember(groupId, workspace)) {
      return updateTo(ctx, HomeView.refusal("This workspace is not in that group any more."));
    }
    SyncTopology.Departure departure = topology.leaveGroup(groupId, workspace);
    String here = workspaceName(workspace);
    for (SyncTopology.LinkedChannel c : departure.stopped()) {
      notify(workspace, c.channelId(), ":black_square_for_stop: <@" + user + "> took this workspace out of its group: this channel no longer syncs.");
      leaveChannel(workspace, c.channelId());
    }
    departure.partners().forEach(c -> notify(c.workspaceId(), c.channelId(), ":black_square_for_stop: " + here
        + " left the group: its channel no longer syncs with this one."));
    log.info("sync home: {} took {} out of group {}{}", user, workspace, groupId, departure.groupEnded() ? " (now empty, removed)" : "");
    publish(workspace, user);
    return ctx.ack();
  }

  /** Leaving a channel that no longer syncs (as SyncBot does); best effort. */
  private void leaveChannel(String workspace, String channel) {
    try {
      var left = app.calls().call(workspace, "conversations.leave", channel,
          () -> app.client(null, workspace).conversationsLeave(r -> r.channel(channel)));
      if (!left.isOk()) {
        log.warn("sync home: could not leave {}/{}: {}", workspace, channel, left.getError());
      }
    } catch (Exception e) {
      log.warn("sync home: could not leave {}/{}: {}", workspace, channel, e.toString());
    }
  }

  /** Replaces the submitted modal with an explanation (for modals without an input to attach an error to). */
  private static Response updateTo(ViewSubmissionContext ctx, String json) {
    com.slack.api.model.view.View view = com.slack.api.util.json.GsonFactory.createSnakeCase().fromJson(json, com.slack.api.model.view.View.class);
    return ctx.ack(r -> r.responseAction("update").view(view));
  }

  // ---- invitations ------------------------------------------------------------------------------

  private Response inviteButton(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String groupId = req.getPayload().getActions().getFirst().getValue();
    Optional<SyncTopology.GroupView> group = groupOf(workspace, groupId);
    String view;
    if (!admins.mayConfigure(workspace, user)) {
      view = refused(workspace, user, HomeView.INVITE);
    } else if (group.isEmpty()) {
      view = HomeView.refusal("This workspace is not in that group any more.");
    } else {
      List<SyncTopology.Member> candidates = candidates(group.get());
      view = candidates.isEmpty()
          ? HomeView.refusal("Every workspace where Tandem Sync is installed is in *" + HomeView.escape(group.get().name()) + "* or invited."
              + " Others can install it and join with the code `" + group.get().inviteCode() + "`.")
          : HomeView.inviteModal(groupId, group.get().name(), candidates);
    }
    return open(ctx, workspace, req.getPayload().getTriggerId(), view);
  }

  /** Installed workspaces that are neither members of the group nor invited. */
  private List<SyncTopology.Member> candidates(SyncTopology.GroupView group) {
    java.util.Set<String> in = group.members().stream().map(SyncTopology.Member::workspaceId).collect(java.util.stream.Collectors.toSet());
    return topology.workspaces().stream().filter(w -> !w.deleted() && !in.contains(w.id()))
        .map(w -> new SyncTopology.Member("", w.id(), w.name(), "candidate")).toList();
  }

  private Response invite(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.INVITE);
      return error(ctx, HomeView.WORKSPACE_BLOCK, NOT_ADMIN);
    }
    String groupId = req.getPayload().getView().getPrivateMetadata();
    Optional<SyncTopology.GroupView> group = groupOf(workspace, groupId);
    if (group.isEmpty()) {
      return error(ctx, HomeView.WORKSPACE_BLOCK, "This workspace is not in that group any more.");
    }
    String target = selected(req, HomeView.WORKSPACE_BLOCK);
    if (candidates(group.get()).stream().noneMatch(m -> m.workspaceId().equals(target))) {
      return error(ctx, HomeView.WORKSPACE_BLOCK, "Pick a workspace where Tandem Sync is installed that is not in the group yet.");
    }
    Optional<String> member = topology.invite(groupId, target, user);
    if (member.isEmpty()) {
      return error(ctx, HomeView.WORKSPACE_BLOCK, "That workspace is already in the group or invited.");
    }
    String blocks = HomeView.inviteMessageBlocks(member.get(), workspaceName(workspace), group.get().name(), workspaceName(target));
    int sent = 0;
    for (String admin : adminsOf(target)) {
      var dm = app.calls().call(target, "conversations.open", null, () -> app.client(null, target).conversationsOpen(r -> r.users(List.of(admin))));
      if (!dm.isOk() || dm.getChannel() == null) {
        log.warn("sync home: could not open a DM with admin {} of {}: {}", admin, target, dm.getError());
        continue;
      }
      String channel = dm.getChannel().getId();
      var posted = app.calls().call(target, "chat.postMessage", channel, () -> app.client(null, target).chatPostMessage(r -> r
          .channel(channel).text(workspaceName(workspace) + " invites " + workspaceName(target) + " into the Tandem Sync group "
              + group.get().name()).blocksAsString(blocks)));
      if (posted.isOk()) {
        topology.inviteMessage(member.get(), channel, posted.getTs());
        sent++;
      }
    }
    log.info("sync home: {} in {} invited {} into group {} ({} admins told)", user, workspace, target, groupId, sent);
    publish(workspace, user);
    return ctx.ack();
  }

  /** The people who can answer for a workspace: its admins and owners (not bots, not deactivated). */
  private List<String> adminsOf(String workspace) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    String cursor = null;
    do {
      String page = cursor;
      var listed = app.calls().call(workspace, "users.list", null, () -> app.client(null, workspace).usersList(r -> r.limit(200).cursor(page)));
      if (!listed.isOk()) {
        throw new IllegalStateException("users.list in " + workspace + " refused: " + listed.getError());
      }
      listed.getMembers().stream().filter(u -> !u.isBot() && !u.isDeleted() && (u.isAdmin() || u.isOwner() || u.isPrimaryOwner()))
          .forEach(u -> out.add(u.getId()));
      cursor = listed.getResponseMetadata() == null ? null : listed.getResponseMetadata().getNextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return out;
  }

  /** Accept or Decline, pressed in an invitation message by a person of the invited workspace. */
  private Response answer(BlockActionRequest req, ActionContext ctx, boolean accept) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String memberId = req.getPayload().getActions().getFirst().getValue();
    Optional<SyncTopology.Invitation> invitation = topology.invitation(memberId);
    String action = accept ? HomeView.ACCEPT : HomeView.DECLINE;
    if (invitation.isEmpty() || !invitation.get().workspaceId().equals(workspace)) {
      count("not_invited");
      log.warn("sync home: refused {} by {} in {}: the invitation is not this workspace's", action, user, workspace);
      return ctx.ack();
    }
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, action);
      return open(ctx, workspace, req.getPayload().getTriggerId(),
          HomeView.refusal(":lock: Only an admin of " + workspaceName(workspace) + " can answer this invitation. Nothing was changed."));
    }
    if (!topology.settleInvitation(memberId, accept)) {
      return open(ctx, workspace, req.getPayload().getTriggerId(), HomeView.refusal("This invitation was already answered or cancelled."));
    }
    String group = HomeView.escape(invitation.get().groupName());
    settleMessages(memberId, workspace, accept
        ? ":white_check_mark: <@" + user + "> accepted: " + workspaceName(workspace) + " is now in *" + group + "*. Pick channels to sync on the Tandem Sync Home tab."
        : ":x: <@" + user + "> declined the invitation into *" + group + "*.");
    log.info("sync home: {} in {} {} the invitation into group {}", user, workspace, accept ? "accepted" : "declined", invitation.get().groupId());
    if (accept) {
      matching.joined(invitation.get().groupId(), workspace);
      publish(workspace, user);
    }
    return ctx.ack();
  }

  private Response cancelInvite(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String memberId = req.getPayload().getActions().getFirst().getValue();
    Optional<SyncTopology.Invitation> invitation = topology.invitation(memberId);
    if (!admins.mayConfigure(workspace, user)) {
      return open(ctx, workspace, req.getPayload().getTriggerId(), refused(workspace, user, HomeView.CANCEL_INVITE));
    }
    if (invitation.isEmpty() || !topology.isActiveMember(invitation.get().groupId(), workspace)) {
      count("not_member");
      return open(ctx, workspace, req.getPayload().getTriggerId(), HomeView.refusal("Only a member of the group can cancel its invitations."));
    }
    if (topology.settleInvitation(memberId, false)) {
      settleMessages(memberId, invitation.get().workspaceId(), ":no_entry_sign: " + workspaceName(workspace) + " cancelled the invitation into *"
          + HomeView.escape(invitation.get().groupName()) + "*.");
      log.info("sync home: {} in {} cancelled the invitation of {} into group {}", user, workspace, invitation.get().workspaceId(),
          invitation.get().groupId());
    }
    publish(workspace, user);
    return ctx.ack();
  }

  /** Rewrites every Accept/Decline message of an invitation with its outcome. */
  private void settleMessages(String memberId, String invitedWorkspace, String text) {
    String blocks = HomeView.settledBlocks(text);
    for (Map.Entry<String, String> m : topology.inviteMessages(memberId)) {
      try {
        var updated = app.calls().call(invitedWorkspace, "chat.update", m.getKey(), () -> app.client(null, invitedWorkspace)
            .chatUpdate(r -> r.channel(m.getKey()).ts(m.getValue()).text(text).blocksAsString(blocks)));
        if (!updated.isOk()) {
          log.warn("sync home: could not update invitation message {}/{}: {}", m.getKey(), m.getValue(), updated.getError());
        }
      } catch (Exception e) {
        log.warn("sync home: could not update invitation message {}/{}: {}", m.getKey(), m.getValue(), e.toString());
      }
    }
  }

  // ---- people (user mapping) -------------------------------------------------------------------

  /**
   * Refresh: fetches Slack's data again (the workspace's people and channel list) unless this
   * person refreshed less than a minute ago, in which case the page is shown as it is with a note;
   * the cooldown and the content hash live in the database, so every instance agrees.
   */
  private Response refresh(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      return open(ctx, workspace, req.getPayload().getTriggerId(), refused(workspace, user, HomeView.REFRESH));
    }
    Optional<java.time.Duration> wait = refreshes.cooling(workspace, user, "home");
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      publish(workspace, user, render(workspace, user, Optional.of(":hourglass: No new data. Wait " + seconds
          + " seconds before refreshing again.")));
      return ctx.ack();
    }
    channels.forget(workspace);
    queue.enqueue(dev.tandem.core.jobs.JobRequest.of(dev.tandem.sync.relay.SyncEngine.CRAWL_JOB,
        JSON.createObjectNode().put("workspace", workspace).toString()).orderedBy(dev.tandem.sync.relay.SyncEngine.CRAWL_JOB + ":" + workspace));
    String view = render(workspace, user, Optional.empty());
    boolean changed = refreshes.record(workspace, user, "home", view);
    publish(workspace, user, changed ? view : render(workspace, user, Optional.of("Refreshed: nothing changed since your last refresh."
        + " People and channels are being read from Slack again.")));
    return ctx.ack();
  }

  /** Shows a page of the user-mapping screen (the value is "method|page"). */
  private Response peoplePage(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      return open(ctx, workspace, req.getPayload().getTriggerId(), refused(workspace, user, HomeView.PEOPLE));
    }
    String[] v = String.valueOf(req.getPayload().getActions().getFirst().getValue()).split("\\|");
    String method = v.length > 0 && PeoplePages.METHODS.contains(v[0]) ? v[0] : "none";
    int page = v.length > 1 ? parsePage(v[1]) : 0;
    publishPeople(workspace, user, method, page);
    return ctx.ack();
  }

  private void publishPeople(String workspace, String user, String method, int page) throws Exception {
    publish(workspace, user, HomeView.peoplePage(workspaceName(workspace), method, page, people.counts(workspace),
        people.page(workspace, method, page)));
  }

  /** Another page of groups (reading only: anyone who sees the Home tab may turn its pages). */
  private Response homePage(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    publish(workspace, user, render(workspace, user, Optional.empty(), parsePage(String.valueOf(req.getPayload().getActions().getFirst().getValue()))));
    return ctx.ack();
  }

  private Response back(BlockActionRequest req, ActionContext ctx) throws Exception {
    publish(req.getPayload().getTeam().getId(), req.getPayload().getUser().getId());
    return ctx.ack();
  }

  /** "Edit" on a person (the value is "sourceWorkspace|sourceUser|method|page"). */
  private Response editPerson(BlockActionRequest req, ActionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    String value = String.valueOf(req.getPayload().getActions().getFirst().getValue());
    String[] v = value.split("\\|");
    String view;
    if (!admins.mayConfigure(workspace, user)) {
      view = refused(workspace, user, HomeView.PEOPLE_EDIT);
    } else if (v.length < 4 || !people.shows(workspace, v[0], v[1])) {
      view = HomeView.refusal("That person is not one of the people syncing with this workspace.");
    } else {
      String name = directory.find(v[0], v[1]).map(dev.tandem.sync.users.Person::shownName).orElse(v[1]);
      view = HomeView.editPersonModal(value, name, workspaceName(v[0]));
    }
    return open(ctx, workspace, req.getPayload().getTriggerId(), view);
  }

  private Response savePerson(ViewSubmissionRequest req, ViewSubmissionContext ctx) throws Exception {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.PEOPLE_EDIT);
      return error(ctx, HomeView.PERSON_BLOCK, NOT_ADMIN);
    }
    String[] v = req.getPayload().getView().getPrivateMetadata().split("\\|");
    Optional<dev.tandem.sync.users.Person> source = v.length < 4 || !people.shows(workspace, v[0], v[1]) ? Optional.empty() : directory.find(v[0], v[1]);
    if (source.isEmpty()) {
      return error(ctx, HomeView.PERSON_BLOCK, "That person is not one of the people syncing with this workspace any more.");
    }
    String picked = selected(req, HomeView.PERSON_BLOCK);
    if (HomeView.NO_ONE.equals(picked)) {
      mappings.clearManual(source.get(), workspace);
    } else if (directory.find(workspace, picked).filter(p -> !p.bot()).isPresent()) {
      mappings.setManual(source.get(), workspace, picked);
    } else {
      return error(ctx, HomeView.PERSON_BLOCK, "Pick a person of this workspace, or No one.");
    }
    log.info("sync home: {} in {} mapped {}/{} to {}", user, workspace, v[0], v[1], picked);
    publishPeople(workspace, user, v[2], parsePage(v[3]));
    return ctx.ack();
  }

  private Response suggestPeople(BlockSuggestionRequest req, BlockSuggestionContext ctx) {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.PERSON_PICKER);
      return ctx.ack(r -> r.options(List.of()));
    }
    String typed = dev.tandem.sync.users.Person.normalize(req.getPayload().getValue());
    List<Option> options = new java.util.ArrayList<>();
    options.add(new Option(com.slack.api.model.block.composition.PlainTextObject.builder().text("No one (remove the mapping)").build(),
        HomeView.NO_ONE));
    directory.people(workspace).stream().filter(p -> !p.bot())
        .filter(p -> dev.tandem.sync.users.Person.normalize(p.realName()).contains(typed)
            || dev.tandem.sync.users.Person.normalize(p.displayName()).contains(typed))
        .sorted(java.util.Comparator.comparing(dev.tandem.sync.users.Person::shownName, String.CASE_INSENSITIVE_ORDER))
        .limit(HomeView.MAX_OPTIONS - 1)
        .forEach(p -> options.add(new Option(com.slack.api.model.block.composition.PlainTextObject.builder()
            .text(p.shownName() + (p.realName().isBlank() || p.realName().equals(p.shownName()) ? "" : " (" + p.realName() + ")")).build(),
            p.userId())));
    return ctx.ack(r -> r.options(options));
  }

  private static int parsePage(String s) {
    try {
      return Math.max(0, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Response suggestChannels(BlockSuggestionRequest req, BlockSuggestionContext ctx) {
    String workspace = req.getPayload().getTeam().getId();
    String user = req.getPayload().getUser().getId();
    if (!admins.mayConfigure(workspace, user)) {
      refused(workspace, user, HomeView.CHANNEL_PICKER);
      return ctx.ack(r -> r.options(List.of()));
    }
    List<Option> options = channels.matching(workspace, req.getPayload().getValue()).stream()
        .map(c -> new Option(com.slack.api.model.block.composition.PlainTextObject.builder()
            .text((c.isPrivate() ? "🔒 " : "#") + c.name()).build(), c.id()))
        .toList();
    return ctx.ack(r -> r.options(options));
  }

  /** A channel picked in a modal, checked now: it exists, is not archived, and the bot is (or just became) a member. */
  private record Prepared(Optional<Channels.Channel> channel, Optional<String> problem) {
    static Prepared problem(String text) {
      return new Prepared(Optional.empty(), Optional.of(text));
    }
  }

  private Prepared prepare(String workspace, String channelId) throws Exception {
    if (channelId.isEmpty()) {
      return Prepared.problem("Pick a channel.");
    }
    Optional<Channels.Channel> channel = channels.find(workspace, channelId);
    if (channel.isEmpty()) {
      return Prepared.problem("Tandem Sync cannot see that channel. If it is private, invite the app first (/invite @Tandem Sync in the"
          + " channel), then pick it again.");
    }
    if (channel.get().archived()) {
      return Prepared.problem("#" + channel.get().name() + " is archived.");
    }
    if (topology.liveLink(workspace, channelId).isPresent()) {
      return Prepared.problem("#" + channel.get().name() + " is already synced.");
    }
    Optional<String> joinProblem = channels.join(workspace, channel.get());
    return joinProblem.map(Prepared::problem).orElse(new Prepared(channel, Optional.empty()));
  }

  private Optional<SyncTopology.SyncInfo> offered(String workspace, String syncId) {
    return topology.sync(syncId)
        .filter(s -> s.offeredTo(workspace) && s.groupId().map(g -> topology.isActiveMember(g, workspace)).orElse(false))
        .filter(s -> topology.channelsOf(s.id()).stream().noneMatch(c -> c.workspaceId().equals(workspace)));
  }

  private Optional<SyncTopology.LinkedChannel> localChannel(String workspace, String syncId) {
    return topology.channelsOf(syncId).stream().filter(c -> c.workspaceId().equals(workspace)).findFirst();
  }

  /** The group, when {@code workspace} is an active member of it. */
  private Optional<SyncTopology.GroupView> groupOf(String workspace, String groupId) {
    return topology.groupsOf(workspace).stream().filter(g -> g.id().equals(groupId)).findFirst();
  }

  private String workspaceName(String workspaceId) {
    return topology.workspace(workspaceId).map(SyncTopology.WorkspaceInfo::name).orElse(workspaceId);
  }

  /** A notice in a channel; a failure is logged (the change it reports has been made). */
  private void notify(String workspace, String channel, String text) {
    try {
      var posted = app.calls().call(workspace, "chat.postMessage", channel,
          () -> app.client(null, workspace).chatPostMessage(r -> r.channel(channel).text(text)));
      if (!posted.isOk()) {
        log.warn("sync home: notice to {}/{} refused: {}", workspace, channel, posted.getError());
      }
    } catch (Exception e) {
      log.warn("sync home: notice to {}/{} failed: {}", workspace, channel, e.toString());
    }
  }

  private Response open(ActionContext ctx, String workspace, String trigger, String view) throws Exception {
    var opened = app.calls().call(workspace, "views.open", null, () -> ctx.client().viewsOpen(r -> r.triggerId(trigger).viewAsString(view)));
    if (!opened.isOk()) {
      log.warn("sync home: views.open in {} refused: {}", workspace, opened.getError());
    }
    return ctx.ack();
  }

  private static Response error(ViewSubmissionContext ctx, String block, String text) {
    return ctx.ack(r -> r.responseAction("errors").errors(Map.of(block, text)));
  }

  /** The picked option (select, radio buttons, external select) of an input block, or "". */
  private static String selected(ViewSubmissionRequest req, String block) {
    Map<String, Map<String, ViewState.Value>> values = req.getPayload().getView().getState().getValues();
    Map<String, ViewState.Value> inBlock = values == null ? null : values.get(block);
    if (inBlock == null) {
      return "";
    }
    for (ViewState.Value v : inBlock.values()) {
      if (v.getSelectedOption() != null && v.getSelectedOption().getValue() != null) {
        return v.getSelectedOption().getValue();
      }
    }
    return "";
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
