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
}
