package dev.tandem.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every configuration problem found at start-up, reported together. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String format(List<ConfigProblem> problems) {
    return problems.size() + " configuration problem" + (problems.size() == 1 ? "" : "s") + ":\n"
        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
