package dev.tandem.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Harvest fake over plain HTTP, as Tandem's Harvest client talks to it: shapes, paging, errors, faults. */
class FakeHarvestTest {
  private static final long ALICE = 5_001_001L;
  private static final long BOB = 5_001_002L;
  private static final long CAROL = 5_001_003L;
  private static final long LEAVE = 31_000_001L;
  private static final long CLIENT_WORK = 31_000_002L;
  private static final long VACATION = 9_001L;
  private static final long SICK = 9_002L;
  private static final long PROGRAMMING = 9_003L;
  private final FakeSlack slack = FakeSlack.create(FakeSlackOptions.forTests());
  private final int port = slack.start(0);
  private final FakeHarvest harvest = slack.harvest();

  FakeHarvestTest() {
    harvest.addUser(ALICE, "Alice", "Kim", "alice@tandem.example", true);
    harvest.addUser(BOB, "Bob", "Osei", "bob@tandem.example", true);
    harvest.addUser(CAROL, "Carol", "Diaz", "carol@tandem.example", false);
    harvest.addProject(LEAVE, "Leaves", "LV");
    harvest.addTask(LEAVE, VACATION, "Vacation");
    harvest.addTask(LEAVE, SICK, "Sick leave");
    harvest.addProject(CLIENT_WORK, "Client work");
    harvest.addTask(CLIENT_WORK, PROGRAMMING, "Programming");
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void aDurationEntryIsCreatedWithA64BitIdAndReadBack() {
    SandboxFixture.Raw created = post("/time_entries", "{\"user_id\":" + ALICE + ",\"project_id\":" + LEAVE + ",\"task_id\":"
        + VACATION + ",\"spent_date\":\"2026-03-16\",\"hours\":8.0,\"notes\":\"Leave (vacation)\","
        + "\"external_reference\":{\"id\":\"tandem-rec-42\",\"group_id\":\"tandem\",\"account_id\":\"T05QW7R3K9P\","
        + "\"permalink\":\"https://tandem-demo.slack.com/archives/C06M1P4R7TQ/p1718264412339219\"}}");

    assertThat(created.status()).isEqualTo(201);
    Map<String, Object> e = created.body();
    assertThat(((Number) e.get("id")).longValue()).isGreaterThanOrEqualTo(FakeHarvest.FIRST_ENTRY_ID)
        .isGreaterThan(Integer.MAX_VALUE);
    assertThat(e).containsEntry("spent_date", "2026-03-16").containsEntry("hours", 8.0).containsEntry("notes", "Leave (vacation)")
        .containsEntry("is_running", false).containsEntry("is_locked", false).containsEntry("started_time", null);
    assertThat(map(e.get("user"))).containsEntry("name", "Alice Kim");
    assertThat(map(e.get("project"))).containsEntry("name", "Leaves").containsEntry("code", "LV");
    assertThat(map(e.get("task"))).containsEntry("name", "Vacation");
    assertThat(map(e.get("external_reference"))).containsEntry("id", "tandem-rec-42").containsEntry("service", "tandem-demo.slack.com");
    assertThat(e).containsKeys("created_at", "updated_at", "user_assignment", "task_assignment", "client", "billable",
        "rounded_hours", "timer_started_at", "invoice");

    SandboxFixture.Raw read = get("/time_entries/" + e.get("id"));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(e);
    assertThat(harvest.timeEntries()).singleElement().satisfies(inJava -> assertThat(Json.readObject(Json.write(inJava))).isEqualTo(e));
  }

  @Test
  void entriesAreListedByExternalReferenceUserAndDates() {
    entry(ALICE, "2026-03-16", 8.0, "r1");
    entry(ALICE, "2026-03-17", 8.0, "r2");
    entry(ALICE, "2026-03-18", 4.0, "r3");
    entry(BOB, "2026-03-17", 8.0, "r4");

    assertThat(entries(get("/time_entries?external_reference_id=r2"))).extracting(e -> e.get("spent_date"))
        .containsExactly("2026-03-17");
    SandboxFixture.Raw alice = get("/time_entries?user_id=" + ALICE + "&from=2026-03-17&to=2026-03-18");
    assertThat(entries(alice)).extracting(e -> e.get("spent_date"), e -> e.get("hours"))
        .containsExactly(tuple("2026-03-18", 4.0), tuple("2026-03-17", 8.0));
    assertThat(alice.body()).containsEntry("total_entries", 2).containsEntry("total_pages", 1).containsEntry("page", 1)
        .containsEntry("per_page", 2000).containsEntry("next_page", null).containsEntry("previous_page", null);
    assertThat((String) map(alice.body().get("links")).get("first")).startsWith(slack.harvestUrl() + "/time_entries?")
        .contains("user_id=" + ALICE).contains("page=1");
    assertThat(entries(get("/time_entries?project_id=" + LEAVE + "&task_id=" + VACATION))).hasSize(4);
    assertThat(entries(get("/time_entries?project_id=" + CLIENT_WORK))).isEmpty();
  }

  @Test
  void deleteRemovesTheEntryAndUnknownIdsAre404() {
    long id = entry(ALICE, "2026-03-16", 8.0, "r1");

    assertThat(delete("/time_entries/" + id).status()).isEqualTo(200);
    SandboxFixture.Raw gone = get("/time_entries/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body()).containsEntry("status", 404).containsEntry("error", "Not Found");
    assertThat(delete("/time_entries/" + id).status()).isEqualTo(404);
    assertThat(harvest.timeEntries()).isEmpty();
  }

  @Test
  void requestsNeedTheTokenAndTheAccountId() {
    SandboxFixture.Raw none = SandboxFixture.send(HttpRequest.newBuilder(URI.create(slack.harvestUrl() + "/users/me")).GET().build());
    SandboxFixture.Raw wrongAccount = SandboxFixture.send(HttpRequest.newBuilder(URI.create(slack.harvestUrl() + "/users/me"))
        .header("Authorization", "Bearer " + slack.harvestToken()).header("Harvest-Account-Id", "999").GET().build());

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body()).containsEntry("error", "invalid_token").containsKey("error_description");
    assertThat(wrongAccount.status()).isEqualTo(401);
    Map<String, Object> me = get("/users/me").body();
    assertThat(((Number) me.get("id")).longValue()).isEqualTo(FakeHarvest.OWNER_ID);
    assertThat(me).containsEntry("access_roles", List.of("administrator"));
  }

  @Test
  void invalidEntriesAre422WithHarvestsMessage() {
    SandboxFixture.Raw unassigned = post("/time_entries", "{\"user_id\":" + ALICE + ",\"project_id\":" + LEAVE + ",\"task_id\":"
        + PROGRAMMING + ",\"spent_date\":\"2026-03-16\",\"hours\":8}");
    SandboxFixture.Raw noProject = post("/time_entries", "{\"user_id\":" + ALICE + ",\"project_id\":1,\"task_id\":" + VACATION
        + ",\"spent_date\":\"2026-03-16\",\"hours\":8}");
    SandboxFixture.Raw noDate = post("/time_entries", "{\"user_id\":" + ALICE + ",\"project_id\":" + LEAVE + ",\"task_id\":" + VACATION
        + ",\"hours\":8}");
    SandboxFixture.Raw noUser = post("/time_entries", "{\"user_id\":42,\"project_id\":" + LEAVE + ",\"task_id\":" + VACATION
        + ",\"spent_date\":\"2026-03-16\",\"hours\":8}");

    assertThat(List.of(unassigned, noProject, noDate, noUser)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(422);
      assertThat(r.body()).containsOnlyKeys("message");
    });
    assertThat(unassigned.body()).containsEntry("message", "Task is not assigned to the project");
    assertThat(harvest.timeEntries()).isEmpty();
  }

