package dev.tandem.core.config;

/** One invalid or missing setting: its name and what a valid value looks like. */
public record ConfigProblem(String setting, String message) {
  @Override
  public String toString() {
    return setting + ": " + message;
  }
}
