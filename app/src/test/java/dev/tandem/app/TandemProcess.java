package dev.tandem.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Tandem as a separate process (the packaged jar), for the crash tests: started with a fault point armed, or none. */
final class TandemProcess {
  static final Path JAR = Path.of("target/tandem.jar").toAbsolutePath();

  private TandemProcess() {}

  /**
   * Starts {@code tandem serve} in {@code dir} with {@code env} (and nothing of this JVM's Tandem
   * settings), armed at {@code faultPoint} ("" for none), logging to {@code dir/tandem-<name>.log};
   * returns once {@code /readyz} answers 200 on {@code port} and {@code alsoReady} holds.
   */
  static Process start(Path dir, Map<String, String> env, int port, String faultPoint, String name, BooleanSupplier alsoReady)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dir.resolve("tandem-" + name + ".log");
    ProcessBuilder pb = new ProcessBuilder(java, "-jar", JAR.toString(), "serve").directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TANDEM_") || k.startsWith("DATABASE_") || k.startsWith("SLACK_") || k.equals("PORT"));
    pb.environment().putAll(env);
    pb.environment().put("TANDEM_FAULT_POINT", faultPoint);
    Process p = pb.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
      if (!p.isAlive()) {
        throw new AssertionError("Tandem exited early: " + Files.readString(log));
      }
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200 && alsoReady.getAsBoolean();
    });
    return p;
  }
}
