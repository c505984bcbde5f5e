package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.ALICE;
import static dev.tandem.sandbox.SandboxFixture.BOB;
import static dev.tandem.sandbox.SandboxFixture.GENERAL;
import static dev.tandem.sandbox.SandboxFixture.LEAVE;
import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static dev.tandem.sandbox.SandboxFixture.aSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest.FileDetails;
import com.slack.api.model.ConversationType;
import com.slack.api.model.block.Blocks;
import com.slack.api.model.block.composition.BlockCompositions;
import com.slack.api.model.block.element.BlockElements;
import com.slack.api.model.view.Views;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every implemented method through the official SDK with {@code failOnUnknownProperties}: the SDK must parse
 * each response without meeting a key it does not know.
 */
class WebApiSdkTest {

  @Test
  void identityMethodsParse() throws Exception {
    try (var s = aSandbox()) {
      var auth = s.bot().authTest(r -> r);
      var bot = s.bot().botsInfo(r -> r.bot(s.install().botId()));
      var team = s.bot().teamInfo(r -> r);
      var user = s.bot().usersInfo(r -> r.user(ALICE));
      var page = s.bot().usersList(r -> r.limit(2));
      var next = s.bot().usersList(r -> r.limit(2).cursor(page.getResponseMetadata().getNextCursor()));
      var byEmail = s.bot().usersLookupByEmail(r -> r.email("bob@tandem.example"));

      assertThat(auth.isOk()).isTrue();
      assertThat(auth.getBotId()).isEqualTo(s.install().botId());
      assertThat(auth.getUserId()).isEqualTo(s.install().botUserId());
      assertThat(bot.getBot().getAppId()).isEqualTo(s.install().appId());
      assertThat(team.getTeam().getDomain()).isEqualTo("tandem-demo");
      assertThat(user.getUser().getProfile().getEmail()).isEqualTo("alice@tandem.example");
      assertThat(page.getMembers()).extracting("id").containsExactly(ALICE, BOB);
      assertThat(next.getMembers()).extracting("id").containsExactly(s.install().botUserId());
      assertThat(next.getResponseMetadata().getNextCursor()).isEmpty();
      assertThat(byEmail.getUser().getId()).isEqualTo(BOB);
    }
  }

  @Test
  void conversationMethodsParse() throws Exception {
    try (var s = aSandbox()) {
      var list = s.bot().conversationsList(r -> r.types(List.of(ConversationType.PUBLIC_CHANNEL)).limit(1));
      var rest = s.bot().conversationsList(r -> r.cursor(list.getResponseMetadata().getNextCursor()));
      var info = s.bot().conversationsInfo(r -> r.channel(LEAVE));
      var join = s.bot().conversationsJoin(r -> r.channel(GENERAL));
      var again = s.bot().conversationsJoin(r -> r.channel(GENERAL));
      var members = s.bot().conversationsMembers(r -> r.channel(GENERAL));
      var leave = s.bot().conversationsLeave(r -> r.channel(LEAVE));
      var general = s.bot().conversationsLeave(r -> r.channel(GENERAL));
      var open = s.bot().conversationsOpen(r -> r.users(List.of(ALICE)));
      var reopen = s.bot().conversationsOpen(r -> r.users(List.of(ALICE)));

      assertThat(list.getChannels()).extracting("id").containsExactly(GENERAL);
      assertThat(rest.getChannels()).extracting("id").containsExactly(LEAVE);
      assertThat(info.getChannel().getName()).isEqualTo("leave");
      assertThat(join.isOk()).isTrue();
      assertThat(again.getWarning()).isEqualTo("already_in_channel");
      assertThat(members.getMembers()).contains(ALICE, BOB, s.install().botUserId());
      assertThat(leave.isOk()).isTrue();
      assertThat(general.getError()).isEqualTo("cant_leave_general");
      assertThat(open.getChannel().getId()).startsWith("D");
      assertThat(reopen.isAlreadyOpen()).isTrue();
    }
  }

  @Test
  void historyAndRepliesParse() throws Exception {
    try (var s = aSandbox()) {
      String parent = s.slack().postAsUser(TEAM, LEAVE, ALICE, "<@" + BOB + "> off Friday", null);
      s.slack().postAsUser(TEAM, LEAVE, BOB, "Enjoy!", parent);
      String later = s.slack().postAsUser(TEAM, LEAVE, BOB, "Half day tomorrow", null);

      var history = s.bot().conversationsHistory(r -> r.channel(LEAVE).limit(1));
      var older = s.bot().conversationsHistory(r -> r.channel(LEAVE).cursor(
          history.getResponseMetadata().getNextCursor()));
      var replies = s.bot().conversationsReplies(r -> r.channel(LEAVE).ts(parent));

      assertThat(history.getMessages()).extracting("ts").containsExactly(later);
      assertThat(history.isHasMore()).isTrue();
      assertThat(older.getMessages()).extracting("ts").containsExactly(parent);
      assertThat(older.getMessages().getFirst().getReplyCount()).isEqualTo(1);
      assertThat(replies.getMessages()).hasSize(2);
      assertThat(replies.getMessages().get(1).getParentUserId()).isEqualTo(ALICE);
    }
  }

