package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem admin create}: a local admin account whose generated password is shown once and works. */
class AdminCommandTest {
  @TempDir Path dir;

  @Test
  void createsAnAccountWithAPasswordShownOnceAndRefusesASecond() {
    Map<String, String> env = Map.of("TANDEM_DATA_DIR", dir.toString());
    CliFixture.Result created = CliFixture.run(env, dir, "admin", "create", "Ada@Example.com", "--name", "Ada");
    assertThat(created.exitCode()).as(created.all()).isZero();
    Matcher m = Pattern.compile("password \\(shown once\\): (\\S+)").matcher(created.out());
    assertThat(m.find()).as(created.out()).isTrue();
    String password = m.group(1);

    try (Wiring wiring = new Wiring(Settings.read(new dev.tandem.core.config.ConfigReader(env, Map.of())), java.time.Clock.systemUTC())) {
      assertThat(wiring.leave.admins().signIn("ada@example.com", password)).isPresent();
      assertThat(wiring.leave.admins().signIn("ada@example.com", password + "x")).isEmpty();
    }
    CliFixture.Result again = CliFixture.run(env, dir, "admin", "create", "ada@example.com");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.all()).contains("exists already");
  }

  @Test
  void aResetPasswordIsOneTimeAndEndsTheAccountsSessions() {
    Map<String, String> env = Map.of("TANDEM_DATA_DIR", dir.toString());
    assertThat(CliFixture.run(env, dir, "admin", "create", "ada@example.com").exitCode()).isZero();
    Settings settings = Settings.read(new dev.tandem.core.config.ConfigReader(env, Map.of()));
    String session;
    try (Wiring wiring = new Wiring(settings, java.time.Clock.systemUTC())) {
      session = wiring.leave.adminAuth().startSession("ada@example.com", "Ada", "password").secret();
      assertThat(wiring.leave.adminAuth().bySession(session)).isPresent();
    }
    CliFixture.Result reset = CliFixture.run(env, dir, "admin", "reset-password", "ada@example.com");
    assertThat(reset.exitCode()).as(reset.all()).isZero();
    Matcher m = Pattern.compile("one-time password \\(shown once, to be changed at sign-in\\): (\\S+)").matcher(reset.out());
    assertThat(m.find()).as(reset.out()).isTrue();
    try (Wiring wiring = new Wiring(settings, java.time.Clock.systemUTC())) {
      assertThat(wiring.leave.adminAuth().bySession(session)).as("the old session ended").isEmpty();
      assertThat(wiring.leave.admins().signIn("ada@example.com", m.group(1))).isPresent();
      String fresh = wiring.leave.adminAuth().startSession("ada@example.com", "Ada", "password").secret();
      assertThat(wiring.leave.adminAuth().bySession(fresh).orElseThrow().mustChangePassword()).isTrue();
    }
    CliFixture.Result unknown = CliFixture.run(env, dir, "admin", "reset-password", "nobody@example.com");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.all()).contains("no admin account for nobody@example.com");
  }
}
