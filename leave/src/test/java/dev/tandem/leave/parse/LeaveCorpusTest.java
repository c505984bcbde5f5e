package dev.tandem.leave.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.leave.LeaveSettings;
import dev.tandem.leave.intake.LeaveIntake;
import dev.tandem.leave.intake.LeaveIntake.Understood;
import dev.tandem.leave.intake.LeaveReading;
import dev.tandem.leave.intake.TriggerWords;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The intake's reading (the gate: the default keywords and the rule parser; then the parser)
 * over the contract's worked cases (a copy of shared/corpus/leave-dev.jsonl): prints the score
 * and every case it gets wrong, and requires 97 % exact matches (issue 6). The
 * corpus is public, so the properties below check that the parser generalises rather than
 * remembers: shifting {@code today} by a week shifts every date by a week, and case, emoji and
 * mentions change nothing.
 */
class LeaveCorpusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void scoreOverTheDevCorpus() throws Exception {
    RuleParser rules = new RuleParser();
    TriggerWords keywords = new TriggerWords(LeaveSettings.DEFAULT_KEYWORDS);
    LeaveReading pipeline = new LeaveReading(() -> keywords, rules,
        (text, today, thread) -> new Understood(rules.parse(text, today, thread), "rules"));
    int total = 0;
    int prefiltered = 0;
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases()) {
      total++;
      LeaveCases.Case in = LeaveCases.read(c.toString());
      String expected = canonical(c.path("expected"));
      LeaveIntake.Understood read = pipeline.read(in.text(), in.today(), in.thread());
      prefiltered += read.source().equals(LeaveReading.PREFILTER) ? 1 : 0;
      String actual = canonical(LeaveCases.json(read.leave()));
      if (!expected.equals(actual)) {
        failures.add(c.path("id").asText() + " " + in.text() + "\n    expected " + expected + "\n    got      " + actual);
      }
    }
    int exact = total - failures.size();
    System.out.printf("leave corpus (gate + rule parser): %d of %d exact (%.1f %%); %d stopped by the gate%n", exact,
        total, 100.0 * exact / total, prefiltered);
    failures.forEach(f -> System.out.println("  " + f));
    assertThat(exact).as("exact matches").isGreaterThanOrEqualTo((int) Math.ceil(0.97 * total));
  }

  @Test
  void shiftingTodayByAWeekShiftsEveryDateByAWeekAndCaseEmojiAndMentionsChangeNothing() throws Exception {
    RuleParser parser = new RuleParser();
    int checked = 0;
    for (JsonNode c : cases()) {
      String text = c.path("text").asText();
      LocalDate today = LocalDate.parse(c.path("today").asText());
      List<String> thread = new ArrayList<>();
      c.path("thread").forEach(t -> thread.add(t.asText()));
      ParsedLeave base = parser.parse(text, today, thread);
      ParsedLeave shifted = parser.parse(text, today.plusWeeks(1), thread);
      boolean absolute = text.matches("(?s).*(\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}|\\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec).*")
          || thread.stream().anyMatch(t -> t.matches("(?s).*\\d.*"));
      // near New Year a past date may be dropped on one side only (rule 13): those cases are left out
      boolean nearNewYear = today.minusWeeks(2).getYear() != today.getYear() || today.plusWeeks(3).getYear() != today.getYear();
      if (!absolute && !nearNewYear) {
        assertThat(shifted.dates()).as("%s a week later", c.path("id").asText())
            .isEqualTo(base.dates().stream().map(d -> new ParsedLeave.Day(d.date().plusWeeks(1), d.type(), d.category())).toList());
        checked++;
      }
      assertThat(parser.parse(text.toUpperCase(java.util.Locale.ROOT), today, thread)).as("%s in capitals", c.path("id").asText())
          .isEqualTo(base);
      assertThat(parser.parse("<@U0ABCDEF> " + text + " :sparkles:", today, thread)).as("%s with a mention and an emoji", c.path("id").asText())
          .isEqualTo(base);
    }
    assertThat(checked).as("cases with only relative dates").isGreaterThan(20);
  }

  @Test
  void noCorpusTextNorAnyTwentyCharacterPieceOfOneIsInTheMainSources() throws Exception {
    StringBuilder sources = new StringBuilder();
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
      for (java.nio.file.Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
        sources.append(java.nio.file.Files.readString(f).toLowerCase(java.util.Locale.ROOT)).append('\n');
      }
    }
    assertThat(sources.length()).as("the parser's sources were read").isGreaterThan(1_000);
    String all = sources.toString();
    for (JsonNode c : cases()) {
      String text = c.path("text").asText().toLowerCase(java.util.Locale.ROOT);
      for (int i = 0; i + 20 <= text.length(); i++) {
        String piece = text.substring(i, i + 20);
        assertThat(all).as("%s: a piece of its text is in the sources", c.path("id").asText()).doesNotContain(piece);
      }
    }
  }

  private List<JsonNode> cases() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Objects.requireNonNull(getClass().getResourceAsStream("/corpus/leave-dev.jsonl")), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  private static String canonical(JsonNode n) {
    StringBuilder s = new StringBuilder();
    s.append(n.path("is_leave").asBoolean()).append('/').append(n.path("is_cancellation").asBoolean());
    n.path("dates").forEach(d -> s.append(' ').append(d.path("date").asText()).append(':').append(d.path("type").asText())
        .append(':').append(d.path("category").asText()));
    return s.toString();
  }
}
