package dev.tandem.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.CalendarScopes;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Google Calendar fake through Google's own client library and auth library, unchanged: only the root URL and
 * the key file's token URI point at the sandbox.
 */
class FakeGoogleCalendarTest {
  private static final String CAL = "leave@group.calendar.google.com";
  private static final String OTHER = "other@group.calendar.google.com";
  private final FakeSlack slack = FakeSlack.create(FakeSlackOptions.forTests());
  private final int port = slack.start(0);
  private final FakeGoogleCalendar calendar = slack.calendar();
  private final Calendar client;

  FakeGoogleCalendarTest() throws IOException {
    calendar.addCalendar(CAL, "Leave", "Asia/Kolkata");
    calendar.addCalendar(OTHER, "Other");
    client = client(slack.googleServiceAccountKeyJson(), CalendarScopes.CALENDAR);
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void anAllDayEventWithOurIdLivesAndDiesAsInGoogle() throws IOException {
    Event inserted = client.events().insert(CAL, allDay("tdm0rec42", "2026-03-16", "2026-03-19", "p7")).execute();

    assertThat(inserted.getId()).isEqualTo("tdm0rec42");
    assertThat(inserted.getStatus()).isEqualTo("confirmed");
    assertThat(inserted.getKind()).isEqualTo("calendar#event");
    assertThat(inserted.getEtag()).startsWith("\"").endsWith("\"");
    assertThat(inserted.getHtmlLink()).startsWith("https://www.google.com/calendar/event?eid=");
    assertThat(inserted.getICalUID()).isEqualTo("tdm0rec42@google.com");
    assertThat(inserted.getCreator().getEmail()).isEqualTo(calendar.serviceAccountEmail());
    assertThat(inserted.getOrganizer().getEmail()).isEqualTo(CAL);
    assertThat(inserted.getEventType()).isEqualTo("default");
    assertThat(inserted.getCreated()).isNotNull();
    assertThat(inserted.getStart().getDate().toStringRfc3339()).isEqualTo("2026-03-16");
    assertThat(inserted.getEnd().getDate().toStringRfc3339()).isEqualTo("2026-03-19");
    assertThat(inserted.getExtendedProperties().getPrivate()).containsEntry("tandemPerson", "p7");

    assertThat(client.events().get(CAL, "tdm0rec42").execute().getSummary()).isEqualTo("Leave - Alice Kim");
    client.events().insert(CAL, allDay("tdm0rec43", "2026-03-16", "2026-03-17", "p8")).execute();
    Events found = client.events().list(CAL).setPrivateExtendedProperty(List.of("tandemPerson=p7", "tandemKind=leave")).execute();
    assertThat(found.getItems()).extracting(Event::getId).containsExactly("tdm0rec42");
    assertThat(found.getSummary()).isEqualTo("Leave");
    assertThat(found.getTimeZone()).isEqualTo("Asia/Kolkata");

    Event patched = client.events().patch(CAL, "tdm0rec42",
        new Event().setEnd(new EventDateTime().setDate(new DateTime("2026-03-18")))).execute();
    assertThat(patched.getEnd().getDate().toStringRfc3339()).isEqualTo("2026-03-18");
    assertThat(patched.getSummary()).isEqualTo("Leave - Alice Kim");
    assertThat(patched.getSequence()).isEqualTo(1);
    // NetHttpTransport cannot PATCH: the client POSTs with X-HTTP-Method-Override, which the fake honours as Google does
    assertThat(calendar.requests()).extracting(RecordedRequest::method, RecordedRequest::operation, RecordedRequest::status)
        .contains(tuple("PATCH", "events.patch", 200));

    client.events().delete(CAL, "tdm0rec42").execute();
    // Google keeps a deleted event: get answers it as cancelled, list shows it only with showDeleted
    assertThat(client.events().get(CAL, "tdm0rec42").execute().getStatus()).isEqualTo("cancelled");
    assertThat(client.events().list(CAL).setPrivateExtendedProperty(List.of("tandemPerson=p7")).execute().getItems()).isEmpty();
    assertThat(client.events().list(CAL).setShowDeleted(true).execute().getItems())
        .extracting(Event::getId, Event::getStatus).contains(tuple("tdm0rec42", "cancelled"));

    assertGoogleError(() -> client.events().insert(CAL, allDay("tdm0rec42", "2026-03-16", "2026-03-19", "p7")).execute(),
        409, "duplicate", "The requested identifier already exists.");
    assertGoogleError(() -> client.events().delete(CAL, "tdm0rec42").execute(), 410, "deleted", "Resource has been deleted");
    assertGoogleError(() -> client.events().patch(CAL, "tdm0rec42", new Event().setSummary("x")).execute(), 403, "forbidden",
        "Forbidden");
    assertGoogleError(() -> client.events().get(CAL, "nosuchevent").execute(), 404, "notFound", "Not Found");
    assertGoogleError(() -> client.events().delete(CAL, "nosuchevent").execute(), 404, "notFound", "Not Found");
  }

  @Test
  void aHalfDayIsATimedEventShownInItsTimeZone() throws IOException {
    Event morning = new Event().setId("tdm0half1").setSummary("Leave (Morning) - Alice Kim")
        .setStart(new EventDateTime().setDateTime(new DateTime("2026-03-20T05:30:00Z")).setTimeZone("Asia/Kolkata"))
        .setEnd(new EventDateTime().setDateTime(new DateTime("2026-03-20T15:00:00+05:30")).setTimeZone("Asia/Kolkata"));

    Event inserted = client.events().insert(CAL, morning).execute();

    assertThat(inserted.getStart().getDateTime().toStringRfc3339()).startsWith("2026-03-20T11:00:00").endsWith("+05:30");
    assertThat(inserted.getStart().getTimeZone()).isEqualTo("Asia/Kolkata");
    assertThat(calendar.event(CAL, "tdm0half1").orElseThrow().get("end")).isEqualTo(
        Map.of("dateTime", "2026-03-20T15:00:00+05:30", "timeZone", "Asia/Kolkata"));
    assertThat(client.events().list(CAL).setTimeMin(new DateTime("2026-03-20T00:00:00+05:30"))
        .setTimeMax(new DateTime("2026-03-21T00:00:00+05:30")).execute().getItems()).extracting(Event::getId)
        .containsExactly("tdm0half1");
    assertThat(client.events().list(CAL).setTimeMin(new DateTime("2026-03-20T15:00:00+05:30")).execute().getItems()).isEmpty();
  }

  @Test
  void badTimesAndIdsAreRefusedAsGoogleRefusesThem() {
    assertGoogleError(() -> client.events().insert(CAL, allDay("tdm0bad01", "2026-03-19", "2026-03-16", "p7")).execute(),
        400, "timeRangeEmpty", "The specified time range is empty.");
    assertGoogleError(() -> client.events().insert(CAL, allDay("Not-Base32", "2026-03-16", "2026-03-17", "p7")).execute(),
        400, "invalid", "Invalid resource id value.");
    Event noZone = new Event().setStart(new EventDateTime().setDate(new DateTime("2026-03-16")))
        .setEnd(new EventDateTime().setDateTime(new DateTime("2026-03-16T15:00:00+05:30")));
    assertGoogleError(() -> client.events().insert(CAL, noZone).execute(), 400, "badRequest",
        "Start and end times must either both be date or both be dateTime.");
    assertGoogleError(() -> client.events().insert("nosuch@group.calendar.google.com",
        allDay("tdm0bad02", "2026-03-16", "2026-03-17", "p7")).execute(), 404, "notFound", "Not Found");
    assertThat(calendar.events(CAL)).isEmpty();
  }

  @Test
  void aSingleDayMayEndOnItsStartDateAndAnIdIsGeneratedWhenNoneIsGiven() throws IOException {
    Event e = client.events().insert(CAL, allDay(null, "2026-03-16", "2026-03-16", "p7")).execute();

    assertThat(e.getId()).matches("[a-v0-9]{26}");
    assertThat(client.events().list(CAL).setTimeMin(new DateTime("2026-03-16T12:00:00+05:30")).execute().getItems())
        .extracting(Event::getId).containsExactly(e.getId());
  }

  @Test
  void injectedRateLimitsAndServerErrorsReachTheClientAsGoogleSendsThem() throws Exception {
    calendar.fail("events.insert", 403, "rateLimitExceeded", 1);
    calendar.fail("events.insert", 500, null, 1);
    SandboxFixture.Raw scripted = SandboxFixture.send(HttpRequest.newBuilder(URI.create(control("/faults")))
        .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"events.list\",\"status\":429}")).build());
    assertThat(scripted.status()).isEqualTo(200);

