package dev.tandem.sync.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RendererTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Acme's view of Globex: dave is mapped, carol is not; #general is synced, #random is not. */
  private static final Renderer.Lookup GLOBEX = new Renderer.Lookup() {
    @Override
    public Optional<String> mappedUser(String userId) {
      return Optional.ofNullable(Map.of("U0DAVEA", "U0DAVEG").get(userId));
    }

    @Override
    public String userLabel(String userId) {
      return Map.of("U0CAROL", "carol", "U0DAVEA", "dave").getOrDefault(userId, userId) + " (Acme)";
    }

    @Override
    public Optional<String> localChannel(String channelId) {
      return Optional.ofNullable(Map.of("C0ACMEGEN", "C0GLOBGEN").get(channelId));
    }

    @Override
    public Optional<String> localChannelByDomain(String domain, String channelId) {
      return domain.equals("acme") ? localChannel(channelId) : Optional.empty();
    }

    @Override
    public Optional<String> archiveUrl(String channelId) {
      return Optional.of("https://acme.slack.com/archives/" + channelId);
    }

    @Override
    public String workspaceName() {
      return "Acme";
    }
  };

  @Test
  void mentionsChannelsAndArchiveLinksAreRemappedInText() {
    String text = Renderer.text("Hi <@U0DAVEA> and <@U0CAROL|carol>: see <#C0ACMEGEN>, <#C0ACMERND|random> and "
        + "<https://acme.slack.com/archives/C0ACMEGEN/p1700000000000100|this>", GLOBEX);

    assertThat(text).isEqualTo("Hi <@U0DAVEG> and @carol (Acme): see <#C0GLOBGEN>, "
        + "<https://acme.slack.com/archives/C0ACMERND|#random (Acme)> and <#C0GLOBGEN>");
  }

  @Test
  void richTextKeepsItsStylesAndRemapsElementsWhileInteractiveBlocksAreDropped() throws Exception {
    JsonNode message = JSON.readTree("""
        {"type":"message","text":"*bold* <@U0CAROL>","blocks":[
          {"type":"rich_text","block_id":"a1","elements":[{"type":"rich_text_section","elements":[
            {"type":"text","text":"bold","style":{"bold":true}},
            {"type":"user","user_id":"U0CAROL"},
            {"type":"user","user_id":"U0DAVEA"},
            {"type":"channel","channel_id":"C0ACMEGEN"}]},
            {"type":"rich_text_list","style":"bullet","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"one"}]}]},
            {"type":"rich_text_preformatted","elements":[{"type":"text","text":"code"}]}]},
          {"type":"actions","elements":[{"type":"button","action_id":"x","text":{"type":"plain_text","text":"Press"}}]},
          {"type":"section","text":{"type":"mrkdwn","text":"ask <@U0DAVEA>"},
           "accessory":{"type":"button","action_id":"y","text":{"type":"plain_text","text":"No"}}}]}""");

    Renderer.Rendered copy = Renderer.render(message, GLOBEX);

    assertThat(copy.text()).isEqualTo("*bold* @carol (Acme)");
    String blocks = copy.blocks().orElseThrow().toString();
    assertThat(blocks).contains("\"style\":{\"bold\":true}").contains("{\"type\":\"text\",\"text\":\"@carol (Acme)\"}")
        .contains("{\"type\":\"user\",\"user_id\":\"U0DAVEG\"}").contains("{\"type\":\"channel\",\"channel_id\":\"C0GLOBGEN\"}")
        .contains("rich_text_list").contains("rich_text_preformatted").contains("ask <@U0DAVEG>")
        .doesNotContain("button").doesNotContain("actions").doesNotContain("block_id").doesNotContain("U0DAVEA");
  }

  @Test
  void unfurledAndGifImagesBecomeImageBlocksAndMeMessagesStayItalic() throws Exception {
    Renderer.Rendered gif = Renderer.render(JSON.readTree("""
        {"type":"message","text":"","attachments":[{"image_url":"https://media.giphy.com/x.gif","title":"party"}]}"""), GLOBEX);
    Renderer.Rendered me = Renderer.render(JSON.readTree("""
        {"type":"message","subtype":"me_message","text":"waves at <@U0DAVEA>"}"""), GLOBEX);

    assertThat(gif.blocks().orElseThrow().toString()).contains("\"type\":\"image\"").contains("https://media.giphy.com/x.gif")
        .contains("\"alt_text\":\"party\"");
    assertThat(gif.text()).isEqualTo("Shared an image");
    assertThat(me.text()).isEqualTo("_waves at <@U0DAVEG>_");
    assertThat(me.blocks()).isEmpty();
  }

  @Test
  void atMostFiftyMentionsAreResolved() {
    String many = "<@U0DAVEA> ".repeat(60).strip();

    String text = Renderer.text(many, GLOBEX);

    assertThat(text.split(" ")).hasSize(60);
    assertThat(text).contains("<@U0DAVEG>");
    assertThat(text.split("<@U0DAVEG>", -1)).hasSize(51);
  }
}
