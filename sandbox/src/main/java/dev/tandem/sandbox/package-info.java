/**
 * A faithful local Slack for tests and demos: {@link dev.tandem.sandbox.FakeSlack} holds workspaces, users,
 * channels, messages, files and views in memory, serves the Web API under {@code <prefix>/slack/api/},
 * delivers Events API and interactivity payloads to registered apps (signed HTTP with Slack's retries, or
 * Socket Mode), runs the OAuth v2 install flow and offers a JSON control API for driving it like a person.
 * Beside Slack it fakes the other services Tandem talks to, so tests use their real clients: an
 * OpenAI-compatible LLM ({@link dev.tandem.sandbox.FakeOpenAi}), Google Calendar v3 with Google's OAuth token
 * endpoint ({@link dev.tandem.sandbox.FakeGoogleCalendar}) and Harvest v2 ({@link dev.tandem.sandbox.FakeHarvest}).
 *
 * <p>Contract: every response and payload has the keys Slack documents (see {@code docs/SANDBOX.md} for the
 * reference page behind each behaviour). Time comes from the {@link java.time.Clock} in
 * {@link dev.tandem.sandbox.FakeSlackOptions}; delays and retry schedules are options so tests can compress
 * them. State is guarded by one lock; deliveries run on virtual threads outside it. Imports nothing of
 * Tandem's.
 */
package dev.tandem.sandbox;
