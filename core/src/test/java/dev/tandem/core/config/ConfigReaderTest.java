package dev.tandem.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.core.CoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
  @TempDir Path dir;

  @Test
  void reportsEveryProblemAtOnceWithoutTheSecretValue() {
    String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[31]).replace("A", "Q");
    ConfigReader config = new ConfigReader(Map.of(
        "DATABASE_URL", "mongo://x",
        "PORT", "abc",
        "TANDEM_SECRET_KEY", shortKey), Map.of());

    CoreSettings.read(config);
    ConfigException e = assertThrows(ConfigException.class, config::throwIfProblems);

    assertThat(e.problems()).extracting(ConfigProblem::setting).containsExactlyInAnyOrder("DATABASE_URL", "PORT", "TANDEM_SECRET_KEY");
    assertThat(e.getMessage())
        .contains("DATABASE_URL: unsupported scheme 'mongo' (expected sqlite:, postgresql:, mysql: or mariadb:)")
        .contains("PORT: not a whole number: 'abc' (expected 0..65535)")
        .contains("TANDEM_SECRET_KEY: decodes to 31 bytes (expected exactly 32 bytes")
        .doesNotContain(shortKey);
  }

  @Test
  void environmentWinsOverDotEnv() throws Exception {
    Files.writeString(dir.resolve(".env"), "PORT=4000\nTANDEM_LOG_FORMAT=json\n");

    ConfigReader config = ConfigReader.load(Map.of("PORT", "5000"), dir);
    CoreSettings settings = CoreSettings.read(config);

    assertThat(settings.web().port()).isEqualTo(5000);
    assertThat(settings.log().format().name()).isEqualTo("JSON");
    assertThat(config.settings()).filteredOn(s -> s.name().equals("TANDEM_LOG_FORMAT"))
        .singleElement().extracting(ConfigReader.SettingInfo::source).isEqualTo(ConfigReader.Source.DOTENV);
  }

  @Test
  void defaultsNeedNoSettingAtAll() {
    ConfigReader config = new ConfigReader(Map.of(), Map.of());

    CoreSettings settings = CoreSettings.read(config);
    config.throwIfProblems();

    assertThat(settings.web().port()).isEqualTo(3000);
    assertThat(settings.dataDir()).isEqualTo(Path.of("./data").toAbsolutePath().normalize());
    assertThat(settings.database().requireUrl().jdbcUrl()).isEqualTo("jdbc:sqlite:" + settings.dataDir().resolve("tandem.db"));
    assertThat(settings.web().maxBodyBytes()).isEqualTo(1024 * 1024);
  }

  @Test
  void secretsAreMaskedInTheSettingList() {
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]).replace("A", "B");
    ConfigReader config = new ConfigReader(Map.of("TANDEM_SECRET_KEY", key,
        "DATABASE_URL", "postgresql://app:hunter2secret@db.example:5432/tandem"), Map.of());

    CoreSettings.read(config);

    assertThat(config.settings().toString()).doesNotContain(key).doesNotContain("hunter2secret");
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void durationsAcceptUnitsAndIso() {
    assertThat(ConfigReader.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigReader.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ConfigReader.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigReader.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(ConfigReader.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(ConfigReader.parseDuration("PT45S")).isEqualTo(Duration.ofSeconds(45));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigReader.parseDuration("soon"));
    assertThat(e.getMessage()).isEqualTo("not a duration: 'soon' (expected for example 500ms, 30s, 5m, 2h or 1d)");
  }

  @Test
  void outOfRangeAndUnknownChoicesNameTheValidValues() {
    ConfigReader config = new ConfigReader(Map.of("PORT", "70000", "TANDEM_LOG_FORMAT", "yaml", "TANDEM_JOB_LEASE", "10ms"), Map.of());

    CoreSettings.read(config);

    assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
        "PORT: out of range: 70000 (expected 0..65535)",
        "TANDEM_LOG_FORMAT: unknown value 'yaml' (expected one of json, text)",
        "TANDEM_JOB_LEASE: too short: '10ms' (expected at least 1s)");
  }
}
