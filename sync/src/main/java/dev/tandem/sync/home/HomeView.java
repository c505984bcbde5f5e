package dev.tandem.sync.home;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.sync.link.SyncTopology;
import dev.tandem.sync.link.SyncTopology.GroupView;
import dev.tandem.sync.link.SyncTopology.Member;
import dev.tandem.sync.link.SyncTopology.SyncView;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Home tab and its modals as Block Kit JSON: pure functions of what they show. */
final class HomeView {
  static final String CREATE = "home.group.create";
  static final String JOIN = "home.group.join";
  static final String PUBLISH = "home.sync.publish";
  static final String SUBSCRIBE = "home.sync.subscribe";
  static final String PAUSE = "home.sync.pause";
  static final String RESUME = "home.sync.resume";
  static final String STOP = "home.sync.stop";
  static final String UNPUBLISH = "home.sync.unpublish";
  static final String LEAVE = "home.group.leave";
  static final String INVITE = "home.group.invite";
  static final String CANCEL_INVITE = "home.group.cancel_invite";
  static final String ACCEPT = "home.invite.accept";
  static final String DECLINE = "home.invite.decline";
  static final String WORKSPACE_BLOCK = "workspace";
  static final String PEOPLE = "home.people";
  static final String PEOPLE_PAGE = "home.people.page";
  static final String PEOPLE_EDIT = "home.people.edit";
  static final String BACK = "home.back";
  static final String REFRESH = "home.refresh";
  static final String HOME_PAGE = "home.page";
  static final String PERSON_PICKER = "home.person";
  static final String PERSON_BLOCK = "person";
  /** The person-picker option that removes a mapping. */
  static final String NO_ONE = "none";
  /** The type-ahead channel picker of the publish and subscribe modals. */
  static final String CHANNEL_PICKER = "home.channel";
  static final String CHANNEL_BLOCK = "channel";
  static final String MODE_BLOCK = "mode";
  static final String TARGET_BLOCK = "target";
  /** Input blocks of the modals; their action id is always {@value #VALUE}. */
  static final String NAME_BLOCK = "name";
  static final String CODE_BLOCK = "code";
  static final String VALUE = "value";
  /** Slack allows 100 blocks in a view; room is kept for the header, buttons and the "more" line. */
  static final int MAX_BLOCKS = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private HomeView() {}

  /** The Home tab of a person of {@code workspaceId}; {@code admin} decides whether it offers changes. */
  static String home(String workspaceId, String workspaceName, boolean admin, List<GroupView> groups) {
    return home(workspaceId, workspaceName, admin, groups, Map.of(), java.util.Optional.empty(), 0);
  }

  /** The same, with each local channel's stats, a note under the buttons (e.g. the refresh cooldown) and a page of groups. */
  static String home(String workspaceId, String workspaceName, boolean admin, List<GroupView> groups,
      Map<String, SyncTopology.LocalStats> stats, java.util.Optional<String> note, int page) {
    ArrayNode blocks = JSON.createArrayNode();
    blocks.add(header("Tandem Sync"));
    blocks.add(section(groups.isEmpty()
        ? "*" + escape(workspaceName) + "* is in no workspace group yet. A group is a set of workspaces that can sync channels with each other."
        : "Workspace groups of *" + escape(workspaceName) + "*, and the channels they sync."));
    if (admin) {
      ArrayNode buttons = JSON.createArrayNode();
      buttons.add(button(CREATE, "Create a group", null, true));
      buttons.add(button(JOIN, "Join a group with a code", null, false));
      buttons.add(button(PEOPLE, "People", "none|0", false));
      buttons.add(button(REFRESH, "Refresh", null, false));
      blocks.add(JSON.createObjectNode().put("type", "actions").put("block_id", "home.groups").set("elements", buttons));
      note.ifPresent(n -> blocks.add(context(n)));
    } else {
      blocks.add(context(":lock: Only workspace admins can change Tandem Sync's configuration. This is a read-only summary."));
    }
    // groups are packed into pages that fit Slack's 100 blocks, leaving room for the pager
    int room = MAX_BLOCKS - blocks.size() - 2;
    List<List<ObjectNode>> pages = new java.util.ArrayList<>();
    List<ObjectNode> current = new java.util.ArrayList<>();
    for (GroupView g : groups) {
      List<ObjectNode> group = fit(groupBlocks(workspaceId, admin, g, stats), room);
      if (!current.isEmpty() && current.size() + group.size() > room) {
        pages.add(current);
        current = new java.util.ArrayList<>();
      }
      current.addAll(group);
    }
    if (!current.isEmpty()) {
      pages.add(current);
    }
    int shown = Math.max(0, Math.min(page, pages.size() - 1));
    if (!pages.isEmpty()) {
      pages.get(shown).forEach(blocks::add);
    }
    if (pages.size() > 1) {
      blocks.add(context("Groups, page " + (shown + 1) + " of " + pages.size() + "."));
      ArrayNode pager = JSON.createArrayNode();
      if (shown > 0) {
        pager.add(button(HOME_PAGE, "Previous groups", String.valueOf(shown - 1), false));
      }
      if (shown + 1 < pages.size()) {
        pager.add(button(HOME_PAGE, "More groups", String.valueOf(shown + 1), false));
      }
      blocks.add(JSON.createObjectNode().put("type", "actions").put("block_id", "home.pages").set("elements", pager));
    }
    return JSON.createObjectNode().put("type", "home").set("blocks", blocks).toString();
  }

