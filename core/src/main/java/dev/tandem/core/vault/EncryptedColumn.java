package dev.tandem.core.vault;

/**
 * A column holding vault-sealed values, keyed by {@code idColumn}. Its context (associated data)
 * is {@code table.column}. Modules list theirs so that key rotation reaches every secret.
 */
public record EncryptedColumn(String table, String idColumn, String column) {
  public EncryptedColumn {
    for (String part : new String[] {table, idColumn, column}) {
      if (!part.matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("not a plain SQL identifier: " + part);
      }
    }
  }

  public String context() {
    return table + "." + column;
  }
}
