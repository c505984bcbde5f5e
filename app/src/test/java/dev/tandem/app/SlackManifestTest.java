package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.slack.SlackAppSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlackManifestTest {
  @TempDir Path dir;

  @Test
  void theHttpManifestPointsEveryUrlAtThisServer() throws Exception {
    CliFixture.Result r = CliFixture.run(Map.of(), dir, "slack", "manifest", "sync", "--url", "https://tandem.example.com/");

    JsonNode m = new ObjectMapper().readTree(r.out());
    assertThat(r.exitCode()).isZero();
    assertThat(m.at("/settings/event_subscriptions/request_url").asText()).isEqualTo("https://tandem.example.com/slack/sync/events");
    assertThat(m.at("/settings/interactivity/request_url").asText()).isEqualTo("https://tandem.example.com/slack/sync/events");
    assertThat(m.at("/settings/interactivity/message_menu_options_url").asText()).isEqualTo("https://tandem.example.com/slack/sync/events");
    assertThat(m.at("/oauth_config/redirect_urls/0").asText()).isEqualTo("https://tandem.example.com/slack/sync/oauth_redirect");
    assertThat(m.at("/settings/token_rotation_enabled").asBoolean(true)).isFalse();
    assertThat(m.at("/settings/socket_mode_enabled").asBoolean(true)).isFalse();
    assertThat(m.at("/features/app_home/home_tab_enabled").asBoolean()).isTrue();
  }

  @Test
  void theSocketModeManifestHasNoRequestUrls() throws Exception {
    CliFixture.Result r = CliFixture.run(Map.of(), dir, "slack", "manifest", "leave");

    JsonNode m = new ObjectMapper().readTree(r.out());
    assertThat(m.at("/settings/socket_mode_enabled").asBoolean()).isTrue();
    assertThat(m.at("/settings/event_subscriptions").has("request_url")).isFalse();
    assertThat(m.at("/settings/interactivity").has("request_url")).isFalse();
  }

  @Test
  void everySubscribedEventIsCoveredByAReadScope() throws Exception {
    Map<String, String> eventScope = Map.of("message.channels", "channels:history", "message.groups", "groups:history",
        "reaction_added", "reactions:read", "reaction_removed", "reactions:read", "member_joined_channel", "channels:read",
        "team_join", "users:read", "user_profile_changed", "users:read");
    for (SlackAppSpec spec : Settings.SLACK_APPS) {
      List<String> missing = new ArrayList<>();
      for (String event : spec.botEvents()) {
        String scope = eventScope.get(event);
        if (scope != null && !spec.botScopes().contains(scope)) {
          missing.add(event + " needs " + scope);
        }
      }
      assertThat(missing).as(spec.name()).isEmpty();
    }
  }

  @Test
  void anUnknownAppIsAUsageError() {
    CliFixture.Result r = CliFixture.run(Map.of(), dir, "slack", "manifest", "payroll");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown app 'payroll' (expected sync or leave)");
  }
}
