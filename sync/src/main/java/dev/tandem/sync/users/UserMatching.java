package dev.tandem.sync.users;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a person of one workspace is matched to a person of another, as SyncBot does it: the
 * person with the same email (Slack's {@code users.lookupByEmail}, or the directory), else the
 * only person whose display name and real name both equal theirs, else the only person whose real
 * name equals theirs; otherwise nobody. Names compare case- and accent-insensitively. Bots never
 * match, and a manual mapping is never replaced by this policy.
 */
public final class UserMatching {
  private UserMatching() {}

  /** The outcome of matching one person against one workspace. */
  public sealed interface Match {
    Method method();

    record Found(Person target, Method method) implements Match {}

    record NotFound() implements Match {
      @Override
      public Method method() {
        return Method.NONE;
      }
    }
  }

  /** How a mapping was made; each has its own freshness. */
  public enum Method {
    EMAIL(Duration.ofDays(30)),
    NAME(Duration.ofDays(14)),
    MANUAL(null),
    NONE(Duration.ofDays(90));

    private final Duration freshFor;

    Method(Duration freshFor) {
      this.freshFor = freshFor;
    }

    /** Whether a mapping made at {@code matchedAt} should be matched again at {@code now}; manual ones never are. */
    public boolean stale(Instant matchedAt, Instant now) {
      return freshFor != null && matchedAt.plus(freshFor).isBefore(now);
    }

    public String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * @param byEmail the target workspace's person with the source's email, if any
   * @param targetDirectory the target workspace's people
   */
  public static Match match(Person source, Optional<Person> byEmail, List<Person> targetDirectory) {
    if (source.bot()) {
      return new Match.NotFound();
    }
    if (source.email().isPresent() && byEmail.filter(p -> !p.bot()).isPresent()) {
      return new Match.Found(byEmail.get(), Method.EMAIL);
    }
    String display = Person.normalize(source.displayName());
    String real = Person.normalize(source.realName());
    if (!real.isEmpty()) {
      List<Person> both = targetDirectory.stream().filter(p -> !p.bot())
          .filter(p -> Person.normalize(p.realName()).equals(real) && Person.normalize(p.displayName()).equals(display)).toList();
      if (both.size() == 1) {
        return new Match.Found(both.getFirst(), Method.NAME);
      }
      if (both.isEmpty()) {
        List<Person> byReal = targetDirectory.stream().filter(p -> !p.bot())
            .filter(p -> Person.normalize(p.realName()).equals(real)).toList();
        if (byReal.size() == 1) {
          return new Match.Found(byReal.getFirst(), Method.NAME);
        }
      }
    }
    return new Match.NotFound();
  }
}