  @Test
  void usersArePagedNewestFirstAndFilteredByActive() {
    SandboxFixture.Raw first = get("/users?per_page=2");
    SandboxFixture.Raw second = get("/users?per_page=2&page=2");

    assertThat(first.body()).containsEntry("total_entries", 4).containsEntry("total_pages", 2).containsEntry("next_page", 2);
    assertThat(users(first)).extracting(u -> u.get("email")).containsExactly("carol@tandem.example", "bob@tandem.example");
    assertThat(users(second)).extracting(u -> u.get("email")).containsExactly("alice@tandem.example", "owner@harvest.sandbox.example");
    assertThat(second.body()).containsEntry("next_page", null).containsEntry("previous_page", 1);
    assertThat((String) map(first.body().get("links")).get("next")).endsWith("per_page=2&page=2");
    assertThat(users(get("/users?is_active=true"))).extracting(u -> u.get("first_name")).doesNotContain("Carol").hasSize(3);
    assertThat(get("/users?per_page=2001").status()).isEqualTo(422);
  }

  @Test
  void companyProjectsAndTaskAssignmentsHaveHarvestsShapes() {
    assertThat(get("/company").body()).containsEntry("wants_timestamp_timers", false).containsEntry("clock", "12h");
    assertThat((List<?>) get("/projects").body().get("projects")).extracting(p -> map(p).get("name"))
        .containsExactly("Client work", "Leaves");
    SandboxFixture.Raw tasks = get("/projects/" + LEAVE + "/task_assignments");
    assertThat((List<?>) tasks.body().get("task_assignments")).extracting(t -> ((Number) map(map(t).get("task")).get("id")).longValue())
        .containsExactly(SICK, VACATION);
    assertThat(get("/projects/1/task_assignments").status()).isEqualTo(404);
  }