  /** A group with more syncs than a page holds shows what fits and says how many it left out. */
  private static List<ObjectNode> fit(List<ObjectNode> group, int room) {
    if (group.size() <= room) {
      return group;
    }
    List<ObjectNode> cut = new java.util.ArrayList<>(group.subList(0, room - 1));
    cut.add(context("… this group has more synced channels than a page holds; stop or unpublish some, or use `tandem sync list`."));
    return cut;
  }

  private static List<ObjectNode> groupBlocks(String workspaceId, boolean admin, GroupView g, Map<String, SyncTopology.LocalStats> stats) {
    List<ObjectNode> out = new java.util.ArrayList<>();
    out.add(JSON.createObjectNode().put("type", "divider"));
    String title = "*" + escape(g.name()) + "*" + (admin ? "   invite code `" + g.inviteCode() + "`" : "");
    out.add(section(title));
    if (admin) {
      ArrayNode buttons = JSON.createArrayNode();
      buttons.add(button(PUBLISH, "Sync a channel", g.id(), false));
      buttons.add(button(INVITE, "Invite a workspace", g.id(), false));
      buttons.add(button(LEAVE, "Leave group", g.id(), false));
      out.add(JSON.createObjectNode().put("type", "actions").put("block_id", "group." + g.id()).set("elements", buttons));
    }
    out.add(context("Members: " + g.members().stream().map(HomeView::member).collect(Collectors.joining(", "))));
    if (admin) {
      for (Member m : g.members()) {
        if ("pending".equals(m.status())) {
          ObjectNode invited = section(":envelope: *" + escape(m.name()) + "* is invited; its admins have not answered yet.");
          invited.set("accessory", button(CANCEL_INVITE, "Cancel invite", m.memberId(), false));
          out.add(invited);
        }
      }
    }
    if (g.syncs().isEmpty()) {
      out.add(context("No channel is synced in this group yet."));
    }
    for (SyncView s : g.syncs()) {
      var local = s.channels().stream().filter(c -> c.workspaceId().equals(workspaceId)).findFirst();
      ObjectNode line = section(syncLine(workspaceId, s, g));
      if (admin && local.isEmpty() && !s.publisherWorkspaceId().equals(workspaceId)) {
        line.set("accessory", button(SUBSCRIBE, "Start syncing", s.id(), true));
      }
      out.add(line);
      SyncTopology.LocalStats st = stats.get(s.id());
      if (local.isPresent() && st != null) {
        out.add(context("Synced since " + java.time.Instant.ofEpochMilli(st.since()).atZone(java.time.ZoneOffset.UTC).toLocalDate()
            + " · " + st.messagesTracked() + (st.messagesTracked() == 1 ? " message" : " messages") + " tracked"));
      }
      if (admin && local.isPresent()) {
        ArrayNode buttons = JSON.createArrayNode();
        buttons.add(local.get().active() ? button(PAUSE, "Pause", s.id(), false) : button(RESUME, "Resume", s.id(), false));
        buttons.add(button(STOP, "Stop syncing", s.id(), false).put("style", "danger"));
        if (s.publisherWorkspaceId().equals(workspaceId)) {
          buttons.add(button(UNPUBLISH, "Unpublish", s.id(), false).put("style", "danger"));
        }
        out.add(JSON.createObjectNode().put("type", "actions").put("block_id", "sync." + s.id()).set("elements", buttons));
      }
    }
    return out;
  }

