package dev.tandem.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** Runs the shipped logback.xml in both formats and checks what reaches the console. */
class LogFormatTest {
  private static final String TOKEN = "xoxb-1111-2222-abcdefghijkl";

  @Test
  void jsonLinesCarryTheRequestIdAndNoSecret() throws Exception {
    String out = logWith("json", log -> log.error("posting with {} failed", TOKEN, new IllegalStateException("bad " + TOKEN)));

    JsonNode line = new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertThat(line.get("message").asText()).isEqualTo("posting with " + Redactor.MASK + " failed");
    assertThat(line.get("request_id").asText()).isEqualTo("req-42");
    assertThat(line.get("level").asText()).isEqualTo("ERROR");
    assertThat(out).doesNotContain(TOKEN).contains("IllegalStateException");
  }

  @Test
  void textLinesCarryTheRequestIdAndNoSecret() throws Exception {
    String out = logWith("text", log -> log.warn("token {} refused", TOKEN, new RuntimeException("with " + TOKEN)));

    assertThat(out).contains("WARN").contains("req=req-42").contains("token " + Redactor.MASK + " refused")
        .contains("RuntimeException: with " + Redactor.MASK).doesNotContain(TOKEN);
  }

  private static String logWith(String format, java.util.function.Consumer<Logger> body) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      context.setMDCAdapter(MDC.getMDCAdapter());
      context.putProperty("tandem.log.format", format);
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
      MDC.put("request_id", "req-42");
      body.accept(context.getLogger("dev.tandem.test"));
    } finally {
      MDC.remove("request_id");
      context.stop();
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
