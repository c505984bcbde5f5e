package dev.tandem.sync.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sync.users.UserMatching.Match;
import dev.tandem.sync.users.UserMatching.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UserMatchingTest {
  private static Person person(String ws, String id, String email, String real, String display) {
    return new Person(ws, id, Optional.ofNullable(email), real, display, Optional.empty(), false);
  }

  private final Person dave = person("ACME", "U1", "dave@example.com", "Dave Diaz", "dave");

  @Test
  void emailWinsOverNames() {
    Person byEmail = person("GLOBEX", "U9", "dave@example.com", "David D.", "dd");
    Person sameName = person("GLOBEX", "U8", null, "Dave Diaz", "dave");

    Match m = UserMatching.match(dave, Optional.of(byEmail), List.of(byEmail, sameName));

    assertThat(m).isEqualTo(new Match.Found(byEmail, Method.EMAIL));
  }

  @Test
  void aUniqueDisplayAndRealNameMatchComesNextIgnoringCaseAndAccents() {
    Person twin = person("GLOBEX", "U7", null, "DAVE  DÍAZ", "Dave");
    Person other = person("GLOBEX", "U6", null, "Dave Diaz", "the other dave");

    assertThat(UserMatching.match(dave, Optional.empty(), List.of(twin, other))).isEqualTo(new Match.Found(twin, Method.NAME));
  }

  @Test
  void aUniqueRealNameIsTheLastResortAndAmbiguityMatchesNobody() {
    Person onlyReal = person("GLOBEX", "U5", null, "Dave Diaz", "davey");
    Person second = person("GLOBEX", "U4", null, "Dave Diaz", "dd");

    assertThat(UserMatching.match(dave, Optional.empty(), List.of(onlyReal))).isEqualTo(new Match.Found(onlyReal, Method.NAME));
    assertThat(UserMatching.match(dave, Optional.empty(), List.of(onlyReal, second))).isInstanceOf(Match.NotFound.class);
    assertThat(UserMatching.match(dave, Optional.empty(), List.of())).extracting(Match::method).isEqualTo(Method.NONE);
  }

  @Test
  void botsNeverMatch() {
    Person bot = new Person("GLOBEX", "B1", Optional.empty(), "Dave Diaz", "dave", Optional.empty(), true);
    Person sourceBot = new Person("ACME", "B2", Optional.empty(), "Dave Diaz", "dave", Optional.empty(), true);

    assertThat(UserMatching.match(dave, Optional.empty(), List.of(bot))).isInstanceOf(Match.NotFound.class);
    assertThat(UserMatching.match(sourceBot, Optional.empty(), List.of(dave))).isInstanceOf(Match.NotFound.class);
  }

  @Test
  void mappingsGoStaleAsSyncBotsDoButManualOnesNever() {
    Instant matched = Instant.parse("2026-01-01T00:00:00Z");

    assertThat(Method.EMAIL.stale(matched, matched.plus(Duration.ofDays(29)))).isFalse();
    assertThat(Method.EMAIL.stale(matched, matched.plus(Duration.ofDays(31)))).isTrue();
    assertThat(Method.NAME.stale(matched, matched.plus(Duration.ofDays(15)))).isTrue();
    assertThat(Method.NONE.stale(matched, matched.plus(Duration.ofDays(89)))).isFalse();
    assertThat(Method.MANUAL.stale(matched, matched.plus(Duration.ofDays(3650)))).isFalse();
  }

  @Test
  void shownNamesFallBackFromDisplayToRealToId() {
    assertThat(person("A", "U1", null, "Carol Chen", "carol").shownName()).isEqualTo("carol");
    assertThat(person("A", "U1", null, "Carol Chen", " ").shownName()).isEqualTo("Carol Chen");
    assertThat(person("A", "U1", null, null, null).shownName()).isEqualTo("U1");
  }
}