  private static String member(Member m) {
    return escape(m.name()) + ("active".equals(m.status()) ? "" : " (" + m.status() + ")");
  }

  private static String syncLine(String workspaceId, SyncView s, GroupView g) {
    var local = s.channels().stream().filter(c -> c.workspaceId().equals(workspaceId)).findFirst();
    String where = local.map(c -> "<#" + c.channelId() + ">" + (c.active() ? "" : " (paused)")).orElse("not synced here");
    Map<String, String> names = g.members().stream().collect(Collectors.toMap(Member::workspaceId, Member::name, (a, b) -> a));
    String others = s.channels().stream().filter(c -> !c.workspaceId().equals(workspaceId))
        .map(c -> escape(names.getOrDefault(c.workspaceId(), c.workspaceId())) + (c.active() ? "" : " (paused)"))
        .collect(Collectors.joining(", "));
    return ":arrows_counterclockwise: *" + escape(s.title()) + "*: " + where + " · with " + (others.isEmpty() ? "no other workspace yet" : others)
        + " · " + ("direct".equals(s.mode()) ? "1-to-1" : "available to the group");
  }

  static String createModal() {
    return modal(CREATE, "Create a group", "Create",
        input(NAME_BLOCK, "Group name", "e.g. Partners", 100),
        context("You get an invite code to give to the admins of the other workspaces."));
  }

  static String joinModal() {
    return modal(JOIN, "Join a group", "Join",
        input(CODE_BLOCK, "Invite code", "ABC-DEFG", 20),
        context("Ask an admin of a workspace in the group for its code (shown on their Tandem Sync Home tab)."));
  }

  /** Publishing a channel to a group: which channel, and to the whole group or to one workspace of it. */
  static String publishModal(String groupId, String groupName, List<Member> others) {
    ObjectNode mode = JSON.createObjectNode().put("type", "radio_buttons").put("action_id", VALUE);
    ArrayNode modes = JSON.createArrayNode();
    ObjectNode toGroup = option("Every workspace of " + groupName, "group");
    modes.add(toGroup);
    if (!others.isEmpty()) {
      modes.add(option("Only one workspace (pick it below)", "direct"));
    }
    mode.set("options", modes);
    mode.set("initial_option", toGroup);
    List<ObjectNode> blocks = new java.util.ArrayList<>();
    blocks.add(channelInput("Channel to sync"));
    blocks.add(labelled(MODE_BLOCK, "Share it with", mode, false));
    if (!others.isEmpty()) {
      ObjectNode target = JSON.createObjectNode().put("type", "static_select").put("action_id", VALUE);
      target.set("placeholder", plain("A workspace of the group"));
      ArrayNode options = JSON.createArrayNode();
      others.stream().limit(MAX_OPTIONS).forEach(m -> options.add(option(m.name(), m.workspaceId())));
      target.set("options", options);
      blocks.add(labelled(TARGET_BLOCK, "Workspace (only for one workspace)", target, true));
    }
    blocks.add(context("Private channels: invite @Tandem Sync to the channel first (/invite @Tandem Sync); it never joins one by itself."));
    return modal(PUBLISH, "Sync a channel", "Sync", groupId, blocks.toArray(ObjectNode[]::new));
  }

  /** Subscribing a local channel to a sync published elsewhere. */
  static String subscribeModal(String syncId, String title) {
    return modal(SUBSCRIBE, "Start syncing", "Start", syncId, channelInput("Channel here to sync with " + title),
        context("Messages will be copied both ways between this channel and the other workspaces' channels of *" + escape(title) + "*."));
  }

  /** The confirmation before a channel stops syncing. */
  static String stopModal(String syncId, String channelId) {
    return modal(STOP, "Stop syncing", "Stop syncing", syncId, section("Stop syncing <#" + channelId + ">? Its messages stay; new ones"
        + " are no longer copied either way. The other workspaces go on syncing with each other."));
  }

  /** The confirmation before a sync this workspace published ends for everyone. */
  static String unpublishModal(String syncId, String title) {
    return modal(UNPUBLISH, "Unpublish", "Unpublish", syncId, section("Unpublish *" + escape(title) + "*? Every workspace's channel stops"
        + " syncing it, and each is told. Messages already copied stay."));
  }

