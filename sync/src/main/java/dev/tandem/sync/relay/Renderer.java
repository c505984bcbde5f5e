package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.sync.SyncSettings;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a message of one workspace into its copy for another: mentions become the mapped person
 * or a readable {@code @Name (Workspace)}, channel references become the local channel of the
 * same sync or a link to the source channel, archive links to a synced channel become native
 * links; rich text survives, interactive blocks are dropped, and GIF or unfurl images become
 * image blocks. Pure: everything it needs to know comes through {@link Lookup}.
 */
final class Renderer {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern USER = Pattern.compile("<@([UW][A-Z0-9]+)(?:\\|[^>]*)?>");
  private static final Pattern CHANNEL = Pattern.compile("<#([CG][A-Z0-9]+)(?:\\|([^>]*))?>");
  private static final Pattern ARCHIVE = Pattern.compile(
      "<https://([a-z0-9-]+)\\.slack\\.com/archives/([CG][A-Z0-9]+)(?:/p\\d+)?(?:\\?[^|>]*)?(?:\\|([^>]*))?>");
  /** Blocks a copy keeps; the rest (actions, inputs, and anything new) is interactive or unknown. */
  private static final Set<String> KEPT_BLOCKS = Set.of("rich_text", "section", "header", "divider", "image", "context", "markdown");
  private static final Set<String> INTERACTIVE = Set.of("button", "static_select", "external_select", "users_select",
      "conversations_select", "channels_select", "multi_static_select", "multi_external_select", "multi_users_select",
      "multi_conversations_select", "multi_channels_select", "overflow", "datepicker", "timepicker", "datetimepicker",
      "checkboxes", "radio_buttons", "plain_text_input", "workflow_button");
  private static final int MAX_BLOCKS = 50;

  /** What the renderer asks about the target workspace. */
  interface Lookup {
    /** The person a source user is in the target workspace. */
    Optional<String> mappedUser(String userId);

    /** A readable label for an unmapped source user: {@code Name (Workspace)}. */
    String userLabel(String userId);

    /** The target's channel in the same sync as a source channel. */
    Optional<String> localChannel(String channelId);

    /** The target's channel in the same sync as a channel of the workspace with this Slack domain. */
    Optional<String> localChannelByDomain(String domain, String channelId);

    /** The source channel's archive URL, when the source workspace's domain is known. */
    Optional<String> archiveUrl(String channelId);

    /** The source workspace's name. */
    String workspaceName();
  }

  /** A rendered copy: the fallback text and the blocks (absent: Slack renders the text). */
  record Rendered(String text, Optional<ArrayNode> blocks) {}

  private Renderer() {}

  static Rendered render(JsonNode message, Lookup lookup) {
    boolean me = "me_message".equals(message.path("subtype").asText());
    String text = text(message.path("text").asText(""), lookup);
    ArrayNode blocks = NODES.arrayNode();
    for (JsonNode block : message.path("blocks")) {
      keep(block, lookup).ifPresent(blocks::add);
    }
    for (JsonNode attachment : message.path("attachments")) {
      String url = attachment.path("image_url").asText(attachment.path("thumb_url").asText(""));
      if (!url.isEmpty()) {
        blocks.add(image(url, attachment.path("title").asText(attachment.path("fallback").asText("image"))));
      }
    }
    if (me) {
      text = "_" + text + "_";
      blocks.removeAll(); // the text carries the italic /me line
    }
    boolean onlyRichText = blocks.size() == 1 && "rich_text".equals(blocks.get(0).path("type").asText());
    if (text.isBlank() && blocks.isEmpty()) {
      text = message.path("files").isEmpty() ? " " : "";
    }
    if (!blocks.isEmpty() && !onlyRichText && !text.isBlank() && !hasTextBlock(blocks)) {
      ObjectNode section = NODES.objectNode().put("type", "section");
      section.putObject("text").put("type", "mrkdwn").put("text", text);
      blocks.insert(0, section);
    }
    while (blocks.size() > MAX_BLOCKS) {
      blocks.remove(blocks.size() - 1);
    }
    if (text.isBlank() && !blocks.isEmpty()) {
      text = "Shared an image";
    }
    return new Rendered(text, blocks.isEmpty() ? Optional.empty() : Optional.of(blocks));
  }

  private static boolean hasTextBlock(ArrayNode blocks) {
    for (JsonNode b : blocks) {
      String type = b.path("type").asText();
      if (type.equals("rich_text") || type.equals("section") || type.equals("markdown")) {
        return true;
      }
    }
    return false;
  }

