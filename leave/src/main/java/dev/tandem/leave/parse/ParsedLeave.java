package dev.tandem.leave.parse;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * What a leave message says, in the contract's shape (leave-parsing.md, "Output").
 *
 * @param dropped dates the message named that the contract drops (before 1 January of the
 *     poster's year, rule 13): not part of the result, but the bot warns about them
 */
public record ParsedLeave(boolean isLeave, boolean isCancellation, List<Day> dates, List<LocalDate> dropped) {
  public ParsedLeave {
    dates = List.copyOf(dates);
    dropped = List.copyOf(dropped);
  }

  public ParsedLeave(boolean isLeave, boolean isCancellation, List<Day> dates) {
    this(isLeave, isCancellation, dates, List.of());
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
