package dev.tandem.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotEnvTest {
  @Test
  void readsQuotedExportedAndCommentedLines() {
    List<ConfigProblem> problems = new ArrayList<>();

    Map<String, String> values = DotEnv.parse(List.of(
        "# comment",
        "",
        "PORT=4000",
        "export TANDEM_DATA_DIR=/var/lib/tandem",
        "A=\"two words # not a comment\"",
        "B='single $quoted'",
        "C=plain # trailing comment",
        "D=\"line\\nbreak \\\"quoted\\\"\""), ".env", problems);

    assertThat(problems).isEmpty();
    assertThat(values).containsExactly(
        Map.entry("PORT", "4000"),
        Map.entry("TANDEM_DATA_DIR", "/var/lib/tandem"),
        Map.entry("A", "two words # not a comment"),
        Map.entry("B", "single $quoted"),
        Map.entry("C", "plain"),
        Map.entry("D", "line\nbreak \"quoted\""));
  }

  @Test
  void malformedLinesAreProblemsWithTheirLineNumber() {
    List<ConfigProblem> problems = new ArrayList<>();

    DotEnv.parse(List.of("OK=1", "not a setting", "X=\"unterminated", "9BAD=1"), ".env", problems);

    assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
        ".env line 2: expected KEY=VALUE with KEY made of letters, digits and _",
        ".env line 3: unterminated double quote",
        ".env line 4: expected KEY=VALUE with KEY made of letters, digits and _");
  }
}
