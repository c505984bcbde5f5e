package dev.tandem.sandbox;

/**
 * One request a service fake ({@link FakeGoogleCalendar}, {@link FakeHarvest}) received, kept so tests can
 * count and inspect calls without a proxy.
 *
 * @param method the HTTP method as the service saw it (a POST with {@code X-HTTP-Method-Override: PATCH},
 *     which Google's Java client sends when its transport cannot PATCH, is recorded as PATCH)
 * @param path the request path, still URL-encoded as received
 * @param operation the API method it was routed to, e.g. {@code events.insert} or {@code time_entries.create};
 *     {@code token} for Google's token endpoint; null when the path matched none
 * @param status the HTTP status answered
 */
public record RecordedRequest(String method, String path, String operation, int status) {}
