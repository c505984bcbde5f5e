package dev.tandem.sandbox;

import static dev.tandem.sandbox.Json.obj;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds Slack's object shapes (user, conversation, bot profile, team, file, view) from state. */
final class Shapes {
  private static final Pattern MENTION = Pattern.compile("<@([UW][A-Z0-9]+)>|<#([CG][A-Z0-9]+)(?:\\|[^>]*)?>");
  private static final String AVATARS = "https://avatars.slack-edge.com/2024-06-13/7284012993521_";
  private static final String EDGE = "https://a.slack-edge.com/80588/img/";

  private Shapes() {}

  /** users.info / users.list member; {@code email} only with users:read.email, as Slack does. */
  static Map<String, Object> user(State.Person p, boolean withEmail) {
    String[] names = p.realName.split(" ", 2);
    Map<String, Object> profile = obj("title", p.title, "phone", "", "skype", "", "real_name", p.realName,
        "real_name_normalized", p.realName, "display_name", p.bot ? "" : p.name, "display_name_normalized",
        p.bot ? "" : p.name, "fields", null, "status_text", "", "status_emoji", "", "status_emoji_display_info",
        List.of(), "status_expiration", 0, "avatar_hash", p.avatarHash);
    if (p.bot) {
      profile.put("api_app_id", p.appId);
      profile.put("always_active", true);
      profile.put("bot_id", p.botId);
    } else if (withEmail && p.email != null) {
      profile.put("email", p.email);
    }
    profile.put("first_name", names[0]);
    profile.put("last_name", names.length > 1 ? names[1] : "");
    for (int size : new int[] {24, 32, 48, 72, 192, 512}) {
      profile.put("image_" + size, AVATARS + p.avatarHash + "_" + size + ".png");
    }
    profile.put("status_text_canonical", "");
    profile.put("team", p.teamId);
    return obj("id", p.id, "team_id", p.teamId, "name", p.name, "deleted", p.deleted, "color", p.color,
        "real_name", p.realName, "tz", p.tz, "tz_label", p.tzLabel, "tz_offset", p.tzOffset, "profile", profile,
        "is_admin", p.admin, "is_owner", false, "is_primary_owner", false, "is_restricted", false,
        "is_ultra_restricted", false, "is_bot", p.bot, "is_app_user", false, "updated", p.updated,
        "is_email_confirmed", !p.bot, "who_can_share_contact_card", "EVERYONE");
  }

  /** conversations.info shape; conversations.list adds is_member and num_members. */
  static Map<String, Object> conversation(State.Conv c, String viewerUserId) {
    if (c.im) {
      return obj("id", c.id, "created", c.created, "is_archived", false, "is_im", true, "is_org_shared", false,
          "context_team_id", c.teamId, "updated", c.created * 1000 + 512, "user", c.imUser, "is_user_deleted",
          false, "priority", 0);
    }
    return obj("id", c.id, "name", c.name, "is_channel", !c.isPrivate, "is_group", c.isPrivate, "is_im", false,
        "is_mpim", false, "is_private", c.isPrivate, "created", c.created, "is_archived", c.archived,
        "is_general", c.general, "unlinked", 0, "name_normalized", c.name, "is_shared", false,
        "is_org_shared", false, "is_pending_ext_shared", false, "pending_shared", List.of(),
        "context_team_id", c.teamId, "updated", c.created * 1000 + 512, "parent_conversation", null,
        "creator", c.creator, "is_ext_shared", false, "shared_team_ids", List.of(c.teamId),
        "pending_connected_team_ids", List.of(), "topic", obj("value", "", "creator", "", "last_set", 0),
        "purpose", obj("value", c.purpose, "creator", c.purpose.isEmpty() ? "" : c.creator, "last_set",
            c.purpose.isEmpty() ? 0 : c.created),
        "properties", obj("tabs", List.of(obj("id", "files", "label", "", "type", "files"),
            obj("id", "bookmarks", "label", "", "type", "bookmarks"))),
        "previous_names", List.of());
  }

  static Map<String, Object> botProfile(State.Install i) {
    return obj("id", i.botId, "deleted", i.revoked, "name", i.botName, "updated", i.updated, "app_id", i.appId,
        "icons", obj("image_36", EDGE + "plugins/app/bot_36.png", "image_48", EDGE + "plugins/app/bot_48.png",
            "image_72", EDGE + "plugins/app/service_72.png"),
        "team_id", i.teamId);
  }

  /** bots.info's bot object. */
  static Map<String, Object> bot(State.Install i) {
    return obj("id", i.botId, "deleted", i.revoked, "name", i.botName, "updated", i.updated, "app_id", i.appId,
        "user_id", i.botUserId, "icons", obj("image_36", EDGE + "plugins/app/bot_36.png", "image_48",
            EDGE + "plugins/app/bot_48.png", "image_72", EDGE + "plugins/app/service_72.png"));
  }

