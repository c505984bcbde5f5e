package dev.tandem.leave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tandem.core.db.Database;
import dev.tandem.core.db.Dialect;
import dev.tandem.core.db.MigrationSet;
import dev.tandem.core.db.Migrations;
import dev.tandem.core.testing.MutableClock;
import dev.tandem.core.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings stored in the database win over the environment's, apply at once here and within seconds elsewhere. */
class LeaveConfigIT {
  @TempDir Path dir;

  @Test
  void storedSettingsWinAreValidatedAndReachOtherProcessesWithinTheRefresh() throws Exception {
    MutableClock clock = MutableClock.atEpochDay();
    String url = TestDatabases.freshUrl(Dialect.SQLITE, dir);
    try (Database one = TestDatabases.open(url, dir); Database two = TestDatabases.open(url, dir)) {
      new Migrations(one).migrate(List.of(new MigrationSet("core"), new MigrationSet("leave")));
      LeaveSettings env = new LeaveSettings(List.of("C0ENV"), List.of("leave"), Duration.ofMinutes(60), true,
          java.time.ZoneId.of("UTC"), Duration.ofDays(180), java.util.Optional.empty(), LeaveSettings.defaults().steps(),
          LeaveSettings.defaults().admin());
      LeaveConfig here = new LeaveConfig(one.jdbi(), env, clock);
      LeaveConfig there = new LeaveConfig(two.jdbi(), env, clock);
      assertThat(there.current().keywords().matches("annual break")).isFalse();
      assertThat(here.current().channels()).containsExactly("C0ENV");

      here.setList(LeaveConfig.KEYWORDS, List.of("annual", "break"), "admin@example.com");
      here.setList(LeaveConfig.CHANNELS, List.of("C0ONE", "C0TWO"), "admin@example.com");
      here.set(LeaveConfig.EXPIRY_MINUTES, IntNode.valueOf(15), "admin@example.com");
      assertThat(here.current().keywords().matches("annual break")).isTrue();
      assertThat(here.current().channels()).containsExactlyInAnyOrder("C0ONE", "C0TWO");
      assertThat(here.current().expiry()).isEqualTo(Duration.ofMinutes(15));
      assertThat(there.current().keywords().matches("annual break")).as("cached until the refresh").isFalse();
      clock.advance(LeaveConfig.REFRESH);
      assertThat(there.current().keywords().matches("annual break")).isTrue();

      // invalid values are refused before anything is written
      assertThatThrownBy(() -> here.set(LeaveConfig.EXPIRY_MINUTES, IntNode.valueOf(0), "x")).hasMessageContaining("1 to 10080");
      assertThatThrownBy(() -> here.setList(LeaveConfig.CHANNELS, List.of("leave"), "x")).hasMessageContaining("not a Slack channel id");
      assertThatThrownBy(() -> here.set(LeaveConfig.DEFAULT_TIME_ZONE, TextNode.valueOf("Mars/Olympus"), "x"))
          .hasMessageContaining("IANA");
      assertThatThrownBy(() -> here.set(LeaveConfig.HALF_DAY_WINDOWS, new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          "{\"morning\":\"13:00-09:00\"}"), "x")).hasMessageContaining("11:00-15:00");
      assertThatThrownBy(() -> here.set(LeaveConfig.HOURS, new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"full\":30}"), "x"))
          .hasMessageContaining("more than 0 and at most 24");
      here.set(LeaveConfig.HALF_DAY_WINDOWS, new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"morning\":\"09:00-13:00\"}"), "x");
      here.set(LeaveConfig.SPAN_WEEKENDS, com.fasterxml.jackson.databind.node.BooleanNode.TRUE, "x");
      clock.advance(LeaveConfig.REFRESH);
      assertThat(there.current().recording().morning().toString()).isEqualTo("09:00-13:00");
      assertThat(there.current().recording().afternoon().toString()).as("the default where none is stored").isEqualTo("15:00-19:00");
      assertThat(there.current().recording().spanWeekends()).isTrue();
      assertThat(there.current().expiry()).isEqualTo(Duration.ofMinutes(15));
      assertThat(there.current().channels()).containsExactlyInAnyOrder("C0ONE", "C0TWO");
    }
  }
}
