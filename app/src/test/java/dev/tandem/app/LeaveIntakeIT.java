package dev.tandem.app;

import static dev.tandem.app.LeaveWorld.hasButtons;
import static dev.tandem.app.LeaveWorld.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import dev.tandem.leave.intake.RequestMessages;
import dev.tandem.sandbox.FakeOpenAi;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leave announcements through the sandbox: posted in #leave, read, confirmed with buttons that
 * only the poster may press, superseded, edited, deleted, expired; and what gets no reply at all.
 * Dates are written as ISO dates a few weeks ahead, so the test reads the same on any day.
 */
class LeaveIntakeIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
  @TempDir Path dir;
  private LeaveWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  /** A Monday two to three weeks ahead in the sandbox users' zone. */
  private static LocalDate monday() {
    return LeaveWorld.mondayAhead();
  }

  @Test
  void theAnnouncementIsConfirmedByItsPosterOnlyAndNonLeavePostsGetNoReply() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    LocalDate monday = monday();
    String wfh = world.post("T0ACME", "U0ALICE", "wfh today, ping me on slack", null);
    String laptop = world.post("T0ACME", "U0ALICE", "my laptop died, anyone have a charger?", null);
    String question = world.post("T0ACME", "U0ALICE", "how many leave days do I have left this year?", null);
    String announcement = world.post("T0ACME", "U0ALICE", "Off on " + monday + " and " + monday.plusDays(1) + " for a family trip", null);

    Map<String, Object> confirmation = world.awaitReply("T0ACME", announcement, 1);
    assertThat(text(confirmation)).contains("Leave request").contains(SHOWN.format(monday) + ", full day, vacation")
        .contains(SHOWN.format(monday.plusDays(1)) + ", full day, vacation").contains("expires in 60 minutes");
    assertThat(hasButtons(confirmation)).isTrue();
    // the poster was registered from Slack: name, email and time zone
    assertThat(world.count("SELECT COUNT(*) FROM leave_person WHERE email = 'alice@acme.example' AND time_zone = 'Europe/London'"))
        .isEqualTo(1);

    // carol presses alice's Confirm: she is told why nothing happened, and nothing did
    assertThat(world.press("T0ACME", "U0CAROL", confirmation, RequestMessages.CONFIRM)).isEqualTo(200);
    await().atMost(WAIT).until(() -> world.slack.ephemerals().stream()
        .anyMatch(e -> "U0CAROL".equals(e.get("user")) && String.valueOf(e.get("text")).contains("Only <@U0ALICE> can answer")));
    assertThat(world.count("SELECT COUNT(*) FROM leave_request WHERE status = 'pending'")).isEqualTo(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_record")).isZero();
    assertThat(world.press("T0ACME", "U0CAROL", confirmation, RequestMessages.CANCEL)).isEqualTo(200);
    assertThat(world.count("SELECT COUNT(*) FROM leave_request WHERE status = 'pending'")).isEqualTo(1);

    // alice confirms: one record per day, and the message says so without buttons
    assertThat(world.press("T0ACME", "U0ALICE", confirmation, RequestMessages.CONFIRM)).isEqualTo(200);
    Map<String, Object> done = world.awaitMessage("T0ACME", (String) confirmation.get("ts"), "Leave confirmed");
    assertThat(text(done)).contains("Leave confirmed by <@U0ALICE>").contains("2 day(s) recorded");
    assertThat(hasButtons(done)).isFalse();
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE status IN ('confirmed', 'completed') AND day IN (?, ?)",
        monday.toString(), monday.plusDays(1).toString())).isEqualTo(2);

    // what is not leave got no reply and cost nothing: no row, no Slack call that names it (only the one
    // announcement was read: one users.info, one confirmation posted, one update)
    world.awaitIdle();
    for (String ts : java.util.List.of(wfh, laptop, question)) {
      assertThat(world.botReplies("T0ACME", ts)).isEmpty();
      assertThat(world.count("SELECT COUNT(*) FROM core_slack_event WHERE app = 'leave' AND body LIKE ?", "%" + ts + "%")).isZero();
      assertThat(world.count("SELECT COUNT(*) FROM leave_thread_message WHERE ts = ?", ts)).isZero();
    }
    assertThat(world.slack.calls().stream().filter(c -> world.app.appId().equals(c.appId()) && c.ok())
        .map(c -> c.method()).filter(m -> !m.startsWith("auth.") && !m.startsWith("apps.") && !m.startsWith("oauth.")).toList())
        .containsExactlyInAnyOrder("users.info", "chat.postMessage", "chat.update", "chat.postEphemeral", "chat.postEphemeral");
    assertThat(world.count("SELECT COUNT(*) FROM leave_request")).isEqualTo(1);
  }

  @Test
  void aNewerRequestSupersedesAnEditUpdatesAndADeletionWithdraws() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    LocalDate monday = monday();

    // a follow-up in the thread supersedes the first request
    String first = world.post("T0ACME", "U0ALICE", "Off on " + monday, null);
    Map<String, Object> r1 = world.awaitReply("T0ACME", first, 1);
    world.post("T0ACME", "U0ALICE", "make it a half day instead", first);
    Map<String, Object> r2 = world.awaitReply("T0ACME", first, 2);
    assertThat(text(r2)).contains(SHOWN.format(monday) + ", afternoon (second half), vacation");
    await().atMost(WAIT).until(() -> text(world.message("T0ACME", (String) r1.get("ts"))).contains("Replaced by a newer request"));
    assertThat(hasButtons(world.message("T0ACME", (String) r1.get("ts")))).as("the superseded request cannot be confirmed").isFalse();

    // editing the announcement updates its pending confirmation in place
    String second = world.post("T0ACME", "U0ALICE", "Off on " + monday.plusWeeks(1), null);
    Map<String, Object> r3 = world.awaitReply("T0ACME", second, 1);
    world.slack.editAsUser("T0ACME", LeaveWorld.LEAVE.get("T0ACME"), "U0ALICE", second,
        "Off on " + monday.plusWeeks(1) + " and " + monday.plusWeeks(1).plusDays(1));
    await().atMost(WAIT).until(() -> text(world.message("T0ACME", (String) r3.get("ts"))).contains(SHOWN.format(monday.plusWeeks(1).plusDays(1))));
    assertThat(world.botReplies("T0ACME", second)).hasSize(1);
    // edited into something that is not leave: withdrawn
    world.slack.editAsUser("T0ACME", LeaveWorld.LEAVE.get("T0ACME"), "U0ALICE", second, "wfh on " + monday.plusWeeks(1) + " after all");
    await().atMost(WAIT).until(() -> text(world.message("T0ACME", (String) r3.get("ts"))).contains("no longer names leave"));

    // deleting an announcement withdraws its pending confirmation
    String third = world.post("T0ACME", "U0ALICE", "Off on " + monday.plusWeeks(2), null);
    Map<String, Object> r4 = world.awaitReply("T0ACME", third, 1);
    world.slack.deleteAsUser("T0ACME", LeaveWorld.LEAVE.get("T0ACME"), "U0ALICE", third);
    await().atMost(WAIT).until(() -> text(world.message("T0ACME", (String) r4.get("ts"))).contains("The announcement was deleted"));
    assertThat(world.count("SELECT COUNT(*) FROM leave_request WHERE status = 'cancelled' AND message_ts IN (?, ?)", second, third))
        .isEqualTo(2);
    assertThat(world.count("SELECT COUNT(*) FROM leave_request WHERE status = 'pending'")).as("only the half day").isEqualTo(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_record")).isZero();
  }

  @Test
  void anUnansweredRequestExpiresAndCanNoLongerBeConfirmed() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of("TANDEM_LEAVE_EXPIRY", "10m"));
    String post = world.post("T0ACME", "U0ALICE", "sick leave on " + monday(), null);
    Map<String, Object> confirmation = world.awaitReply("T0ACME", post, 1);
    assertThat(text(confirmation)).contains("sick").contains("expires in 10 minutes");

    world.clock.advance(Duration.ofMinutes(11));
    await().atMost(WAIT).until(() -> text(world.message("T0ACME", (String) confirmation.get("ts"))).contains("This request expired"));
    assertThat(hasButtons(world.message("T0ACME", (String) confirmation.get("ts")))).isFalse();
    assertThat(world.count("SELECT COUNT(*) FROM leave_request WHERE status = 'expired'")).isEqualTo(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_record")).isZero();
  }

  @Test
  void cancellingLeaveAndAnsweringTheQuestionWhichDays() throws Exception {
    world = new LeaveWorld(dir, Dialect.POSTGRESQL, Map.of());
    LocalDate monday = monday();
    // no date: the bot asks, and the answer in the thread makes the request
    String vague = world.post("T0ACME", "U0ALICE", "I'll be on leave, dates to follow", null);
    assertThat(text(world.awaitReply("T0ACME", vague, 1))).contains("could not find a date").contains("next Monday and Tuesday");
    world.post("T0ACME", "U0ALICE", monday + " and " + monday.plusDays(2), vague);
    Map<String, Object> confirmation = world.awaitReply("T0ACME", vague, 2);
    assertThat(text(confirmation)).contains(SHOWN.format(monday)).contains(SHOWN.format(monday.plusDays(2)));
    world.press("T0ACME", "U0ALICE", confirmation, RequestMessages.CONFIRM);
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE status IN ('confirmed', 'completed')")).isEqualTo(2);

    // cancelling without a date at the top level: the bot asks which, listing the leave there is
    String which = world.post("T0ACME", "U0ALICE", "cancelling my leave", null);
    assertThat(text(world.awaitReply("T0ACME", which, 1))).contains("which leave should I cancel").contains(SHOWN.format(monday));

    // cancelling one day: the confirmation says what will be cancelled; confirming cancels exactly that
    String cancel = world.post("T0ACME", "U0ALICE", "please cancel my leave on " + monday.plusDays(2), null);
    Map<String, Object> c = world.awaitReply("T0ACME", cancel, 1);
    assertThat(text(c)).contains("Cancellation request").contains(SHOWN.format(monday.plusDays(2))).doesNotContain(SHOWN.format(monday) + ",");
    world.press("T0ACME", "U0ALICE", c, RequestMessages.CONFIRM);
    assertThat(text(world.awaitMessage("T0ACME", (String) c.get("ts"), "Leave cancelled"))).contains("1 day(s) cancelled");
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE status = 'cancelled' AND day = ?", monday.plusDays(2).toString()))
        .isEqualTo(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE status IN ('confirmed', 'completed') AND day = ?", monday.toString())).isEqualTo(1);

    // announcing a recorded day again: the confirmation says it is already recorded, and confirming adds nothing
    String again = world.post("T0ACME", "U0ALICE", "off on " + monday, null);
    Map<String, Object> a = world.awaitReply("T0ACME", again, 1);
    assertThat(text(a)).contains("already recorded: nothing new");
    world.press("T0ACME", "U0ALICE", a, RequestMessages.CONFIRM);
    world.awaitMessage("T0ACME", (String) a.get("ts"), "already recorded; nothing new was added");
  }

  @Test
  void overHttpEveryEventIsHandledOnceAndUnknownPostersAreToldToAskAnAdminWhenAutoRegistrationIsOff() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of("SLACK_LEAVE_SOCKET_MODE", "false", "TANDEM_LEAVE_AUTO_REGISTER", "false"));
    world.slack.knobs().eventRedeliveries(3); // every event arrives four times, overlapping
    String post = world.post("T0GLOBEX", "U0BOB", "Sick today, fever", null);
    assertThat(text(world.awaitReply("T0GLOBEX", post, 1))).contains("not registered with the Leave app").contains("ask a Leave app admin");
    assertThat(world.count("SELECT COUNT(*) FROM leave_person")).isZero();
    assertThat(world.count("SELECT COUNT(*) FROM leave_request")).isZero();

    // an admin turns auto-registration on (stored, used at once): the next post makes exactly one request and one confirmation
    world.wiring.leave.config().set(dev.tandem.leave.LeaveConfig.AUTO_REGISTER,
        com.fasterxml.jackson.databind.node.BooleanNode.TRUE, "admin@globex.example");
    String again = world.post("T0GLOBEX", "U0BOB", "off on " + monday() + ", flu", null);
    assertThat(text(world.awaitReply("T0GLOBEX", again, 1))).contains(SHOWN.format(monday()) + ", full day, sick");
    world.awaitIdle();
    assertThat(world.slack.deliveries().stream().filter(d -> d.attempt() > 1 && "ok".equals(d.outcome())).count())
        .as("redeliveries were sent and acknowledged").isGreaterThanOrEqualTo(6);
    assertThat(world.botReplies("T0GLOBEX", post)).hasSize(1);
    assertThat(world.botReplies("T0GLOBEX", again)).hasSize(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_request")).isEqualTo(1);
  }

  @Test
  void aReplyAfterConfirmingAmendsTheWholeRequestOfItsThread() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    LocalDate monday = monday();
    String post = world.post("T0ACME", "U0ALICE", "on leave from " + monday + " to " + monday.plusDays(2), null);
    world.press("T0ACME", "U0ALICE", world.awaitReply("T0ACME", post, 1), RequestMessages.CONFIRM);
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE status IN ('confirmed', 'completed')")).isEqualTo(3);

    world.post("T0ACME", "U0ALICE", "actually only " + monday + " and " + monday.plusDays(1), post);
    Map<String, Object> amended = world.awaitReply("T0ACME", post, 2);
    assertThat(text(amended)).contains("No longer leave, cancelled when you confirm").contains("~" + SHOWN.format(monday.plusDays(2)) + "~");
    world.press("T0ACME", "U0ALICE", amended, RequestMessages.CONFIRM);
    world.awaitMessage("T0ACME", (String) amended.get("ts"), "No longer leave, cancelled: " + SHOWN.format(monday.plusDays(2)));
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE status IN ('confirmed', 'completed')")).isEqualTo(2);
    assertThat(world.count("SELECT COUNT(*) FROM leave_record WHERE status = 'cancelled' AND day = ?", monday.plusDays(2).toString()))
        .isEqualTo(1);
  }

  @Test
  void theLlmsAnswerIsUsedAndInvalidJsonAWrongSchemaOrATimeoutFallBackToTheRulesVisibly() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of("TANDEM_LEAVE_LLM_URL", "{openai}", "TANDEM_LEAVE_LLM_MODEL",
        "gpt-test", "TANDEM_LEAVE_LLM_API_KEY", "sk-test-key", "TANDEM_LEAVE_LLM_TIMEOUT", "300ms"),
        s -> s.openAi().script(FakeOpenAi.Answer.error(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported"
            + " with this model.")));
    // the start-up check met a model without structured output: warned and counted
    await().atMost(WAIT).until(() -> counter("tandem.leave.llm.startup_check", "outcome", "failed") == 1);
    LocalDate monday = monday();

    // a valid answer is used: it says what the rules would not (a sick morning)
    world.slack.openAi().script(FakeOpenAi.Answer.content("{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\""
        + monday + "\",\"type\":\"half_am\",\"category\":\"sick\"}]}"));
    String used = world.post("T0ACME", "U0ALICE", "off on " + monday, null);
    assertThat(text(world.awaitReply("T0ACME", used, 1))).contains(SHOWN.format(monday) + ", morning (first half), sick")
        .contains("Read by the language model");

    // each failure falls back to the rules, which the confirmation says, and is counted by its reason
    Map<String, FakeOpenAi.Answer> failures = new java.util.LinkedHashMap<>();
    failures.put("invalid json", FakeOpenAi.Answer.invalidJson());
    failures.put("wrong schema", FakeOpenAi.Answer.wrongSchema());
    failures.put("timeout", FakeOpenAi.Answer.slow(Duration.ofSeconds(5), FakeOpenAi.Answer.invalidJson()));
    int week = 1;
    for (var failure : failures.entrySet()) {
      world.slack.openAi().script(failure.getValue());
      LocalDate day = monday.plusWeeks(week++);
      String post = world.post("T0ACME", "U0ALICE", "off on " + day, null);
      assertThat(text(world.awaitReply("T0ACME", post, 1))).as(failure.getKey())
          .contains(SHOWN.format(day) + ", full day, vacation")
          .contains("The language model could not be used (" + failure.getKey() + "), so the built-in rules read this");
      assertThat(counter("tandem.leave.llm.fallbacks", "reason", failure.getKey().replace(' ', '_'))).isEqualTo(1);
    }
    // the requests named the model and asked for the contract's JSON schema
    assertThat(world.slack.openAi().requests()).allSatisfy(r -> assertThat(String.valueOf(r.body())).contains("gpt-test")
        .contains("json_schema"));
    // questions and WFH posts never reach the model
    int asked = world.slack.openAi().requests().size();
    String wfh = world.post("T0ACME", "U0ALICE", "wfh tomorrow", null);
    String question = world.post("T0ACME", "U0ALICE", "how many leave days are left for me?", null);
    String last = world.post("T0ACME", "U0ALICE", "off on " + monday.plusWeeks(5) + ", flu", null);
    assertThat(text(world.awaitReply("T0ACME", last, 1))).contains("could not be used");
    world.awaitIdle();
    assertThat(world.slack.openAi().requests()).hasSize(asked + 1);
    assertThat(world.botReplies("T0ACME", wfh)).isEmpty();
    assertThat(world.botReplies("T0ACME", question)).isEmpty();
  }

  private double counter(String name, String tag, String value) {
    var c = world.wiring.metrics.registry().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aConfirmationWhoseAnswerWasLostIsNotPostedTwice() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of("SLACK_LEAVE_SOCKET_MODE", "false")); // HTTP: events can be delayed
    // Slack posts the confirmation but the answer never arrives (504 after processing), and its echo comes late:
    // the retry finds the first post in the thread by its metadata
    world.slack.knobs().fault("chat.postMessage", new dev.tandem.sandbox.Knobs.Fault(0, 0, 0, 1.0));
    world.slack.knobs().eventDelay(Duration.ofSeconds(2));
    String post = world.post("T0ACME", "U0ALICE", "off on " + monday(), null);
    await().atMost(WAIT).until(() -> world.slack.calls().stream().anyMatch(c -> c.method().equals("chat.postMessage") && c.httpStatus() == 504));
    world.slack.knobs().clearFaults();
    Map<String, Object> confirmation = world.awaitReply("T0ACME", post, 1);
    await().atMost(WAIT).until(() -> world.count("SELECT COUNT(*) FROM core_job WHERE kind = 'leave.render' AND status <> 'done'") == 0);
    assertThat(world.botReplies("T0ACME", post)).as("the retry found the first post in the thread").hasSize(1);
    assertThat(world.slack.calls()).as("by reading the thread").anyMatch(c -> c.method().equals("conversations.replies"));
    world.slack.knobs().eventDelay(Duration.ZERO);
    assertThat(world.count("SELECT COUNT(*) FROM leave_request WHERE bot_ts = ?", (String) confirmation.get("ts"))).isEqualTo(1);
    world.press("T0ACME", "U0ALICE", confirmation, RequestMessages.CONFIRM);
    world.awaitMessage("T0ACME", (String) confirmation.get("ts"), "Leave confirmed");
  }

  @Test
  void onePersonPostingFromTwoWorkspacesIsOnePerson() throws Exception {
    world = new LeaveWorld(dir, Dialect.SQLITE, Map.of());
    LocalDate monday = monday();
    String acme = world.post("T0ACME", "U0DAVEA", "off on " + monday, null);
    world.press("T0ACME", "U0DAVEA", world.awaitReply("T0ACME", acme, 1), RequestMessages.CONFIRM);
    String globex = world.post("T0GLOBEX", "U0DAVEG", "off on " + monday, null);
    assertThat(text(world.awaitReply("T0GLOBEX", globex, 1))).contains("already recorded: nothing new");
    assertThat(world.count("SELECT COUNT(*) FROM leave_person WHERE email = 'dave@example.com'")).isEqualTo(1);
    assertThat(world.count("SELECT COUNT(*) FROM leave_slack_user")).isEqualTo(2);
  }
}
