package dev.tandem.core.vault;

import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Core's named secrets ({@code core_secret}), sealed by the vault. */
public final class SecretStore {
  public static final EncryptedColumn COLUMN = new EncryptedColumn("core_secret", "name", "sealed");

  private final Jdbi jdbi;
  private final TokenVault vault;
  private final Clock clock;

  public SecretStore(Jdbi jdbi, TokenVault vault, Clock clock) {
    this.jdbi = jdbi;
    this.vault = vault;
    this.clock = clock;
  }

  public void put(String name, String value) {
    String sealed = vault.seal(value, COLUMN.context());
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      int updated = h.createUpdate("UPDATE core_secret SET sealed = :sealed, updated_at = :now WHERE name = :name")
          .bind("sealed", sealed).bind("now", now).bind("name", name).execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO core_secret (name, sealed, updated_at) VALUES (:name, :sealed, :now)")
            .bind("sealed", sealed).bind("now", now).bind("name", name).execute();
      }
    });
  }

  /**
   * The secret {@code name}, created from {@code initial} when absent. When instances race, the
   * first insert wins and every instance reads that one.
   */
  public String getOrCreate(String name, java.util.function.Supplier<String> initial) {
    Optional<String> existing = get(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    String sealed = vault.seal(initial.get(), COLUMN.context());
    try {
      jdbi.useHandle(h -> h.execute("INSERT INTO core_secret (name, sealed, updated_at) VALUES (?, ?, ?)", name, sealed, clock.millis()));
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException lostTheRace) {
      // another instance created it first: use theirs
    }
    return get(name).orElseThrow(() -> new IllegalStateException("secret " + name + " could not be created"));
  }

  public Optional<String> get(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT sealed FROM core_secret WHERE name = :name")
            .bind("name", name).mapTo(String.class).findOne())
        .map(sealed -> vault.open(sealed, COLUMN.context()));
  }
}
