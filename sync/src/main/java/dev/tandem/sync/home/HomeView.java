package dev.tandem.sync.home;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.sync.link.SyncTopology.GroupView;
import dev.tandem.sync.link.SyncTopology.Member;
import dev.tandem.sync.link.SyncTopology.SyncView;
import java.util.List;
import java.util.stream.Collectors;

/** The Home tab and its modals as Block Kit JSON: pure functions of what they show. */
final class HomeView {
  static final String CREATE = "home.group.create";
  static final String JOIN = "home.group.join";
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
    ArrayNode blocks = JSON.createArrayNode();
    blocks.add(header("Tandem Sync"));
    blocks.add(section(groups.isEmpty()
        ? "*" + escape(workspaceName) + "* is in no workspace group yet. A group is a set of workspaces that can sync channels with each other."
        : "Workspace groups of *" + escape(workspaceName) + "*, and the channels they sync."));
    if (admin) {
      ArrayNode buttons = JSON.createArrayNode();
      buttons.add(button(CREATE, "Create a group", null, true));
      buttons.add(button(JOIN, "Join a group with a code", null, false));
      blocks.add(JSON.createObjectNode().put("type", "actions").put("block_id", "home.groups").set("elements", buttons));
    } else {
      blocks.add(context(":lock: Only workspace admins can change Tandem Sync's configuration. This is a read-only summary."));
    }
    int shown = 0;
    for (GroupView g : groups) {
      List<ObjectNode> group = groupBlocks(workspaceId, admin, g);
      if (blocks.size() + group.size() + 1 > MAX_BLOCKS) {
        break;
      }
      group.forEach(blocks::add);
      shown++;
    }
    if (shown < groups.size()) {
      blocks.add(context("… and " + (groups.size() - shown) + " more groups."));
    }
    return JSON.createObjectNode().put("type", "home").set("blocks", blocks).toString();
  }

  private static List<ObjectNode> groupBlocks(String workspaceId, boolean admin, GroupView g) {
    List<ObjectNode> out = new java.util.ArrayList<>();
    out.add(JSON.createObjectNode().put("type", "divider"));
    String title = "*" + escape(g.name()) + "*" + (admin ? "   invite code `" + g.inviteCode() + "`" : "");
    out.add(section(title));
    out.add(context("Members: " + g.members().stream().map(HomeView::member).collect(Collectors.joining(", "))));
    if (g.syncs().isEmpty()) {
      out.add(context("No channel is synced in this group yet."));
    }
    for (SyncView s : g.syncs()) {
      out.add(section(syncLine(workspaceId, s)));
    }
    return out;
  }

  private static String member(Member m) {
    return escape(m.name()) + ("active".equals(m.status()) ? "" : " (" + m.status() + ")");
  }

  private static String syncLine(String workspaceId, SyncView s) {
    var local = s.channels().stream().filter(c -> c.workspaceId().equals(workspaceId)).findFirst();
    String where = local.map(c -> "<#" + c.channelId() + ">" + (c.active() ? "" : " (paused)")).orElse("not synced here");
    long others = s.channels().stream().filter(c -> !c.workspaceId().equals(workspaceId)).count();
    long paused = s.channels().stream().filter(c -> !c.active()).count();
    return ":arrows_counterclockwise: *" + escape(s.title()) + "*: " + where + " · with " + others + " other workspace" + (others == 1 ? "" : "s")
        + (paused > 0 ? " · " + paused + " paused" : "") + " · " + ("direct".equals(s.mode()) ? "1-to-1" : "available to the group");
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

  /** A modal that only explains why nothing happened. */
  static String refusal(String text) {
    ObjectNode view = JSON.createObjectNode().put("type", "modal");
    view.set("title", plain("Tandem Sync"));
    view.set("close", plain("OK"));
    view.set("blocks", JSON.createArrayNode().add(section(text)));
    return view.toString();
  }

  private static String modal(String callbackId, String title, String submit, ObjectNode... blocks) {
    ObjectNode view = JSON.createObjectNode().put("type", "modal").put("callback_id", callbackId);
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
    ObjectNode block = JSON.createObjectNode().put("type", "input").put("block_id", blockId);
    block.set("label", plain(label));
    block.set("element", element);
    return block;
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
