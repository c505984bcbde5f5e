package dev.tandem.core.db;

/** The SQL dialects Tandem runs on. SQLite is for one instance; the others allow many. */
public enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql"),
  MYSQL("mysql");

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /** The migration folder for statements that differ per dialect. */
  public String folder() {
    return folder;
  }

  /** Whether several instances may share the database (row locks with {@code SKIP LOCKED}). */
  public boolean multiInstance() {
    return this != SQLITE;
  }
}