  /** The user-mapping screen: one page of one matching method. */
  static String peoplePage(String workspaceName, String method, int page, Map<String, Long> counts, List<PeoplePages.Row> rows) {
    ArrayNode blocks = JSON.createArrayNode();
    blocks.add(header("People"));
    blocks.add(section("How people of the workspaces that sync with *" + escape(workspaceName) + "* appear here: their mentions"
        + " become the person they are mapped to, and their messages are posted with that person's name and picture."));
    ArrayNode filters = JSON.createArrayNode();
    for (var m : List.of(Map.entry("none", "Unmapped"), Map.entry("name", "Matched by name"), Map.entry("email", "Matched by email"),
        Map.entry("manual", "Set by hand"))) {
      filters.add(button(PEOPLE_PAGE, m.getValue() + " (" + counts.getOrDefault(m.getKey(), 0L) + ")", m.getKey() + "|0",
          m.getKey().equals(method)));
    }
    filters.add(button(BACK, "Back", null, false));
    blocks.add(JSON.createObjectNode().put("type", "actions").put("block_id", "people.filters").set("elements", filters));
    long total = counts.getOrDefault(method, 0L);
    if (rows.isEmpty()) {
      blocks.add(context("Nobody here."));
    }
    for (PeoplePages.Row r : rows) {
      ObjectNode row = section("*" + escape(r.name()) + "* (" + escape(r.sourceWorkspaceName()) + ")  →  "
          + r.targetUserId().map(u -> "<@" + u + ">").orElse("_not mapped: shown as " + escape(r.name()) + " (" + escape(r.sourceWorkspaceName()) + ")_"));
      row.set("accessory", button(PEOPLE_EDIT, "Edit", r.sourceWorkspaceId() + "|" + r.sourceUserId() + "|" + method + "|" + page, false));
      blocks.add(row);
    }
    long pages = Math.max(1, (total + PeoplePages.PAGE - 1) / PeoplePages.PAGE);
    ArrayNode pager = JSON.createArrayNode();
    if (page > 0) {
      pager.add(button(PEOPLE_PAGE, "Previous", method + "|" + (page - 1), false));
    }
    if (page + 1 < pages) {
      pager.add(button(PEOPLE_PAGE, "Next", method + "|" + (page + 1), false));
    }
    blocks.add(context("Page " + (page + 1) + " of " + pages + " · " + total + (total == 1 ? " person" : " people")));
    if (!pager.isEmpty()) {
      blocks.add(JSON.createObjectNode().put("type", "actions").put("block_id", "people.pages").set("elements", pager));
    }
    return JSON.createObjectNode().put("type", "home").set("blocks", blocks).toString();
  }

  /** Choosing who a person of another workspace is here. */
  static String editPersonModal(String metadata, String name, String workspaceName) {
    ObjectNode picker = JSON.createObjectNode().put("type", "external_select").put("action_id", PERSON_PICKER).put("min_query_length", 0);
    picker.set("placeholder", plain("Type a name"));
    return modal(PEOPLE_EDIT, "Edit mapping", "Save", metadata,
        section("Who is *" + escape(name) + "* (" + escape(workspaceName) + ") in this workspace?"),
        labelled(PERSON_BLOCK, "Person here", picker, false),
        context("Pick \"No one\" to remove the mapping: their messages then show their own name and workspace."));
  }

  /** Inviting one of the other workspaces where Tandem Sync is installed. */
  static String inviteModal(String groupId, String groupName, List<Member> candidates) {
    ObjectNode select = JSON.createObjectNode().put("type", "static_select").put("action_id", VALUE);
    select.set("placeholder", plain("A workspace where Tandem Sync is installed"));
    ArrayNode options = JSON.createArrayNode();
    candidates.stream().limit(MAX_OPTIONS).forEach(m -> options.add(option(m.name(), m.workspaceId())));
    select.set("options", options);
    return modal(INVITE, "Invite a workspace", "Invite", groupId, labelled(WORKSPACE_BLOCK, "Workspace", select, false),
        context("Its admins get a message with Accept and Decline buttons. Workspaces where Tandem Sync is not installed can join"
            + " with the group's invite code once they install it."));
  }

  /** The message an invited workspace's admins get. */
  static String inviteMessageBlocks(String memberId, String fromWorkspace, String groupName, String toWorkspace) {
    ArrayNode blocks = JSON.createArrayNode();
    blocks.add(section(":envelope: *" + escape(fromWorkspace) + "* invites *" + escape(toWorkspace) + "* into the Tandem Sync group *"
        + escape(groupName) + "*. Workspaces of a group can sync channels with each other; nothing is synced until an admin picks"
        + " channels on the Home tab."));
    ArrayNode buttons = JSON.createArrayNode();
    buttons.add(button(ACCEPT, "Accept", memberId, true));
    buttons.add(button(DECLINE, "Decline", memberId, false));
    blocks.add(JSON.createObjectNode().put("type", "actions").put("block_id", "invite." + memberId).set("elements", buttons));
    return blocks.toString();
  }