    GoogleJsonError limited = assertGoogleError(() -> client.events().insert(CAL, allDay("tdm0f1", "2026-03-16", "2026-03-17", "p7"))
        .execute(), 403, "rateLimitExceeded", "Rate Limit Exceeded");
    assertThat(limited.getErrors().getFirst().getDomain()).isEqualTo("usageLimits");
    assertGoogleError(() -> client.events().insert(CAL, allDay("tdm0f1", "2026-03-16", "2026-03-17", "p7")).execute(),
        500, "backendError", "Backend Error");
    assertGoogleError(() -> client.events().list(CAL).execute(), 429, "rateLimitExceeded", "Rate Limit Exceeded");
    assertThat(calendar.events(CAL)).isEmpty();

    assertThat(client.events().insert(CAL, allDay("tdm0f1", "2026-03-16", "2026-03-17", "p7")).execute().getId()).isEqualTo("tdm0f1");
    assertThat(calendar.requests()).extracting(RecordedRequest::operation, RecordedRequest::status)
        .containsSubsequence(tuple("events.insert", 403),
            tuple("events.insert", 500), tuple("events.list", 429),
            tuple("events.insert", 200));
  }

  @Test
  void anAnswerLostAfterProcessingLeavesTheChangeMade() {
    calendar.failAfterProcessing("events.insert", 503, 1);

    assertGoogleError(() -> client.events().insert(CAL, allDay("tdm0lost1", "2026-03-16", "2026-03-17", "p7")).execute(),
        503, "backendError", "Backend Error");

    assertThat(calendar.events(CAL)).extracting(e -> e.get("id")).containsExactly("tdm0lost1");
    // the retry with the same id is what tells the caller the first attempt went through
    assertGoogleError(() -> client.events().insert(CAL, allDay("tdm0lost1", "2026-03-16", "2026-03-17", "p7")).execute(),
        409, "duplicate", "The requested identifier already exists.");
  }

  @Test
  void aKeySignedByAnotherKeyIsRefusedAndUnknownTokensAre401() throws Exception {
    Map<String, Object> key = Json.readObject(slack.googleServiceAccountKeyJson());
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    key.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    GoogleCredentials forged = GoogleCredentials.fromStream(new ByteArrayInputStream(Json.write(key).getBytes(StandardCharsets.UTF_8)))
        .createScoped(CalendarScopes.CALENDAR);

    assertThatThrownBy(forged::refresh).isInstanceOf(IOException.class).hasMessageContaining("invalid_grant")
        .hasMessageContaining("Invalid JWT Signature.");
    assertThat(calendar.requests()).extracting(RecordedRequest::operation, RecordedRequest::status)
        .containsExactly(tuple("token", 400));

    SandboxFixture.Raw r = SandboxFixture.send(HttpRequest.newBuilder(URI.create(slack.googleRootUrl()
        + "calendar/v3/calendars/" + CAL.replace("@", "%40") + "/events")).header("Authorization", "Bearer ya29.forged").GET().build());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.response().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    assertThat(map(r.body().get("error"))).containsEntry("code", 401).containsEntry("status", "UNAUTHENTICATED");
  }

  @Test
  void aReadOnlyTokenCanListButNotWrite() throws IOException {
    Calendar reader = client(slack.googleServiceAccountKeyJson(), CalendarScopes.CALENDAR_READONLY);

    assertThat(reader.calendarList().list().setMaxResults(1).execute().getItems()).extracting(e -> e.getId()).contains(CAL);
    assertGoogleError(() -> reader.events().insert(CAL, allDay("tdm0ro1", "2026-03-16", "2026-03-17", "p7")).execute(), 403,
        "insufficientPermissions", "Request had insufficient authentication scopes.");
  }

  @Test
  void listsArePagedAndTheControlApiShowsTheCalendarsInGooglesShape() throws IOException {
    client.events().insert(CAL, allDay("tdm0a1", "2026-03-16", "2026-03-17", "p7")).execute();
    client.events().insert(CAL, allDay("tdm0a2", "2026-03-17", "2026-03-18", "p7")).execute();
    client.events().insert(CAL, allDay("tdm0a3", "2026-03-18", "2026-03-19", "p7")).execute();
    client.events().insert(OTHER, allDay("tdm0b1", "2026-03-16", "2026-03-17", "p8")).execute();
    calendar.deleteByHand(CAL, "tdm0a2");

    Events first = client.events().list(CAL).setMaxResults(1).execute();
    Events second = client.events().list(CAL).setMaxResults(1).setPageToken(first.getNextPageToken()).execute();
    assertThat(first.getItems()).extracting(Event::getId).containsExactly("tdm0a1");
    assertThat(second.getItems()).extracting(Event::getId).containsExactly("tdm0a3");
    assertThat(second.getNextPageToken()).isNull();

    SandboxFixture.Raw all = SandboxFixture.send(HttpRequest.newBuilder(URI.create(control("/events"))).GET().build());
    assertThat(all.body()).containsEntry("kind", "calendar#events");
    assertThat(items(all)).extracting(e -> e.get("id")).containsExactly("tdm0a1", "tdm0a3", "tdm0b1");
    assertThat(items(all)).extracting(e -> map(e.get("organizer")).get("email")).containsExactly(CAL, CAL, OTHER);

    SandboxFixture.Raw one = SandboxFixture.send(HttpRequest.newBuilder(URI.create(control("/events?calendar_id="
        + CAL.replace("@", "%40") + "&show_deleted=true"))).GET().build());
    assertThat(one.body()).containsEntry("summary", "Leave");
    assertThat(items(one)).extracting(e -> e.get("id") + ":" + e.get("status"))
        .containsExactly("tdm0a1:confirmed", "tdm0a2:cancelled", "tdm0a3:confirmed");
    assertGoogleError(() -> client.events().insert(CAL, allDay("tdm0a2", "2026-03-17", "2026-03-18", "p7")).execute(), 409,
        "duplicate", "The requested identifier already exists.");
  }

  // ---------------------------------------------------------------- helpers

  private Calendar client(String keyJson, String scope) throws IOException {
    GoogleCredentials credentials = GoogleCredentials.fromStream(new ByteArrayInputStream(keyJson.getBytes(StandardCharsets.UTF_8)))
        .createScoped(scope);
    return new Calendar.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), new HttpCredentialsAdapter(credentials))
        .setRootUrl(slack.googleRootUrl()).setApplicationName("tandem-sandbox-test").build();
  }

  private static Event allDay(String id, String start, String end, String person) {
    return new Event().setId(id).setSummary("Leave - Alice Kim")
        .setStart(new EventDateTime().setDate(new DateTime(start))).setEnd(new EventDateTime().setDate(new DateTime(end)))
        .setExtendedProperties(new Event.ExtendedProperties().setPrivate(Map.of("tandemPerson", person, "tandemKind", "leave")));
  }

  private interface Call {
    void run() throws IOException;
  }

  private static GoogleJsonError assertGoogleError(Call call, int status, String reason, String message) {
    GoogleJsonResponseException e = catchThrowableOfType(GoogleJsonResponseException.class, call::run);
    assertThat(e).as("expected HTTP %s %s", status, reason).isNotNull();
    assertThat(e.getStatusCode()).isEqualTo(status);
    assertThat(e.getDetails().getCode()).isEqualTo(status);
    assertThat(e.getDetails().getMessage()).isEqualTo(message);
    assertThat(e.getDetails().getErrors()).singleElement().satisfies(err -> {
      assertThat(err.getReason()).isEqualTo(reason);
      assertThat(err.getMessage()).isEqualTo(message);
    });
    return e.getDetails();
  }

  private String control(String path) {
    return "http://127.0.0.1:" + port + "/sandbox/api/calendar" + path;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(SandboxFixture.Raw r) {
    return (List<Map<String, Object>>) r.body().get("items");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