  /** Rewrites mentions, channel references and archive links in mrkdwn text. */
  static String text(String text, Lookup lookup) {
    int[] mentions = {0};
    String out = replace(USER, text, m -> {
      if (mentions[0]++ >= SyncSettings.MAX_MENTIONS_PER_MESSAGE) {
        return "@" + m.group(1);
      }
      return lookup.mappedUser(m.group(1)).map(u -> "<@" + u + ">").orElseGet(() -> "@" + lookup.userLabel(m.group(1)));
    });
    out = replace(CHANNEL, out, m -> lookup.localChannel(m.group(1)).map(c -> "<#" + c + ">").orElseGet(() -> {
      String label = "#" + (m.group(2) == null || m.group(2).isEmpty() ? m.group(1) : m.group(2)) + " (" + lookup.workspaceName() + ")";
      return lookup.archiveUrl(m.group(1)).map(u -> "<" + u + "|" + label + ">").orElse(label);
    }));
    return replace(ARCHIVE, out, m -> lookup.localChannelByDomain(m.group(1), m.group(2)).map(c -> "<#" + c + ">")
        .orElse(m.group()));
  }

  private static String replace(Pattern p, String text, java.util.function.Function<Matcher, String> f) {
    Matcher m = p.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static Optional<JsonNode> keep(JsonNode block, Lookup lookup) {
    String type = block.path("type").asText();
    if (!KEPT_BLOCKS.contains(type)) {
      return Optional.empty();
    }
    ObjectNode copy = block.deepCopy();
    copy.remove("block_id");
    if (type.equals("section")) {
      if (INTERACTIVE.contains(copy.path("accessory").path("type").asText())) {
        copy.remove("accessory");
      }
      rewriteTextObject(copy.path("text"), lookup);
      for (JsonNode field : copy.path("fields")) {
        rewriteTextObject(field, lookup);
      }
      return Optional.of(copy);
    }
    if (type.equals("context")) {
      ArrayNode kept = NODES.arrayNode();
      for (JsonNode element : copy.path("elements")) {
        if (!INTERACTIVE.contains(element.path("type").asText())) {
          rewriteTextObject(element, lookup);
          kept.add(element);
        }
      }
      copy.set("elements", kept);
      return kept.isEmpty() ? Optional.empty() : Optional.of(copy);
    }
    if (type.equals("rich_text")) {
      richText(copy, lookup);
    }
    return Optional.of(copy);
  }

  private static void rewriteTextObject(JsonNode node, Lookup lookup) {
    if (node instanceof ObjectNode o && "mrkdwn".equals(o.path("type").asText()) && o.has("text")) {
      o.put("text", text(o.path("text").asText(), lookup));
    }
  }

  /** Walks rich text: user and channel elements are re-mapped, usergroups and broadcasts become plain text. */
  private static void richText(JsonNode node, Lookup lookup) {
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        JsonNode element = array.get(i);
        Optional<ObjectNode> replaced = element(element, lookup);
        if (replaced.isPresent()) {
          array.set(i, replaced.get());
        } else {
          richText(element, lookup);
        }
      }
    } else if (node.isObject()) {
      node.path("elements");
      JsonNode elements = node.get("elements");
      if (elements != null) {
        richText(elements, lookup);
      }
    }
  }

  private static Optional<ObjectNode> element(JsonNode e, Lookup lookup) {
    switch (e.path("type").asText()) {
      case "user" -> {
        String id = e.path("user_id").asText();
        return Optional.of(lookup.mappedUser(id).map(u -> NODES.objectNode().put("type", "user").put("user_id", u))
            .orElseGet(() -> textElement("@" + lookup.userLabel(id), e)));
      }
      case "channel" -> {
        String id = e.path("channel_id").asText();
        Optional<String> local = lookup.localChannel(id);
        if (local.isPresent()) {
          return Optional.of(NODES.objectNode().put("type", "channel").put("channel_id", local.get()));
        }
        String label = "#" + id + " (" + lookup.workspaceName() + ")";
        return Optional.of(lookup.archiveUrl(id).map(u -> NODES.objectNode().put("type", "link").put("url", u).put("text", label))
            .orElseGet(() -> textElement(label, e)));
      }
      case "usergroup" -> {
        return Optional.of(textElement("@group (" + lookup.workspaceName() + ")", e));
      }
      case "link" -> {
        Matcher m = ARCHIVE.matcher("<" + e.path("url").asText() + ">");
        if (m.matches()) {
          Optional<String> local = lookup.localChannelByDomain(m.group(1), m.group(2));
          if (local.isPresent()) {
            return Optional.of(NODES.objectNode().put("type", "channel").put("channel_id", local.get()));
          }
        }
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static ObjectNode textElement(String text, JsonNode original) {
    ObjectNode t = NODES.objectNode().put("type", "text").put("text", text);
    if (original.has("style")) {
      t.set("style", original.get("style").deepCopy());
    }
    return t;
  }

  private static ObjectNode image(String url, String alt) {
    return NODES.objectNode().put("type", "image").put("image_url", url).put("alt_text", alt.isBlank() ? "image" : alt);
  }
}
