package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.config.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table and the settings the code reads are the same list. */
class ConfigDocsTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\|", Pattern.MULTILINE);

  @Test
  void theReadmeDocumentsEverySettingAndNoOther() throws Exception {
    ConfigReader config = new ConfigReader(Map.of(), Map.of());
    Settings.readLeniently(config);
    List<String> inCode = config.settings().stream().map(ConfigReader.SettingInfo::name).toList();
    String readme = Files.readString(Path.of("../README.md"));

    Matcher m = ROW.matcher(readme);
    List<String> documented = m.results().map(r -> r.group(1)).toList();

    assertThat(documented).containsExactlyInAnyOrderElementsOf(inCode);
  }
}
