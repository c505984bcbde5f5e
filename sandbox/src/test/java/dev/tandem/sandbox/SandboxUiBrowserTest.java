package dev.tandem.sandbox;

import static dev.tandem.sandbox.SandboxFixture.APP;
import static dev.tandem.sandbox.SandboxFixture.BOB;
import static dev.tandem.sandbox.SandboxFixture.LEAVE;
import static dev.tandem.sandbox.SandboxFixture.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser UI in Debian's headless Chromium, under the same Content-Security-Policy Tandem's server sets:
 * a person posts through the composer, and a button in an app's message reaches the app as block_actions.
 */
@Tag("heavy")
class SandboxUiBrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  private Receiver app;
  private SandboxFixture.Sandbox sandbox;
  private Path profile;
  private ChromeDriverService service;
  private ChromeDriver driver;
  private WebDriverWait wait;

  @BeforeEach
  void start() throws IOException {
    Assumptions.assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
        "no /usr/bin/chromium or /usr/bin/chromedriver: install chromium and chromium-driver (apt-get install"
            + " chromium chromium-driver) to run the browser test");
    app = new Receiver();
    sandbox = SandboxFixture.aSandbox(AppSpec.builder("Tandem").appId(APP).requestUrl(app.url())
        .signingSecret("s3cret").build());
    profile = Files.createTempDirectory("sandbox-ui-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
        "--user-data-dir=" + profile);
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  @AfterEach
  void stop() throws IOException {
    if (driver != null) driver.quit();
    if (service != null) service.stop();
    if (sandbox != null) sandbox.close();
    if (app != null) app.close();
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void aPersonPostsThroughTheComposerAndPressesAnAppButton() throws Exception {
    driver.get(sandbox.slack().baseUrl() + "/sandbox");
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    new Select(driver.findElement(By.id("workspace"))).selectByValue(TEAM);
    new Select(driver.findElement(By.id("person"))).selectByVisibleText("bob");
    click(By.cssSelector("button[data-channel='leave']"));
    wait.until(ExpectedConditions.textToBe(By.id("title"), "#leave"));

    driver.findElement(By.id("composer-text")).sendKeys("Heading out at four");
    driver.findElement(By.id("send")).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Heading out at four"));
    assertThat(sandbox.slack().messages(TEAM, LEAVE)).anySatisfy(m -> {
      assertThat(m).containsEntry("text", "Heading out at four").containsEntry("user", BOB);
    });

    // an app's message with an actions block, posted through the Web API, renders as a working button
    List<Object> blocks = List.of(
        Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "Approve Bob's leave?")),
        Map.of("type", "actions", "block_id", "decide", "elements", List.of(Map.of("type", "button",
            "action_id", "leave_approve", "value", "yes", "style", "primary",
            "text", Map.of("type", "plain_text", "text", "Approve")))));
    var posted = SandboxFixture.callJson(sandbox.slack(), sandbox.install().botToken(), "chat.postMessage",
        Map.of("channel", LEAVE, "text", "Approve Bob's leave?", "blocks", blocks));
    assertThat(posted.ok()).isTrue();

    click(By.cssSelector("button[data-action-id='leave_approve']"));

    wait.until(d -> app.requests.stream().anyMatch(r -> r.body().startsWith("payload=")));
    JsonNode payload = payload(app.requests.stream().filter(r -> r.body().startsWith("payload=")).findFirst()
        .orElseThrow());
    assertThat(payload.path("type").asText()).isEqualTo("block_actions");
    assertThat(payload.path("user").path("id").asText()).isEqualTo(BOB);
    assertThat(payload.path("container").path("message_ts").asText()).isEqualTo(posted.body().get("ts"));
    assertThat(payload.at("/actions/0/action_id").asText()).isEqualTo("leave_approve");
    assertThat(payload.at("/actions/0/value").asText()).isEqualTo("yes");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "App answered HTTP 200"));

    // the stylesheet applied and nothing was refused by the Content-Security-Policy
    assertThat(driver.findElement(By.cssSelector("header.top")).getCssValue("background-color"))
        .isEqualTo("rgba(63, 14, 64, 1)");
    List<String> console = driver.manage().logs().get("browser").getAll().stream().map(LogEntry::getMessage)
        .toList();
    assertThat(console).noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));
  }

  /** Clicks what the page may re-render meanwhile (the message list is rebuilt when it changes). */
  private void click(By by) {
    wait.ignoring(StaleElementReferenceException.class).until((WebDriver d) -> {
      var e = ExpectedConditions.elementToBeClickable(by).apply(d);
      if (e == null) return false;
      e.click();
      return true;
    });
  }

  private static JsonNode payload(Receiver.Request r) throws IOException {
    return SandboxFixture.JSON.readTree(URLDecoder.decode(r.body().substring("payload=".length()),
        StandardCharsets.UTF_8));
  }
}
