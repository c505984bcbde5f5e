package dev.tandem.core.db;

/**
 * One module's Flyway migrations: {@code db/<module>/common} plus {@code db/<module>/<dialect>} on
 * the classpath, tracked in the module's own history table {@code <module>_schema_history}.
 */
public record MigrationSet(String module) {
  public MigrationSet {
    if (!module.matches("[a-z][a-z0-9]*")) {
      throw new IllegalArgumentException("module name must be lower-case letters and digits: " + module);
    }
  }

  public String historyTable() {
    return module + "_schema_history";
  }

  String[] locations(Dialect dialect) {
    return new String[] {"classpath:db/" + module + "/common", "classpath:db/" + module + "/" + dialect.folder()};
  }
}
