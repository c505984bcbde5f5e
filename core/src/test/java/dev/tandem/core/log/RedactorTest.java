package dev.tandem.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void masksTokenShapesAndUrlPasswords() {
    String text = "token xoxb-123456-abcdef and xapp-1-A0B1C2-xyz, auth Bearer abc.def-123456,"
        + " db postgresql://app:s3cret!@db:5432/x, query ?password=hunter2&x=1";

    String out = Redactor.redact(text);

    assertThat(out).doesNotContain("xoxb-123456", "xapp-1-A0B1C2", "abc.def-123456", "s3cret!", "hunter2")
        .contains("postgresql://app:" + Redactor.MASK + "@db:5432/x")
        .contains("Bearer " + Redactor.MASK)
        .contains("password=" + Redactor.MASK + "&x=1");
  }

  @Test
  void masksRegisteredSecretsAnywhere() {
    Redactor.register("correct-horse-battery");

    assertThat(Redactor.redact("key is correct-horse-battery!")).isEqualTo("key is " + Redactor.MASK + "!");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    assertThat(Redactor.redact("job=42 kind=sync.fanout - done in 12 ms")).isEqualTo("job=42 kind=sync.fanout - done in 12 ms");
  }
}
