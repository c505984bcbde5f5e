package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.ALICE;
import static dev.tandem.sandbox.SandboxFixture.BOB;
import static dev.tandem.sandbox.SandboxFixture.LEAVE;
import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Each delivered envelope has the keys, recursively, of the matching recorded {@code event.*.json} sample. */
class EventConformanceTest {

  private static final String[] ALL = {"message.channels", "message.im", "reaction_added", "reaction_removed",
      "member_joined_channel", "app_home_opened", "team_join", "user_profile_changed", "tokens_revoked",
      "app_uninstalled"};

  private static JsonNode waitFor(Receiver r, Predicate<JsonNode> match) {
    return await().until(() -> r.events().stream().map(x -> {
      try {
        return SandboxFixture.JSON.readTree(x.body());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).filter(match).findFirst().orElse(null), java.util.Objects::nonNull);
  }

  private static Predicate<JsonNode> event(String type, String subtype) {
    return n -> type.equals(n.get("event").path("type").asText())
        && (subtype == null ? !n.get("event").has("subtype") : subtype.equals(n.get("event").path("subtype").asText()));
  }

  private static void conforms(String sample, JsonNode actual) {
    assertThat(KeyShape.diff(KeyShape.sample(sample), actual)).as(sample).isEmpty();
  }

  @Test
  void timelineEventsHaveTheRecordedShapes() throws Exception {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(EventsDeliveryTest.app(r, ALL))) {
      var slack = s.slack();
      String parent = slack.postAsUser(TEAM, LEAVE, ALICE, "<@" + BOB + "> off Friday", null);
      conforms("event.message.json", waitFor(r, event("message", null)));
      slack.postAsUser(TEAM, LEAVE, BOB, "Enjoy the long weekend!", parent);
      conforms("event.message.thread_reply.json", waitFor(r, n -> n.get("event").has("parent_user_id")));
      slack.postAsUser(TEAM, LEAVE, ALICE, "Updated: also off Monday", parent, true);
      conforms("event.thread_broadcast.json", waitFor(r, event("message", "thread_broadcast")));
      slack.react(TEAM, LEAVE, BOB, parent, "palm_tree", false);
      conforms("event.reaction_added.json", waitFor(r, event("reaction_added", null)));
      slack.react(TEAM, LEAVE, BOB, parent, "palm_tree", true);
      conforms("event.reaction_removed.json", waitFor(r, event("reaction_removed", null)));
      String lone = slack.postAsUser(TEAM, LEAVE, ALICE, "<@" + BOB + "> off Friday, back Monday", null);
      slack.editAsUser(TEAM, LEAVE, ALICE, lone, "<@" + BOB + "> off Friday and Monday");
      conforms("event.message_changed.json", waitFor(r, event("message", "message_changed")));
      slack.deleteAsUser(TEAM, LEAVE, ALICE, lone);
      conforms("event.message_deleted.json", waitFor(r, event("message", "message_deleted")));
      slack.postAsUser(TEAM, LEAVE, BOB, "/me is packing", null);
      conforms("event.me_message.json", waitFor(r, event("message", "me_message")));
      slack.addUser(TEAM, "U07B2K9T6WE", "carol", "Carol Mendes", "carol@tandem.example", false);
      conforms("event.team_join.json", waitFor(r, event("team_join", null)));
      slack.invite(TEAM, LEAVE, "carol");
      JsonNode joined = waitFor(r, n -> "member_joined_channel".equals(n.get("event").path("type").asText())
          && "U07B2K9T6WE".equals(n.get("event").path("user").asText()));
      assertThat(KeyShape.diff(KeyShape.sample("event.member_joined_channel.json").get("event").deepCopy(),
          joined.get("event"))).containsExactly("$: missing [inviter] extra []");
      slack.updateProfile(TEAM, ALICE, null, "Engineering Manager", null);
      conforms("event.user_profile_changed.json", waitFor(r, event("user_profile_changed", null)));
      SandboxFixture.callJson(slack, s.install().botToken(), "views.publish", Map.of("user_id", ALICE, "view",
          Map.of("type", "home", "blocks", KeyShape.sample("event.app_home_opened.json").at("/event/view/blocks"))));
      slack.openHome(TEAM, ALICE, SandboxFixture.APP);
      conforms("event.app_home_opened.json", waitFor(r, event("app_home_opened", null)));
      slack.uninstall(SandboxFixture.APP, TEAM);
      conforms("event.tokens_revoked.json", waitFor(r, event("tokens_revoked", null)));
      conforms("event.app_uninstalled.json", waitFor(r, event("app_uninstalled", null)));
    }
  }

  @Test
  void fileShareHasTheRecordedShape() {
    try (var r = new Receiver(); var s = SandboxFixture.aSandbox(EventsDeliveryTest.app(r, ALL))) {
      var raw = SandboxFixture.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          s.slack().baseUrl() + "/sandbox/api/files")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
          "{\"team_id\":\"" + TEAM + "\",\"channel\":\"leave\",\"user\":\"alice\",\"filename\":\"note.png\","
              + "\"content\":\"PNG\",\"initial_comment\":\"Doctor's note\"}")).build());

      JsonNode share = waitFor(r, event("message", "file_share"));
      JsonNode expected = KeyShape.sample("event.file_share.json");
      for (String k : List.of("thumb_64", "thumb_80", "thumb_360", "thumb_360_w", "thumb_360_h", "thumb_480",
          "thumb_480_w", "thumb_480_h", "thumb_160", "thumb_720", "thumb_720_w", "thumb_720_h", "thumb_800",
          "thumb_800_w", "thumb_800_h", "original_w", "original_h", "thumb_tiny")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("event").get("files").get(0)).remove(k);
      }
      assertThat(raw.status()).isEqualTo(200);
      assertThat(KeyShape.diff(expected, share)).isEmpty();
      assertThat(share.get("event").get("files").get(0).get("url_private").asText())
          .startsWith(s.slack().baseUrl() + "/sandbox/files-pri/" + TEAM + "-");
      assertThat(Map.of()).isEmpty();
    }
  }
}
