package dev.tandem.leave.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.config.Secret;
import dev.tandem.leave.parse.LlmParser.Answer;
import dev.tandem.leave.parse.LlmParser.Reason;
import dev.tandem.leave.parse.LlmParser.Source;
import dev.tandem.leave.parse.ParsedLeave.Category;
import dev.tandem.leave.parse.ParsedLeave.Day;
import dev.tandem.leave.parse.ParsedLeave.Type;
import dev.tandem.sandbox.FakeOpenAi;
import dev.tandem.sandbox.FakeSlack;
import dev.tandem.sandbox.FakeSlackOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LLM parser against the sandbox's fake OpenAI-compatible API over real HTTP: an answer within
 * the contract is taken, anything else falls back to the rule parser, counted by reason.
 */
class LlmParserTest {
  private static final LocalDate WEDNESDAY = LocalDate.parse("2026-03-11");
  private static final String FRIDAY_OFF = "taking friday off";
  /** Not what the rules say for {@link #FRIDAY_OFF} (a full vacation day), so taking it proves the LLM answered. */
  private static final String FRIDAY_MORNING_SICK =
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-13\",\"type\":\"half_am\",\"category\":\"sick\"}]}";
  private static final String KEY = "sk-test-0123456789";

  private static FakeSlack sandbox;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final RuleParser rules = new RuleParser();
  private final List<LlmParser> opened = new ArrayList<>();

