package dev.tandem.core.slack;

import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Rate-limit slots in {@code core_slack_rate}, so that every instance books from one budget. Each
 * booking is one short transaction that locks the budget's row ({@code FOR UPDATE} on PostgreSQL
 * and MySQL; SQLite's immediate transactions serialise it anyway).
 */
final class DatabaseSlots implements RateLimits.Slots {
  private final Database database;

  DatabaseSlots(Database database) {
    this.database = database;
  }

  @Override
  public void update(String key, Function<Double, Double> book) {
    String lock = database.dialect() == Dialect.SQLITE ? "" : " FOR UPDATE";
    for (int attempt = 0; ; attempt++) {
      try {
        database.jdbi().useTransaction(h -> {
          Optional<Long> current = h.createQuery("SELECT next_free FROM core_slack_rate WHERE budget = :k" + lock)
              .bind("k", key).mapTo(Long.class).findOne();
          Double next = book.apply(current.map(Long::doubleValue).orElse(null));
          if (next == null) {
            return;
          }
          long value = (long) Math.ceil(next);
          if (current.isPresent()) {
            h.execute("UPDATE core_slack_rate SET next_free = ? WHERE budget = ?", value, key);
          } else {
            h.execute("INSERT INTO core_slack_rate (budget, next_free) VALUES (?, ?)", key, value);
          }
        });
        return;
      } catch (UnableToExecuteStatementException e) {
        // two instances inserted the same new budget at once: the loser books again on the row
        if (attempt >= 2) {
          throw e;
        }
      }
    }
  }
}
