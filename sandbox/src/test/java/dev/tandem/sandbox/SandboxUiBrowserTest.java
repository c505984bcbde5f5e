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

    assertCleanConsole();
  }

  @Test
  void repliesInThreadsReactsAndSubmitsAModalFromTheHomeTab() throws Exception {
    String token = sandbox.install().botToken();
    app.respond(r -> onInteraction(r, token));
    assertThat(SandboxFixture.callJson(sandbox.slack(), token, "views.publish", Map.of("user_id", BOB, "view",
        Map.of("type", "home", "blocks", List.of(Map.of("type", "section", "text", Map.of("type", "mrkdwn",
            "text", "Your leave"), "accessory", Map.of("type", "button", "action_id", "open_form", "text",
            Map.of("type", "plain_text", "text", "Request leave"))))))).ok()).isTrue();
    String ts = sandbox.slack().postAsUser(TEAM, LEAVE, "alice", "Who covers Friday?", null);
    driver.get(sandbox.slack().baseUrl() + "/sandbox/");
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    new Select(driver.findElement(By.id("person"))).selectByVisibleText("bob");
    click(By.cssSelector("button[data-channel='leave']"));

    click(By.cssSelector("li[data-ts='" + ts + "'] button.reply"));
    driver.findElement(By.id("composer-text")).sendKeys("I do");
    driver.findElement(By.id("send")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("li[data-ts='" + ts + "'] .replies"),
        "I do"));
    type(By.cssSelector("li[data-ts='" + ts + "'] > .msg-foot input"), "thumbsup\n");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("li[data-ts='" + ts + "'] .reactions"),
        ":thumbsup: 1"));
    assertThat(sandbox.slack().messages(TEAM, LEAVE)).anySatisfy(m -> assertThat(m)
        .containsEntry("text", "I do").containsEntry("user", BOB).containsEntry("thread_ts", ts));
    assertThat(sandbox.slack().messages(TEAM, LEAVE).getFirst().get("reactions").toString()).contains(BOB);

    click(By.cssSelector("button[data-app='" + APP + "']"));
    click(By.cssSelector("#home-blocks button[data-action-id='open_form']"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("modal")));
    driver.findElement(By.id("modal-submit")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-error-for='reason']"),
        "Say why"));
    driver.findElement(By.id("f-reason-text")).sendKeys("Family visit");
    new Select(driver.findElement(By.id("f-kind-kind"))).selectByVisibleText("Holiday");
    driver.findElement(By.id("modal-submit")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("modal")));

    JsonNode submitted = payload(app.requests.stream().filter(r -> r.body().contains("view_submission"))
        .reduce((a, b) -> b).orElseThrow());
    assertThat(submitted.at("/view/state/values/reason/text/value").asText()).isEqualTo("Family visit");
    assertThat(submitted.at("/view/state/values/kind/kind/selected_option/value").asText()).isEqualTo("holiday");
    assertThat(sandbox.slack().openModals(TEAM, BOB)).isEmpty();
    assertCleanConsole();
  }

  /** The stand-in app: the Home button opens a modal; a submission without a reason answers errors. */
  private Receiver.Reply onInteraction(Receiver.Request r, String token) {
    try {
      if (!r.body().startsWith("payload=")) return Receiver.Reply.ok();
      JsonNode p = payload(r);
      if (p.path("type").asText().equals("block_actions")
          && p.at("/actions/0/action_id").asText().equals("open_form")) {
        Map<String, Object> option = Map.of("text", Map.of("type", "plain_text", "text", "Holiday"), "value", "holiday");
        SandboxFixture.callJson(sandbox.slack(), token, "views.open", Map.of("trigger_id", p.path("trigger_id").asText(),
            "view", Map.of("type", "modal", "callback_id", "leave", "title", Map.of("type", "plain_text", "text", "Leave"),
                "submit", Map.of("type", "plain_text", "text", "Send"), "blocks", List.of(
                    Map.of("type", "input", "block_id", "reason", "label", Map.of("type", "plain_text", "text", "Reason"),
                        "element", Map.of("type", "plain_text_input", "action_id", "text")),
                    Map.of("type", "input", "block_id", "kind", "label", Map.of("type", "plain_text", "text", "Kind"),
                        "element", Map.of("type", "static_select", "action_id", "kind", "options", List.of(option)))))));
      }
      if (p.path("type").asText().equals("view_submission")
          && p.at("/view/state/values/reason/text/value").asText().isEmpty()) {
        return new Receiver.Reply(200, "{\"response_action\":\"errors\",\"errors\":{\"reason\":\"Say why\"}}",
            Map.of("Content-Type", "application/json"));
      }
      return Receiver.Reply.ok();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The stylesheet applied, and the console shows no CSP refusal nor any other error. */
  private void assertCleanConsole() {
    assertThat(driver.findElement(By.cssSelector("header.top")).getCssValue("background-color"))
        .isEqualTo("rgba(63, 14, 64, 1)");
    List<String> console = driver.manage().logs().get("browser").getAll().stream()
        .filter(e -> !e.getMessage().contains("favicon.ico")).map(e -> e.getLevel() + " " + e.getMessage()).toList();
    assertThat(console).noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to")
        || m.startsWith("SEVERE"));
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

  private void type(By by, String keys) {
    wait.ignoring(StaleElementReferenceException.class).until((WebDriver d) -> {
      d.findElement(by).sendKeys(keys);
      return true;
    });
  }

  private static JsonNode payload(Receiver.Request r) throws IOException {
    return SandboxFixture.JSON.readTree(URLDecoder.decode(r.body().substring("payload=".length()),
        StandardCharsets.UTF_8));
  }
}
