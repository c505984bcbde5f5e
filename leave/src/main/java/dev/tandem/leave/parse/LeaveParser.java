package dev.tandem.leave.parse;

import java.time.LocalDate;
import java.util.List;

/** What a leave message says (leave-parsing.md): the rule parser, or the LLM parser that falls back to it. */
public interface LeaveParser {
  /**
   * Parses one message posted on {@code today} (the poster's local date); {@code thread} holds the
   * earlier messages of its thread, oldest first (rule 12). Never throws for any text.
   */
  ParsedLeave parse(String text, LocalDate today, List<String> thread);
}
