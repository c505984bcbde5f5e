package dev.tandem.leave.steps;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.CalendarScopes;
import com.google.api.services.calendar.model.Event;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The shared leave calendar through Google's own client, authenticated as a service account. Every
 * failure becomes a {@link StepFailure} that says whether trying again can help: Google signals
 * rate limits with 403 {@code rateLimitExceeded} / {@code userRateLimitExceeded} as well as 429.
 */
final class GoogleCalendar {
  private static final Set<String> RATE_LIMITS = Set.of("rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded");
  private static final int TIMEOUT_MS = 20_000;
  private final Calendar client;
  private final String calendarId;

  GoogleCalendar(StepSettings.Calendar settings) {
    this.calendarId = settings.calendarId();
    GoogleCredentials credentials;
    try {
      credentials = GoogleCredentials.fromStream(new ByteArrayInputStream(settings.serviceAccountKey().reveal().getBytes(StandardCharsets.UTF_8)))
          .createScoped(List.of(CalendarScopes.CALENDAR));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("TANDEM_LEAVE_GOOGLE_KEY is not a Google service-account key (JSON): " + e.getMessage(), e);
    }
    HttpCredentialsAdapter auth = new HttpCredentialsAdapter(credentials);
    this.client = new Calendar.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), request -> {
      auth.initialize(request);
      request.setConnectTimeout(TIMEOUT_MS).setReadTimeout(TIMEOUT_MS);
    }).setRootUrl(settings.rootUrl()).setApplicationName("Tandem Leave").build();
  }

  String calendarId() {
    return calendarId;
  }

  /** The event, or empty when Google knows no such id. A deleted event comes back with status "cancelled". */
  Optional<Event> get(String id) throws StepFailure {
    try {
      return Optional.of(client.events().get(calendarId, id).execute());
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404 || e.getStatusCode() == 410) {
        return Optional.empty();
      }
      throw failure("events.get", e);
    } catch (IOException e) {
      throw failure("events.get", e);
    }
  }

  /** Inserts the event with our id; false when the id is taken (inserted before, or deleted: ids stay taken). */
  boolean insert(Event event) throws StepFailure {
    try {
      client.events().insert(calendarId, event).execute();
      return true;
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 409) {
        return false;
      }
      throw failure("events.insert", e);
    } catch (IOException e) {
      throw failure("events.insert", e);
    }
  }

  /** Patches an event; false when it is gone (deleted, by us or by hand: Google keeps deleted events as "cancelled"). */
  boolean patch(String id, Event changes) throws StepFailure {
    try {
      Event patched = client.events().patch(calendarId, id, changes).execute();
      return !"cancelled".equals(patched.getStatus());
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404 || e.getStatusCode() == 410) {
        return false;
      }
      throw failure("events.patch", e);
    } catch (IOException e) {
      throw failure("events.patch", e);
    }
  }

  /** Deletes an event; one already gone is fine. */
  void delete(String id) throws StepFailure {
    try {
      client.events().delete(calendarId, id).execute();
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() != 404 && e.getStatusCode() != 410) {
        throw failure("events.delete", e);
      }
    } catch (IOException e) {
      throw failure("events.delete", e);
    }
  }

  /** For readiness: the calendar is reachable with our credentials. */
  String check() throws StepFailure {
    try {
      return client.calendars().get(calendarId).execute().getSummary();
    } catch (IOException e) {
      throw failure("calendars.get", e);
    }
  }

  private static StepFailure failure(String method, IOException e) {
    if (e instanceof GoogleJsonResponseException g) {
      String reason = g.getDetails() != null && g.getDetails().getErrors() != null && !g.getDetails().getErrors().isEmpty()
          ? g.getDetails().getErrors().get(0).getReason() : "";
      String message = g.getDetails() != null ? g.getDetails().getMessage() : g.getStatusMessage();
      int status = g.getStatusCode();
      boolean again = status >= 500 || status == 429 || (status == 403 && RATE_LIMITS.contains(reason));
      return new StepFailure("Google Calendar " + method + " answered " + status + (reason.isEmpty() ? "" : " " + reason) + ": " + message,
          status, again, e);
    }
    return new StepFailure("Google Calendar " + method + " failed: " + e.getMessage(), 0, true, e);
  }
}
