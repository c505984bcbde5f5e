package dev.tandem.leave.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.config.ConfigProblem;
import dev.tandem.core.config.ConfigReader;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading the LLM parser's settings: off by default, every bad combination reported by name. */
class LlmSettingsTest {

  @Test
  void withoutAUrlTheLlmIsOffAndEverySettingIsStillDocumented() {
    ConfigReader config = new ConfigReader(Map.of(), Map.of());

    assertThat(LlmSettings.read(config)).isEmpty();
    assertThat(config.problems()).isEmpty();
    assertThat(config.settings()).extracting(ConfigReader.SettingInfo::name).containsExactly("TANDEM_LEAVE_LLM_URL",
        "TANDEM_LEAVE_LLM_MODEL", "TANDEM_LEAVE_LLM_API_KEY", "TANDEM_LEAVE_LLM_TIMEOUT", "TANDEM_LEAVE_LLM_API_VERSION");
    assertThat(config.settings()).allSatisfy(s -> assertThat(s.description()).isNotBlank());
  }

  @Test
  void aUrlWithAModelTurnsItOn() {
    ConfigReader config = new ConfigReader(Map.of("TANDEM_LEAVE_LLM_URL", "https://api.openai.com/v1/",
        "TANDEM_LEAVE_LLM_MODEL", "gpt-4o-mini", "TANDEM_LEAVE_LLM_API_KEY", "sk-test-0123456789",
        "TANDEM_LEAVE_LLM_TIMEOUT", "3s"), Map.of());

    LlmSettings s = LlmSettings.read(config).orElseThrow();

    assertThat(config.problems()).isEmpty();
    assertThat(s.baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
    assertThat(s.chatCompletions()).isEqualTo(URI.create("https://api.openai.com/v1/chat/completions"));
    assertThat(s.model()).isEqualTo("gpt-4o-mini");
    assertThat(s.apiKey().orElseThrow().reveal()).isEqualTo("sk-test-0123456789");
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.azure()).isFalse();
    assertThat(s.toString()).doesNotContain("sk-test-0123456789");
  }

  @Test
  void aUrlWithoutAModelIsAProblemByName() {
    ConfigReader config = new ConfigReader(Map.of("TANDEM_LEAVE_LLM_URL", "http://localhost:11434/v1"), Map.of());

    assertThat(LlmSettings.read(config)).isEmpty();
    assertThat(config.problems()).extracting(ConfigProblem::setting).containsExactly("TANDEM_LEAVE_LLM_MODEL");
  }

  @Test
  void anAzureDeploymentNeedsAnApiVersion() {
    String url = "https://res.openai.azure.com/openai/deployments/leave";
    ConfigReader without = new ConfigReader(Map.of("TANDEM_LEAVE_LLM_URL", url, "TANDEM_LEAVE_LLM_MODEL", "gpt-4o-mini"), Map.of());
    ConfigReader with = new ConfigReader(Map.of("TANDEM_LEAVE_LLM_URL", url, "TANDEM_LEAVE_LLM_MODEL", "gpt-4o-mini",
        "TANDEM_LEAVE_LLM_API_VERSION", "2024-10-21"), Map.of());

    assertThat(LlmSettings.read(without)).isEmpty();
    assertThat(without.problems()).extracting(ConfigProblem::setting).containsExactly("TANDEM_LEAVE_LLM_API_VERSION");
    LlmSettings azure = LlmSettings.read(with).orElseThrow();
    assertThat(azure.azure()).isTrue();
    assertThat(azure.chatCompletions()).isEqualTo(URI.create(url + "/chat/completions?api-version=2024-10-21"));
  }

  @Test
  void badUrlsAreProblemsSayingWhatIsExpected() {
    for (String bad : new String[] {"api.openai.com/v1", "ftp://host/v1", "https://api.openai.com/v1/chat/completions",
        "https://x.openai.azure.com/openai/deployments/d?api-version=1"}) {
      ConfigReader config = new ConfigReader(Map.of("TANDEM_LEAVE_LLM_URL", bad, "TANDEM_LEAVE_LLM_MODEL", "m"), Map.of());

      assertThat(LlmSettings.read(config)).as(bad).isEmpty();
      assertThat(config.problems()).as(bad).singleElement().satisfies(p -> {
        assertThat(p.setting()).isEqualTo("TANDEM_LEAVE_LLM_URL");
        assertThat(p.message()).contains(bad);
      });
    }
  }

  @Test
  void aTimeoutMustBePositive() {
    assertThatThrownBy(() -> new LlmSettings(URI.create("http://localhost/v1"), "m", Optional.empty(), Duration.ZERO,
        Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessage("timeout <= 0: PT0S");
  }
}