  @Test
  void aTimestampAccountTakesStartAndEndTimes() {
    harvest.setTimestampTimers(true);

    SandboxFixture.Raw byTimes = post("/time_entries", "{\"user_id\":" + ALICE + ",\"project_id\":" + LEAVE + ",\"task_id\":"
        + VACATION + ",\"spent_date\":\"2026-03-20\",\"started_time\":\"11:00am\",\"ended_time\":\"15:00\"}");
    SandboxFixture.Raw byHours = post("/time_entries", "{\"user_id\":" + ALICE + ",\"project_id\":" + LEAVE + ",\"task_id\":"
        + VACATION + ",\"spent_date\":\"2026-03-20\",\"hours\":8}");

    assertThat(get("/company").body()).containsEntry("wants_timestamp_timers", true);
    assertThat(byTimes.status()).isEqualTo(201);
    assertThat(byTimes.body()).containsEntry("hours", 4.0).containsEntry("started_time", "11:00am")
        .containsEntry("ended_time", "3:00pm").containsEntry("is_running", false);
    // hours is no field of the start/end method: the entry becomes a running timer with nothing tracked yet
    assertThat(byHours.body()).containsEntry("hours", 0.0).containsEntry("is_running", true).containsEntry("ended_time", null);
  }

  @Test
  void injectedFaultsAnswerAsHarvestAndALostAnswerLeavesTheEntry() {
    harvest.fail("time_entries.create", 503, 1);
    harvest.fail("time_entries.create", 429, 1);
    SandboxFixture.Raw scripted = SandboxFixture.send(HttpRequest.newBuilder(URI.create(control("/faults")))
        .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"time_entries.create\",\"status\":500,\"after_processing\":true}"))
        .build());
    assertThat(scripted.body()).containsKey("time_entries.create");

    String body = "{\"user_id\":" + ALICE + ",\"project_id\":" + LEAVE + ",\"task_id\":" + VACATION
        + ",\"spent_date\":\"2026-03-16\",\"hours\":8,\"external_reference\":{\"id\":\"r9\"}}";
    SandboxFixture.Raw unavailable = post("/time_entries", body);
    SandboxFixture.Raw limited = post("/time_entries", body);
    SandboxFixture.Raw lost = post("/time_entries", body);

    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.body()).containsEntry("status", 503).containsEntry("error", "Service Unavailable");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.response().headers().firstValue("Retry-After")).hasValue("15");
    assertThat(lost.status()).isEqualTo(500);
    assertThat(entries(get("/time_entries?external_reference_id=r9"))).hasSize(1);
    assertThat(post("/time_entries", body).status()).isEqualTo(201);
    assertThat(harvest.requests()).extracting(RecordedRequest::operation, RecordedRequest::status).containsExactly(
        tuple("time_entries.create", 503), tuple("time_entries.create", 429), tuple("time_entries.create", 500),
        tuple("time_entries.list", 200), tuple("time_entries.create", 201));
  }

  @Test
  void theControlApiShowsEntriesInHarvestsShapeAndDeletesByHand() {
    long kept = entry(ALICE, "2026-03-16", 8.0, "r1");
    long removed = entry(ALICE, "2026-03-17", 8.0, "r2");

    SandboxFixture.Raw byHand = SandboxFixture.send(HttpRequest.newBuilder(URI.create(control("/time_entries/delete")))
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + removed + "}")).build());
    SandboxFixture.Raw state = SandboxFixture.send(HttpRequest.newBuilder(URI.create(control("/time_entries"))).GET().build());

    assertThat(byHand.status()).isEqualTo(200);
    assertThat(state.status()).isEqualTo(200);
    assertThat(entries(state)).extracting(e -> ((Number) e.get("id")).longValue()).containsExactly(kept);
    assertThat(state.body()).containsKeys("per_page", "total_pages", "total_entries", "next_page", "previous_page", "page", "links");
    assertThat(get("/time_entries/" + removed).status()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- helpers

  private long entry(long user, String date, double hours, String ref) {
    SandboxFixture.Raw r = post("/time_entries", "{\"user_id\":" + user + ",\"project_id\":" + LEAVE + ",\"task_id\":" + VACATION
        + ",\"spent_date\":\"" + date + "\",\"hours\":" + hours + ",\"external_reference\":{\"id\":\"" + ref + "\"}}");
    assertThat(r.status()).isEqualTo(201);
    return ((Number) r.body().get("id")).longValue();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(slack.harvestUrl() + path)).header("Authorization", "Bearer " + slack.harvestToken())
        .header("Harvest-Account-Id", slack.harvestAccountId()).header("User-Agent", "Tandem sandbox test (dev@tandem.example)");
  }

  private SandboxFixture.Raw get(String path) {
    return SandboxFixture.send(request(path).GET().build());
  }

  private SandboxFixture.Raw post(String path, String json) {
    return SandboxFixture.send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private SandboxFixture.Raw delete(String path) {
    return SandboxFixture.send(request(path).DELETE().build());
  }

  private String control(String path) {
    return "http://127.0.0.1:" + port + "/sandbox/api/harvest" + path;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> entries(SandboxFixture.Raw r) {
    return (List<Map<String, Object>>) r.body().get("time_entries");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> users(SandboxFixture.Raw r) {
    return (List<Map<String, Object>>) r.body().get("users");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