  static Map<String, Object> team(State.Team t) {
    Map<String, Object> icon = obj("image_default", true);
    for (int size : new int[] {34, 44, 68, 88, 102, 230, 132}) {
      icon.put("image_" + size, EDGE + "avatars-teams/ava_0014-" + size + ".png");
    }
    return obj("id", t.id, "name", t.name, "url", "https://" + t.domain + ".slack.com/", "domain", t.domain,
        "email_domain", t.domain + ".example", "icon", icon, "avatar_base_url", "https://ca.slack-edge.com/",
        "is_verified", false);
  }

  /**
   * The rich_text block Slack derives from a plain message text, with {@code <@U…>} mentions as user
   * elements (see event.message.json).
   */
  static Map<String, Object> richText(String text, String blockId) {
    List<Object> elements = new ArrayList<>();
    Matcher m = MENTION.matcher(text);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) elements.add(obj("type", "text", "text", text.substring(at, m.start())));
      elements.add(m.group(1) != null ? obj("type", "user", "user_id", m.group(1)) : obj("type", "channel", "channel_id", m.group(2)));
      at = m.end();
    }
    if (at < text.length()) elements.add(obj("type", "text", "text", text.substring(at)));
    return obj("type", "rich_text", "block_id", blockId, "elements",
        List.of(obj("type", "rich_text_section", "elements", elements)));
  }

  /** Slack gives every block without a block_id a short random one; so does the sandbox. */
  static List<Object> withBlockIds(List<Object> blocks, Ids ids) {
    List<Object> out = new ArrayList<>();
    for (Object o : blocks) {
      if (o instanceof Map<?, ?> b && !b.containsKey("block_id")) {
        Map<String, Object> c = Json.copy(Json.map(b));
        Map<String, Object> ordered = obj("type", c.remove("type"), "block_id", ids.alnumMixed(5));
        ordered.putAll(c);
        out.add(ordered);
      } else {
        out.add(Json.copy(o));
      }
    }
    return out;
  }

  /** The file object of files.info and file_share events; URLs point at the sandbox. */
  static Map<String, Object> file(State.FileObj f, State.Team t, String base) {
    String ext = f.name.contains(".") ? f.name.substring(f.name.lastIndexOf('.') + 1).toLowerCase() : "binary";
    String pri = base + "/files-pri/" + f.teamId + "-" + f.id + "/";
    Map<String, Object> m = obj("id", f.id, "created", f.created, "timestamp", f.created, "name", f.name,
        "title", f.title, "mimetype", f.mimetype, "filetype", ext, "pretty_type", ext.toUpperCase(),
        "user", f.userId, "user_team", f.teamId, "editable", false,
        "size", f.content == null ? f.declaredLength : f.content.length, "mode", "hosted", "is_external", false,
        "external_type", "", "is_public", true, "public_url_shared", false, "display_as_bot", false,
        "username", "", "url_private", pri + f.name, "url_private_download", pri + "download/" + f.name,
        "media_display_type", "unknown",
        "permalink", "https://" + t.domain + ".slack.com/files/" + f.userId + "/" + f.id + "/" + f.name,
        "permalink_public", "https://slack-files.com/" + f.teamId + "-" + f.id + "-0000000000",
        "has_rich_preview", false, "file_access", "visible");
    return m;
  }

  /** A stored view as views.* return it and interactivity payloads carry it. */
  static Map<String, Object> view(State.View v, State.Install i) {
    Map<String, Object> b = v.body;
    Map<String, Object> m = obj("id", v.id, "team_id", v.teamId, "type", v.type, "blocks",
        Json.copy(b.getOrDefault("blocks", List.of())), "private_metadata", b.getOrDefault("private_metadata", ""),
        "callback_id", b.getOrDefault("callback_id", ""), "state", obj("values", Json.copy(
            b.getOrDefault("__state", Map.of()))), "hash", v.hash);
    if ("modal".equals(v.type)) {
      m.put("title", Json.copy(b.get("title")));
      m.put("clear_on_close", b.getOrDefault("clear_on_close", false));
      m.put("notify_on_close", b.getOrDefault("notify_on_close", false));
      m.put("close", Json.copy(b.get("close")));
      m.put("submit", Json.copy(b.get("submit")));
      m.put("previous_view_id", v.previousViewId);
      m.put("root_view_id", v.rootViewId);
      m.put("app_id", v.appId);
      m.put("external_id", v.externalId);
      m.put("app_installed_team_id", v.teamId);
      m.put("bot_id", i.botId);
    } else {
      m.put("clear_on_close", false);
      m.put("notify_on_close", false);
      m.put("root_view_id", v.rootViewId);
      m.put("app_id", v.appId);
      m.put("external_id", v.externalId);
      m.put("app_installed_team_id", v.teamId);
      m.put("bot_id", i.botId);
      m.put("previous_view_id", null);
    }
    return m;
  }
}