  @Test
  void chatAndReactionMethodsParse() throws Exception {
    try (var s = aSandbox()) {
      var post = s.bot().chatPostMessage(r -> r.channel(LEAVE).text("Is that right?").blocks(List.of(
          Blocks.section(b -> b.blockId("summary").text(BlockCompositions.markdownText("*Friday*"))),
          Blocks.actions(a -> a.blockId("confirm").elements(List.of(BlockElements.button(
              b -> b.actionId("leave_confirm").value("lv_1").text(BlockCompositions.plainText("Confirm")))))))));
      var update = s.bot().chatUpdate(r -> r.channel(LEAVE).ts(post.getTs()).text("Recorded"));
      var link = s.bot().chatGetPermalink(r -> r.channel(LEAVE).messageTs(post.getTs()));
      var ephemeral = s.bot().chatPostEphemeral(r -> r.channel(LEAVE).user(ALICE).text("only you"));
      var add = s.bot().reactionsAdd(r -> r.channel(LEAVE).timestamp(post.getTs()).name("palm_tree"));
      var get = s.bot().reactionsGet(r -> r.channel(LEAVE).timestamp(post.getTs()));
      var remove = s.bot().reactionsRemove(r -> r.channel(LEAVE).timestamp(post.getTs()).name("palm_tree"));
      var delete = s.bot().chatDelete(r -> r.channel(LEAVE).ts(post.getTs()));

      assertThat(post.getTs()).matches("\\d{10}\\.\\d{6}");
      assertThat(post.getMessage().getBotProfile().getAppId()).isEqualTo(s.install().appId());
      assertThat(update.getMessage().getText()).isEqualTo("Recorded");
      assertThat(link.getPermalink()).isEqualTo("https://tandem-demo.slack.com/archives/" + LEAVE + "/p"
          + post.getTs().replace(".", ""));
      assertThat(ephemeral.getMessageTs()).isNotBlank();
      assertThat(add.isOk()).isTrue();
      assertThat(get.getMessage().getReactions()).extracting("name").containsExactly("palm_tree");
      assertThat(remove.isOk()).isTrue();
      assertThat(delete.isOk()).isTrue();
      assertThat(s.slack().messages(TEAM, LEAVE)).isEmpty();
    }
  }

  @Test
  void viewMethodsParse() throws Exception {
    try (var s = aSandbox()) {
      var home = s.bot().viewsPublish(r -> r.userId(ALICE).view(Views.view(v -> v.type("home").blocks(List.of(
          Blocks.section(b -> b.text(BlockCompositions.plainText("Hello"))))))));

      assertThat(home.isOk()).isTrue();
      assertThat(home.getView().getType()).isEqualTo("home");
      assertThat(s.slack().homeView(TEAM, ALICE, s.install().appId())).isPresent();
    }
  }

  @Test
  void filesUploadV2RoundTrips() throws Exception {
    try (var s = aSandbox()) {
      var upload = s.bot().filesUploadV2(r -> r.channel(LEAVE).filename("note.txt").title("Note")
          .content("hello file").initialComment("here"));
      String fileId = upload.getFile().getId();

      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
          s.bot().filesInfo(r -> r.file(fileId)).getFile().getShares() != null
              && s.bot().filesInfo(r -> r.file(fileId)).getFile().getShares().getPublicChannels() != null);
      var info = s.bot().filesInfo(r -> r.file(fileId));
      var raw = SandboxFixture.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(info.getFile().getUrlPrivate())).header("Authorization", "Bearer "
          + s.install().botToken()).build());

      assertThat(upload.isOk()).isTrue();
      assertThat(info.getFile().getTitle()).isEqualTo("Note");
      assertThat(info.getFile().getShares().getPublicChannels()).containsKey(LEAVE);
      assertThat(raw.response().body()).isEqualTo("hello file");
      assertThat(s.slack().messages(TEAM, LEAVE).getLast().get("files")).isNotNull();
    }
  }

  @Test
  void completeUploadAnswersOnlyIdsAndTitles() throws Exception {
    // a share delay no busy machine outruns: the message must not be there yet when complete answers
    try (var s = SandboxFixture.aSandbox(AppSpec.builder("Tandem").appId(SandboxFixture.APP).build(),
        FakeSlackOptions.forTests().withFileShareDelay(java.time.Duration.ofSeconds(30)))) {
      var url = s.bot().filesGetUploadURLExternal(r -> r.filename("a.png").length(3));
      SandboxFixture.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.getUploadUrl()))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("abc", StandardCharsets.UTF_8)).build());
      var done = s.bot().filesCompleteUploadExternal(r -> r.files(List.of(FileDetails.builder()
          .id(url.getFileId()).title("A").build())).channelId(LEAVE));

      assertThat(done.getFiles()).hasSize(1);
      assertThat(done.getFiles().getFirst().getId()).isEqualTo(url.getFileId());
      assertThat(s.slack().messages(TEAM, LEAVE)).isEmpty();
    }
  }
}
