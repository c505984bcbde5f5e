package dev.tandem.leave.intake;

import dev.tandem.leave.intake.LeaveIntake.Understanding;
import dev.tandem.leave.intake.LeaveIntake.Understood;
import dev.tandem.leave.parse.LeaveParser;
import dev.tandem.leave.parse.LlmParser;
import dev.tandem.leave.parse.ParsedLeave;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the intake makes of a message. A message that starts a conversation is read only when it
 * passes the gate: a trigger keyword, then the rule parser (offline, far under a millisecond),
 * which is the real gate; only then the configured parser (the LLM one, when there is one) reads
 * it. A reply in a conversation the bot is having with its poster is always read. The gate runs
 * this same test in the request that delivers the event, so what it drops is never stored; the
 * corpus test runs {@link #read}, so its score is the bot's, not only the parser's.
 */
public final class LeaveReading implements Understanding {
  /** The source named when the gate, not the configured parser, decided. */
  public static final String PREFILTER = "prefilter";
  private final Supplier<TriggerWords> keywords;
  private final LeaveParser rules;
  private final Understanding parser;

  public LeaveReading(Supplier<TriggerWords> keywords, LeaveParser rules, Understanding parser) {
    this.keywords = keywords;
    this.rules = rules;
    this.parser = parser;
  }

  /** The gate's test for a message that starts a conversation. */
  public boolean worthReading(String text, LocalDate today) {
    return keywords.get().matches(text) && rules.parse(text, today, List.of()).isLeave();
  }

  /** The rule parser as the configured parser. */
  public static Understanding byRules(LeaveParser rules) {
    return (text, today, thread) -> new Understood(rules.parse(text, today, thread), "rules");
  }

  /**
   * The LLM parser as the configured parser: its source is "llm" when the model's answer was
   * used, else "rules:&lt;reason&gt;" (timeout, invalid_json, ...), which the confirmation shows.
   */
  public static Understanding byLlm(LlmParser llm) {
    return (text, today, thread) -> {
      LlmParser.Answer a = llm.answer(text, today, thread);
      return new Understood(a.leave(), a.source() == LlmParser.Source.LLM ? "llm"
          : "rules:" + a.failure().map(f -> f.reason().tag()).orElse("unknown"));
    };
  }

  @Override
  public Understood read(String text, LocalDate today, List<String> thread) {
    if (thread.isEmpty() && !worthReading(text, today)) {
      return new Understood(ParsedLeave.notLeave(), PREFILTER);
    }
    return parser.read(text, today, thread);
  }
}