  /** The same message once the invitation was settled: what happened, no buttons. */
  static String settledBlocks(String text) {
    return JSON.createArrayNode().add(section(text)).toString();
  }

  /** The confirmation before this workspace leaves a group. */
  static String leaveModal(String groupId, String name) {
    return modal(LEAVE, "Leave group", "Leave", groupId, section("Leave *" + escape(name) + "*? This workspace's channels stop syncing"
        + " with the group, syncs it published that nobody else takes part in end, and the other members are told."));
  }

  private static ObjectNode channelInput(String label) {
    ObjectNode picker = JSON.createObjectNode().put("type", "external_select").put("action_id", CHANNEL_PICKER).put("min_query_length", 0);
    picker.set("placeholder", plain("Type to search channels"));
    return labelled(CHANNEL_BLOCK, label, picker, false);
  }

  private static ObjectNode labelled(String blockId, String label, ObjectNode element, boolean optional) {
    ObjectNode block = JSON.createObjectNode().put("type", "input").put("block_id", blockId).put("optional", optional);
    block.set("label", plain(label));
    block.set("element", element);
    return block;
  }

  static ObjectNode option(String text, String value) {
    ObjectNode o = JSON.createObjectNode().put("value", value);
    o.set("text", plain(text.length() > 75 ? text.substring(0, 74) + "…" : text));
    return o;
  }

  /** Slack shows at most 100 options in a select (and refuses an options answer with more). */
  static final int MAX_OPTIONS = 100;

  /** A modal that only explains why nothing happened. */
  static String refusal(String text) {
    ObjectNode view = JSON.createObjectNode().put("type", "modal");
    view.set("title", plain("Tandem Sync"));
    view.set("close", plain("OK"));
    view.set("blocks", JSON.createArrayNode().add(section(text)));
    return view.toString();
  }

  private static String modal(String callbackId, String title, String submit, ObjectNode... blocks) {
    return modal(callbackId, title, submit, "", blocks);
  }

  private static String modal(String callbackId, String title, String submit, String metadata, ObjectNode... blocks) {
    ObjectNode view = JSON.createObjectNode().put("type", "modal").put("callback_id", callbackId).put("private_metadata", metadata);
    view.set("title", plain(title));
    view.set("submit", plain(submit));
    view.set("close", plain("Cancel"));
    ArrayNode list = JSON.createArrayNode();
    for (ObjectNode b : blocks) {
      list.add(b);
    }
    view.set("blocks", list);
    return view.toString();
  }

  private static ObjectNode input(String blockId, String label, String placeholder, int maxLength) {
    ObjectNode element = JSON.createObjectNode().put("type", "plain_text_input").put("action_id", VALUE).put("max_length", maxLength);
    element.set("placeholder", plain(placeholder));
    return labelled(blockId, label, element, false);
  }

  private static ObjectNode header(String text) {
    ObjectNode b = JSON.createObjectNode().put("type", "header");
    b.set("text", plain(text));
    return b;
  }

  private static ObjectNode section(String mrkdwn) {
    ObjectNode b = JSON.createObjectNode().put("type", "section");
    b.set("text", JSON.createObjectNode().put("type", "mrkdwn").put("text", truncate(mrkdwn, 3000)));
    return b;
  }

  private static ObjectNode context(String mrkdwn) {
    ObjectNode b = JSON.createObjectNode().put("type", "context");
    b.set("elements", JSON.createArrayNode().add(JSON.createObjectNode().put("type", "mrkdwn").put("text", truncate(mrkdwn, 3000))));
    return b;
  }

  private static ObjectNode button(String actionId, String text, String value, boolean primary) {
    ObjectNode b = JSON.createObjectNode().put("type", "button").put("action_id", actionId);
    b.set("text", plain(text));
    if (value != null) {
      b.put("value", value);
    }
    if (primary) {
      b.put("style", "primary");
    }
    return b;
  }

  private static ObjectNode plain(String text) {
    return JSON.createObjectNode().put("type", "plain_text").put("text", truncate(text, 150));
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** Slack's mrkdwn escapes: names typed by people must not become links or mentions. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
