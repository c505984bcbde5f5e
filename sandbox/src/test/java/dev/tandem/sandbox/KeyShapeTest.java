package dev.tandem.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyShapeTest {

  @Test
  void reportsMissingAndExtraKeysAtDepth() {
    var expected = KeyShape.tree(Map.of("ok", true, "user", Map.of("id", "U1", "profile", Map.of("email", "e"))));
    var actual = KeyShape.tree(Map.of("ok", true, "user", Map.of("id", "U1", "profile", Map.of("phone", "p"))));

    assertThat(KeyShape.diff(expected, actual)).containsExactly("$.user.profile: missing [email] extra [phone]");
  }
}
