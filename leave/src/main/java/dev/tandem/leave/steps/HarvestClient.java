package dev.tandem.leave.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Harvest API v2 with java.net.http (Harvest has no Java client worth its weight): time entries
 * on behalf of people (an administrator's token), found again by their external reference, which
 * holds our record id.
 */
final class HarvestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private final StepSettings.Harvest settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  /** Whether the account tracks start and end times instead of durations ({@code /v2/company}), read once. */
  private volatile Boolean timestamps;

  HarvestClient(StepSettings.Harvest settings) {
    this.settings = settings;
  }

  StepSettings.Harvest settings() {
    return settings;
  }

  /** An entry we made: its id, hours and task. */
  record Entry(long id, double hours, long taskId) {}

  /** The entries made for our record (after a crash or a lost answer, an id may not have been stored). */
  List<Entry> findByReference(String recordId) throws StepFailure {
    JsonNode page = send("time_entries.list", request("/time_entries?external_reference_id="
        + URLEncoder.encode(recordId, StandardCharsets.UTF_8)).GET(), 200);
    List<Entry> found = new ArrayList<>();
    for (JsonNode e : page.path("time_entries")) {
      if (recordId.equals(e.path("external_reference").path("id").asText())) {
        found.add(new Entry(e.path("id").asLong(), e.path("hours").asDouble(), e.path("task").path("id").asLong()));
      }
    }
    return found;
  }

  /** Creates one day's entry and returns its id (Harvest ids outgrew 32 bits long ago). */
  long create(long userId, long taskId, LocalDate day, boolean afternoon, double hours, String notes, String recordId, String groupId,
      String permalink) throws StepFailure {
    ObjectNode body = JSON.createObjectNode().put("user_id", userId).put("project_id", settings.projectId()).put("task_id", taskId)
        .put("spent_date", day.toString()).put("notes", notes);
    if (timestamps()) {
      // such accounts take times, not hours: from 9:00 (an afternoon from 13:00)
      int start = afternoon ? 13 * 60 : 9 * 60;
      body.put("started_time", clock(start)).put("ended_time", clock(start + (int) Math.round(hours * 60)));
    } else {
      body.put("hours", hours);
    }
    body.putObject("external_reference").put("id", recordId).put("group_id", groupId).put("permalink", permalink);
    JsonNode entry = send("time_entries.create", request("/time_entries").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())), 201);
    return entry.path("id").asLong();
  }

  private boolean timestamps() throws StepFailure {
    Boolean t = timestamps;
    if (t == null) {
      t = send("company.get", request("/company").GET(), 200).path("wants_timestamp_timers").asBoolean(false);
      timestamps = t;
    }
    return t;
  }

  /** Harvest's time of day, "9:00am" / "5:30pm". */
  static String clock(int minutesOfDay) {
    int h = (minutesOfDay / 60) % 24;
    int m = minutesOfDay % 60;
    return (h % 12 == 0 ? 12 : h % 12) + ":" + (m < 10 ? "0" : "") + m + (h < 12 ? "am" : "pm");
  }

  /** Deletes an entry; one already gone (deleted by hand) is fine. */
  void delete(long entryId) throws StepFailure {
    try {
      send("time_entries.delete", request("/time_entries/" + entryId).DELETE(), 200);
    } catch (StepFailure e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  /** The active Harvest user with this email (case-insensitive). */
  Optional<Long> userByEmail(String email) throws StepFailure {
    return Optional.ofNullable(activeUsers().get(email.toLowerCase(java.util.Locale.ROOT)));
  }

  /** Every active Harvest user by lower-cased email, read page by page. */
  java.util.Map<String, Long> activeUsers() throws StepFailure {
    java.util.Map<String, Long> byEmail = new java.util.HashMap<>();
    for (int page = 1; ; page++) {
      JsonNode users = send("users.list", request("/users?is_active=true&per_page=2000&page=" + page).GET(), 200);
      for (JsonNode u : users.path("users")) {
        if (!u.path("email").asText().isBlank()) {
          byEmail.putIfAbsent(u.path("email").asText().toLowerCase(java.util.Locale.ROOT), u.path("id").asLong());
        }
      }
      if (users.path("next_page").isNull() || users.path("next_page").isMissingNode() || page >= users.path("total_pages").asInt(1)) {
        return byEmail;
      }
    }
  }

  /** For readiness: who the token belongs to. */
  String check() throws StepFailure {
    JsonNode me = send("users.me", request("/users/me").GET(), 200);
    return me.path("email").asText("?");
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(settings.baseUrl() + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + settings.token().reveal()).header("Harvest-Account-Id", settings.accountId())
        .header("User-Agent", "Tandem Leave (https://github.com/tandem)").header("Accept", "application/json");
  }

  private JsonNode send(String method, HttpRequest.Builder request, int expected) throws StepFailure {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new StepFailure("Harvest " + method + " failed: " + e.getMessage(), 0, true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure("Harvest " + method + " was interrupted", 0, true, e);
    }
    int status = response.statusCode();
    if (status == expected || (status / 100 == 2 && expected / 100 == 2)) {
      try {
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
      } catch (IOException e) {
        throw new StepFailure("Harvest " + method + " answered something that is not JSON", status, true, e);
      }
    }
    String message = response.body().length() > 300 ? response.body().substring(0, 300) : response.body();
    try {
      JsonNode error = JSON.readTree(response.body());
      message = error.path("message").asText(error.path("error_description").asText(message));
    } catch (IOException e) {
      // not JSON: keep the text
    }
    throw new StepFailure("Harvest " + method + " answered " + status + ": " + message, status, status >= 500 || status == 429, null);
  }
}
