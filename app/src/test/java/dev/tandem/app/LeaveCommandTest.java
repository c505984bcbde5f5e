package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem leave parse}: one message, or a JSON Lines file of cases, printed in the contract's shape. */
class LeaveCommandTest {
  @TempDir Path dir;

  @Test
  void parsesOneMessageWithItsToday() {
    CliFixture.Result r = CliFixture.run(Map.of(), dir, "leave", "parse", "--today", "2026-03-11", "out sick tomorrow");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out().strip()).isEqualTo(
        "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-12\",\"type\":\"full\",\"category\":\"sick\"}]}");
  }

  @Test
  void parsesAJsonLinesFileOneResultPerLineWithItsIdAndAThread() throws Exception {
    Path cases = dir.resolve("cases.jsonl");
    Files.writeString(cases, String.join("\n",
        "{\"id\": \"a\", \"text\": \"wfh today\", \"today\": \"2026-03-11\", \"tz\": \"Europe/London\"}",
        "",
        "{\"id\": \"b\", \"text\": \"add friday too\", \"today\": \"2026-03-11\", \"tz\": \"Europe/London\", \"thread\": [\"off thursday\"], \"x\": 1}"));
    CliFixture.Result r = CliFixture.run(Map.of(), dir, "leave", "parse", "--jsonl", cases.toString());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out().strip().lines().toList()).isEqualTo(List.of(
        "{\"id\":\"a\",\"is_leave\":false,\"is_cancellation\":false,\"dates\":[]}",
        "{\"id\":\"b\",\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-12\",\"type\":\"full\",\"category\":\"vacation\"},"
            + "{\"date\":\"2026-03-13\",\"type\":\"full\",\"category\":\"vacation\"}]}"));
  }

  @Test
  void badInputIsAClearErrorNotAResult() throws Exception {
    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, "{not json\n");
    assertThat(CliFixture.run(Map.of(), dir, "leave", "parse", "--jsonl", broken.toString()).all()).contains("line 1 is not JSON");
    assertThat(CliFixture.run(Map.of(), dir, "leave", "parse", "--parser", "llm", "off today").all()).contains("no LLM is configured");
    assertThat(CliFixture.run(Map.of(), dir, "leave", "parse", "--parser", "magic", "off today").all()).contains("choose rules or llm");
    assertThat(CliFixture.run(Map.of(), dir, "leave", "parse").exitCode()).isNotZero();
  }

  @Test
  void withAnLlmConfiguredItsAnswerIsUsedAndRulesCanBeChosen() {
    try (dev.tandem.sandbox.FakeSlack sandbox = dev.tandem.sandbox.FakeSlack.create(dev.tandem.sandbox.FakeSlackOptions.forTests())) {
      sandbox.start(0);
      // an answer the rules would not give for this text: the output proves the model's answer was taken
      sandbox.openAi().script(dev.tandem.sandbox.FakeOpenAi.Answer.content("{\"is_leave\":true,\"is_cancellation\":false,"
          + "\"dates\":[{\"date\":\"2026-03-12\",\"type\":\"half_am\",\"category\":\"sick\"}]}"));
      Map<String, String> env = Map.of("TANDEM_LEAVE_LLM_URL", sandbox.openAiUrl(), "TANDEM_LEAVE_LLM_MODEL", "gpt-test");
      assertThat(CliFixture.run(env, dir, "leave", "parse", "--today", "2026-03-11", "off tomorrow").out().strip()).isEqualTo(
          "{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-12\",\"type\":\"half_am\",\"category\":\"sick\"}]}");
      assertThat(sandbox.openAi().requests()).hasSize(1);
      // --parser rules overrides the configuration: no request
      assertThat(CliFixture.run(env, dir, "leave", "parse", "--parser", "rules", "--today", "2026-03-11", "off tomorrow").out().strip())
          .isEqualTo("{\"is_leave\":true,\"is_cancellation\":false,\"dates\":[{\"date\":\"2026-03-12\",\"type\":\"full\",\"category\":\"vacation\"}]}");
      assertThat(sandbox.openAi().requests()).hasSize(1);
    }
  }

  @Test
  void retryNamesAnUnknownRecord() {
    CliFixture.Result r = CliFixture.run(Map.of("TANDEM_DATA_DIR", dir.toString()), dir, "leave", "retry", "no-such-record");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.all()).contains("no leave record no-such-record");
  }
}
