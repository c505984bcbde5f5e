package dev.tandem.leave.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.testing.ShiftedClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInLimiterTest {
  private final ShiftedClock clock = new ShiftedClock();
  private final SignInLimiter limiter = new SignInLimiter(clock, Duration.ofMinutes(15), 5, 20);

  @Test
  void fiveFailuresForOneAccountMakeItWaitUntilTheOldestLeavesTheWindow() {
    for (int i = 0; i < 4; i++) {
      limiter.failed("10.0.0.1", "a@x.example");
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(limiter.wait("10.0.0.1", "a@x.example")).isEmpty();
    limiter.failed("10.0.0.1", "a@x.example");
    // the clock runs on in real time too: the wait is 11 minutes less what the test took
    assertThat(limiter.wait("10.0.0.1", "a@x.example")).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofMinutes(10),
        Duration.ofMinutes(11)));
    assertThat(limiter.wait("10.0.0.2", "a@x.example")).as("another address").isEmpty();
    assertThat(limiter.wait("10.0.0.1", "b@x.example")).as("another account").isEmpty();
    clock.advance(Duration.ofMinutes(11));
    assertThat(limiter.wait("10.0.0.1", "a@x.example")).isEmpty();
  }

  @Test
  void oneAddressTryingManyAccountsIsStoppedToo() {
    for (int i = 0; i < 20; i++) {
      limiter.failed("10.0.0.1", "user" + i + "@x.example");
    }
    assertThat(limiter.wait("10.0.0.1", "someone-new@x.example")).isPresent();
    assertThat(limiter.wait("10.0.0.9", "someone-new@x.example")).isEmpty();
  }

  @Test
  void aSuccessClearsTheAccountsFailures() {
    for (int i = 0; i < 4; i++) {
      limiter.failed("10.0.0.1", "a@x.example");
    }
    limiter.succeeded("10.0.0.1", "a@x.example");
    limiter.failed("10.0.0.1", "a@x.example");
    assertThat(limiter.wait("10.0.0.1", "a@x.example")).isEmpty();
  }
}
