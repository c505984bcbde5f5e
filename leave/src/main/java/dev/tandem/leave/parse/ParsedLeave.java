package dev.tandem.leave.parse;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** What a leave message says, in the contract's shape (leave-parsing.md, "Output"). */
public record ParsedLeave(boolean isLeave, boolean isCancellation, List<Day> dates) {
  public ParsedLeave {
    dates = List.copyOf(dates);
  }

  public static ParsedLeave notLeave() {
    return new ParsedLeave(false, false, List.of());
  }

  /** One date of leave. */
  public record Day(LocalDate date, Type type, Category category) {}

  public enum Type {
    FULL, HALF_AM, HALF_PM;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Category {
    VACATION, SICK;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
