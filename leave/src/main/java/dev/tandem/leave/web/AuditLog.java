package dev.tandem.leave.web;

import dev.tandem.leave.LeaveIds;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** What admins did ({@code leave_audit}): who, what, to what, when. Written with the change it describes. */
public final class AuditLog {
  private final Jdbi jdbi;
  private final Clock clock;

  public record Entry(String id, long at, String actor, String action, String target, String detail) {}

  public AuditLog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void record(String actor, String action, String target, String detail) {
    jdbi.useHandle(h -> h.execute("INSERT INTO leave_audit (id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
        LeaveIds.newId(), clock.millis(), cut(actor, 320), action, cut(target, 200), cut(detail, 2000)));
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** Newest first. */
  public Page<Entry> page(int page, int size) {
    long total = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM leave_audit").mapTo(Long.class).one());
    List<Entry> items = jdbi.withHandle(h -> h.createQuery("SELECT * FROM leave_audit ORDER BY at DESC, id DESC LIMIT :l OFFSET :o")
        .bind("l", size).bind("o", (page - 1) * size)
        .map((rs, ctx) -> new Entry(rs.getString("id"), rs.getLong("at"), rs.getString("actor"), rs.getString("action"), rs.getString("target"),
            rs.getString("detail"))).list());
    return new Page<>(items, page, size, total);
  }
}
