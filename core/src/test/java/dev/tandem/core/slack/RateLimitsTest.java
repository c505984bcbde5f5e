package dev.tandem.core.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.testing.MutableClock;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private final MutableClock clock = MutableClock.atEpochDay();
  private final RateLimits limits = new RateLimits(clock);

  @Test
  void tierOneAllowsOneCallAMinutePerWorkspace() {
    assertThat(RateLimits.perMinute("conversations.history")).isGreaterThanOrEqualTo(1);
    int perMinute = RateLimits.perMinute("team.info");

    Duration first = limits.reserve("T1", "team.info", null);
    Duration second = limits.reserve("T1", "team.info", null);
    Duration otherTeam = limits.reserve("T2", "team.info", null);

    assertThat(first).isZero();
    assertThat(otherTeam).isZero();
    if (perMinute <= 1) {
      assertThat(second).isEqualTo(Duration.ofMinutes(1));
    } else {
      assertThat(second.toMillis()).isLessThanOrEqualTo(60_000L / perMinute);
    }
  }

  @Test
  void postingIsOneMessageASecondPerChannelAfterAShortBurst() {
    long[] waits = IntStream.range(0, 6).mapToLong(i -> limits.reserve("T1", "chat.postMessage", "C1").toMillis()).toArray();
    Duration otherChannel = limits.reserve("T1", "chat.postMessage", "C2");

    assertThat(waits[0]).isZero();
    assertThat(waits[1]).isZero();
    assertThat(waits[2]).isZero();
    assertThat(waits[3]).isEqualTo(1000);
    assertThat(waits[4]).isEqualTo(2000);
    assertThat(waits[5]).isEqualTo(3000);
    assertThat(otherChannel).isZero();
  }

  @Test
  void budgetsRefillWithTime() {
    for (int i = 0; i < 3; i++) {
      limits.reserve("T1", "chat.postMessage", "C1");
    }

    clock.advance(Duration.ofSeconds(5));

    assertThat(limits.reserve("T1", "chat.postMessage", "C1")).isZero();
  }

  @Test
  void a429BlocksTheBudgetForItsRetryAfter() {
    limits.blockFor("T1", "users.list", null, Duration.ofSeconds(20));
    limits.blockFor("T1", "chat.postMessage", "C1", Duration.ofSeconds(7));

    assertThat(limits.reserve("T1", "users.list", null)).isEqualTo(Duration.ofSeconds(20));
    assertThat(limits.reserve("T1", "chat.postMessage", "C1")).isEqualTo(Duration.ofSeconds(7));
    assertThat(limits.reserve("T2", "users.list", null)).isZero();
  }

  @Test
  void aLongWaitIsNotBookedWhenTheCallerWillNotWait() {
    limits.blockFor("T1", "users.list", null, Duration.ofSeconds(20));

    Duration first = limits.reserve("T1", "users.list", null, Duration.ofSeconds(2));
    Duration second = limits.reserve("T1", "users.list", null, Duration.ofSeconds(2));

    assertThat(first).isEqualTo(second).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void retryAfterFollowsSlacksHeader() {
    assertThat(SlackCalls.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(SlackCalls.retryAfter(null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(SlackCalls.retryAfter("0")).isEqualTo(Duration.ofSeconds(1));
  }
}