  @BeforeAll
  static void startSandbox() {
    sandbox = FakeSlack.create(FakeSlackOptions.forTests());
    sandbox.start(0);
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @BeforeEach
  void forgetEarlierScripts() {
    sandbox.openAi().reset();
  }

  @AfterEach
  void closeParsers() {
    opened.forEach(LlmParser::close);
  }

  @Test
  void anAnswerWithinTheContractIsTaken() {
    sandbox.openAi().script(FakeOpenAi.Answer.content(FRIDAY_MORNING_SICK));

    Answer answer = aParser().answer(FRIDAY_OFF, WEDNESDAY, List.of());

    assertThat(answer.source()).isEqualTo(Source.LLM);
    assertThat(answer.failure()).isEmpty();
    assertThat(answer.leave()).isEqualTo(new ParsedLeave(true, false,
        List.of(new Day(LocalDate.parse("2026-03-13"), Type.HALF_AM, Category.SICK))));
    assertThat(answer.leave()).isNotEqualTo(rules.parse(FRIDAY_OFF, WEDNESDAY, List.of()));
    assertThat(calls("llm")).isEqualTo(1);
    assertThat(calls("fallback")).isZero();
  }

  @Test
  void theRequestCarriesModelStrictSchemaBearerKeyAndContext() {
    sandbox.openAi().script(FakeOpenAi.Answer.content(FRIDAY_MORNING_SICK));

    aParser().answer("make it friday instead", WEDNESDAY, ZoneId.of("Asia/Kolkata"), List.of("off on thursday"));

    FakeOpenAi.Request request = sandbox.openAi().requests().getFirst();
    Map<String, Object> body = map(request.body());
    assertThat(request.path()).isEqualTo("/sandbox/openai/v1/chat/completions");
    assertThat(request.headers()).containsEntry("authorization", "Bearer " + KEY).doesNotContainKey("api-key");
    assertThat(body).containsEntry("model", "gpt-test").containsEntry("temperature", 0)
        .doesNotContainKeys("reasoning", "reasoning_effort");
    Map<String, Object> format = map(body.get("response_format"));
    assertThat(format).containsEntry("type", "json_schema");
    assertThat(map(format.get("json_schema"))).containsEntry("name", "leave_parse").containsEntry("strict", true);
    assertThat(map(map(format.get("json_schema")).get("schema")).get("required"))
        .isEqualTo(List.of("is_leave", "is_cancellation", "dates"));
    List<?> messages = (List<?>) body.get("messages");
    assertThat(messages).hasSize(2);
    assertThat(map(messages.get(0))).containsEntry("role", "system");
    assertThat(map(messages.get(1))).containsEntry("role", "user");
    assertThat((String) map(messages.get(1)).get("content")).contains("make it friday instead", "\"today\":\"2026-03-11\"",
        "\"weekday\":\"Wednesday\"", "\"time_zone\":\"Asia/Kolkata\"", "\"thread\":[\"off on thursday\"]");
  }

  @Test
  void anAzureDeploymentGetsTheApiKeyHeaderAndApiVersion() {
    sandbox.openAi().script(FakeOpenAi.Answer.content(FRIDAY_MORNING_SICK));
    LlmSettings azure = new LlmSettings(URI.create(sandbox.azureOpenAiUrl("leave-gpt")), "gpt-4o-mini",
        Optional.of(Secret.of(KEY)), Duration.ofSeconds(5), Optional.of("2024-10-21"));

    Answer answer = aParser(azure).answer(FRIDAY_OFF, WEDNESDAY, List.of());

    FakeOpenAi.Request request = sandbox.openAi().requests().getFirst();
    assertThat(answer.source()).isEqualTo(Source.LLM);
    assertThat(request.path()).isEqualTo("/sandbox/openai/deployments/leave-gpt/chat/completions");
    assertThat(request.query()).containsEntry("api-version", "2024-10-21");
    assertThat(request.headers()).containsEntry("api-key", KEY).doesNotContainKey("authorization");
  }

  @Test
  void withoutAKeyNoCredentialIsSent() {
    sandbox.openAi().script(FakeOpenAi.Answer.content(FRIDAY_MORNING_SICK));
    LlmSettings ollama = new LlmSettings(URI.create(sandbox.openAiUrl()), "llama3.1:8b", Optional.empty(),
        Duration.ofSeconds(5), Optional.empty());

    aParser(ollama).answer(FRIDAY_OFF, WEDNESDAY, List.of());

    assertThat(sandbox.openAi().requests().getFirst().headers()).doesNotContainKeys("authorization", "api-key");
  }

  @Test
  void contentThatIsNotJsonFallsBackToTheRules() {
    sandbox.openAi().script(FakeOpenAi.Answer.invalidJson());

    assertFallsBack(aParser().answer(FRIDAY_OFF, WEDNESDAY, List.of()), Reason.INVALID_JSON);
  }

  @Test
  void contentOfTheWrongSchemaFallsBackToTheRules() {
    sandbox.openAi().script(FakeOpenAi.Answer.wrongSchema());

    assertFallsBack(aParser().answer(FRIDAY_OFF, WEDNESDAY, List.of()), Reason.WRONG_SCHEMA);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-13\",\"type\":\"half\",\"category\":\"sick\"}]}",
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"13/03/2026\",\"type\":\"full\",\"category\":\"sick\"}]}",
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-02-30\",\"type\":\"full\",\"category\":\"sick\"}]}",
      "{\"is_leave\":\"yes\",\"is_cancellation\":false,\"dates\":[]}",
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[],\"confidence\":\"high\"}",
      "{\"is_leave\":true,\"dates\":[]}"})
  void anAnswerOutsideTheSchemaFallsBackToTheRules(String content) {
    sandbox.openAi().script(FakeOpenAi.Answer.content(content));

    assertFallsBack(aParser().answer(FRIDAY_OFF, WEDNESDAY, List.of()), Reason.WRONG_SCHEMA);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // not ascending
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-13\",\"type\":\"full\",\"category\":\"vacation\"},"
          + "{\"date\":\"2026-03-12\",\"type\":\"full\",\"category\":\"vacation\"}]}",
      // a date twice
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-13\",\"type\":\"full\",\"category\":\"vacation\"},"
          + "{\"date\":\"2026-03-13\",\"type\":\"half_pm\",\"category\":\"vacation\"}]}",
      // before 1 January of today's year
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2025-12-31\",\"type\":\"full\",\"category\":\"vacation\"}]}",
      // a Saturday the message does not name
      "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-13\",\"type\":\"full\",\"category\":\"vacation\"},"
          + "{\"date\":\"2026-03-14\",\"type\":\"full\",\"category\":\"vacation\"}]}",
      // dates on a message that is not leave
      "{\"is_leave\":false,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-13\",\"type\":\"full\",\"category\":\"vacation\"}]}",
      // a cancellation that is not leave
      "{\"is_leave\":false,\"is_cancellation\":true,\"dates\":[]}"})
  void anAnswerTheContractForbidsFallsBackToTheRules(String content) {
    sandbox.openAi().script(FakeOpenAi.Answer.content(content));

    assertFallsBack(aParser().answer(FRIDAY_OFF, WEDNESDAY, List.of()), Reason.INVALID_OUTPUT);
  }

  @Test
  void aWeekendDayTheMessageNamesIsKept() {
    String saturday = "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-14\",\"type\":\"full\","
        + "\"category\":\"vacation\"}]}";
    sandbox.openAi().script(FakeOpenAi.Answer.content(saturday), FakeOpenAi.Answer.content(saturday),
        FakeOpenAi.Answer.content(saturday));
    LlmParser parser = aParser();

    assertThat(parser.answer("off on the 14th for a wedding", WEDNESDAY, List.of()).source()).isEqualTo(Source.LLM);
    assertThat(parser.answer("covering the sat shift? no, I'm off", WEDNESDAY, List.of()).source()).isEqualTo(Source.LLM);
    assertThat(parser.answer("add that day too", WEDNESDAY, List.of("off 14 March")).source()).isEqualTo(Source.LLM);
  }

  @Test
  void aRefusalFallsBackToTheRules() {
    sandbox.openAi().script(FakeOpenAi.Answer.refusal("I can't help with that."));

    assertFallsBack(aParser().answer(FRIDAY_OFF, WEDNESDAY, List.of()), Reason.INVALID_OUTPUT);
  }

  @Test
  void aServerErrorFallsBackToTheRules() {
    sandbox.openAi().script(FakeOpenAi.Answer.error(500, "The server had an error while processing your request."));

    Answer answer = aParser().answer(FRIDAY_OFF, WEDNESDAY, List.of());

    assertFallsBack(answer, Reason.HTTP_ERROR);
    assertThat(answer.failure().orElseThrow().detail()).isEqualTo("HTTP 500: The server had an error while processing your request.");
  }

  @Test
  void anErrorEchoingTheKeyDoesNotRevealIt() {
    sandbox.openAi().script(FakeOpenAi.Answer.error(401, "Incorrect API key provided: " + KEY + "."));

    Answer answer = aParser().answer(FRIDAY_OFF, WEDNESDAY, List.of());

    assertFallsBack(answer, Reason.HTTP_ERROR);
    assertThat(answer.failure().orElseThrow().detail()).startsWith("HTTP 401: Incorrect API key provided: ").doesNotContain(KEY);
  }

  @Test
  void anAnswerSlowerThanTheTimeoutFallsBackToTheRules() {
    sandbox.openAi().script(FakeOpenAi.Answer.slow(Duration.ofSeconds(5), FakeOpenAi.Answer.content(FRIDAY_MORNING_SICK)));
    LlmSettings impatient = new LlmSettings(URI.create(sandbox.openAiUrl()), "gpt-test", Optional.empty(),
        Duration.ofMillis(200), Optional.empty());

    assertFallsBack(aParser(impatient).answer(FRIDAY_OFF, WEDNESDAY, List.of()), Reason.TIMEOUT);
  }

  @Test
  void anUnreachableServerFallsBackToTheRules() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LlmSettings nowhere = new LlmSettings(URI.create("http://127.0.0.1:" + closedPort + "/v1"), "gpt-test", Optional.empty(),
        Duration.ofSeconds(5), Optional.empty());

    assertFallsBack(aParser(nowhere).answer(FRIDAY_OFF, WEDNESDAY, List.of()), Reason.UNREACHABLE);
  }

  @Test
  void parseKeepsTheInterfaceAndGivesWhoeverAnswered() {
    sandbox.openAi().script(FakeOpenAi.Answer.content(FRIDAY_MORNING_SICK), FakeOpenAi.Answer.error(503, "overloaded"));
    LeaveParser parser = aParser();

    assertThat(parser.parse(FRIDAY_OFF, WEDNESDAY, List.of()).dates()).extracting(Day::type).containsExactly(Type.HALF_AM);
    assertThat(parser.parse(FRIDAY_OFF, WEDNESDAY, List.of())).isEqualTo(rules.parse(FRIDAY_OFF, WEDNESDAY, List.of()));
  }

  @Test
  void theStartUpCheckPassesWhenTheModelAnswersWithStructuredOutput() {
    sandbox.openAi().script(FakeOpenAi.Answer.content("{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[]}"));

    LlmParser.Check check = aParser().check();

    assertThat(check.ok()).isTrue();
    assertThat(check.message()).contains("gpt-test", "answers with structured output");
    assertThat(calls("llm") + calls("fallback")).isZero();
  }

  @Test
  void theStartUpCheckSaysWhyAModelRejectsTheRequest() {
    sandbox.openAi().script(FakeOpenAi.Answer.error(400,
        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."));

    LlmParser.Check check = aParser().check();

    assertThat(check.ok()).isFalse();
    assertThat(check.message()).contains("gpt-test", sandbox.openAiUrl(), "http_error",
        "HTTP 400: Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
        "the rule parser answers");
    assertThat(fallbacks(Reason.HTTP_ERROR)).isZero();
  }

  private LlmParser aParser() {
    return aParser(new LlmSettings(URI.create(sandbox.openAiUrl()), "gpt-test", Optional.of(Secret.of(KEY)),
        Duration.ofSeconds(5), Optional.empty()));
  }

  private LlmParser aParser(LlmSettings settings) {
    LlmParser parser = new LlmParser(settings, metrics, rules);
    opened.add(parser);
    return parser;
  }

  private void assertFallsBack(Answer answer, Reason reason) {
    assertThat(answer.source()).isEqualTo(Source.RULES);
    assertThat(answer.failure()).hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(reason));
    assertThat(answer.leave()).isEqualTo(rules.parse(FRIDAY_OFF, WEDNESDAY, List.of()));
    assertThat(fallbacks(reason)).isEqualTo(1);
    assertThat(calls("fallback")).isEqualTo(1);
    assertThat(calls("llm")).isZero();
  }

  private double fallbacks(Reason reason) {
    return metrics.get("tandem.leave.llm.fallbacks").tag("reason", reason.tag()).counter().count();
  }

  private double calls(String outcome) {
    return metrics.get("tandem.leave.llm.calls").tag("outcome", outcome).counter().count();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
