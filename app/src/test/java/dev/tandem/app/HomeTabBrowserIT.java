package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 5's whole flow in headless Chromium, through the sandbox's browser UI and the real Tandem:
 * create a group, invite another workspace, accept in the invitation message, publish a channel,
 * subscribe one in the other workspace, and see a message arrive there.
 */
@Tag("heavy")
class HomeTabBrowserIT {
  @TempDir Path dir;
  private SyncWorld world;
  private Chromium chromium;
  private ChromeDriver driver;
  private WebDriverWait wait;

  @AfterEach
  void stop() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
    if (world != null) {
      world.close();
    }
  }

  @Test
  void fromCreatingAGroupToAMessageInTheOtherWorkspace() throws Exception {
    world = new SyncWorld(dir, Dialect.SQLITE, Map.of());
    world.slack.addChannel("T0ACME", "C0ACMEDES", "design", false, "U0ALICE");
    world.slack.addChannel("T0GLOBEX", "C0GLOBDES", "design-x", false, "U0BOB");
    startBrowser();
    driver.get(world.slack.baseUrl() + "/sandbox");
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));

    // Acme's admin creates a group on the Home tab
    as("T0ACME", "alice");
    home();
    click(By.cssSelector("#home-blocks button[data-action-id='home.group.create']"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("modal")));
    driver.findElement(By.id("f-name-value")).sendKeys("Designers");
    driver.findElement(By.id("modal-submit")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("modal")));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("home-blocks"), "Designers"));

    // ... and invites Globex (groups are listed by name: Designers comes before Partners)
    click(By.cssSelector("#home-blocks button[data-action-id='home.group.invite']"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("modal")));
    new Select(driver.findElement(By.id("f-workspace-value"))).selectByValue("T0GLOBEX");
    driver.findElement(By.id("modal-submit")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("modal")));

    // Globex's admin accepts in the message Tandem Sync sent him
    as("T0GLOBEX", "bob");
    click(By.cssSelector("button[data-dm]"));
    click(By.cssSelector("#messages button[data-action-id='home.invite.accept']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "is now in Designers"));

    // Acme shares #design with the group
    as("T0ACME", "alice");
    home();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("home-blocks"), "Globex"));
    click(By.cssSelector("#home-blocks button[data-action-id='home.sync.publish']"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("modal")));
    driver.findElement(By.id("f-channel-home.channel")).sendKeys("C0ACMEDES");
    driver.findElement(By.id("modal-submit")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("modal")));

    // Globex starts syncing #design-x with it
    as("T0GLOBEX", "bob");
    home();
    click(By.cssSelector("#home-blocks button[data-action-id='home.sync.subscribe']"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("modal")));
    driver.findElement(By.id("f-channel-home.channel")).sendKeys("C0GLOBDES");
    driver.findElement(By.id("modal-submit")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("modal")));

    // a message in Acme's #design appears in Globex's #design-x
    as("T0ACME", "alice");
    click(By.cssSelector("button[data-channel='design']"));
    driver.findElement(By.id("composer-text")).sendKeys("Hello from the browser");
    driver.findElement(By.id("send")).click();
    await().atMost(Duration.ofSeconds(30)).until(() -> world.slack.messages("T0GLOBEX", "C0GLOBDES").stream()
        .anyMatch(m -> "Hello from the browser".equals(m.get("text"))));
    as("T0GLOBEX", "bob");
    click(By.cssSelector("button[data-channel='design-x']"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Hello from the browser"));
    assertThat(world.wiring.sync.topology().liveLink("T0GLOBEX", "C0GLOBDES")).isPresent();
  }

  private void startBrowser() throws IOException {
    chromium = Chromium.start();
    driver = chromium.driver;
    wait = chromium.wait;
  }

  private void as(String team, String person) {
    new Select(driver.findElement(By.id("workspace"))).selectByValue(team);
    wait.until(d -> new Select(d.findElement(By.id("person"))).getOptions().stream().anyMatch(o -> o.getText().equals(person)));
    new Select(driver.findElement(By.id("person"))).selectByVisibleText(person);
  }

  private void home() {
    click(By.cssSelector("button[data-app='" + world.app.appId() + "']"));
  }

  /** Clicks once the element is there and clickable (the UI re-renders as it polls). */
  private void click(By by) {
    wait.ignoring(StaleElementReferenceException.class).until(d -> {
      d.findElement(by).click();
      return true;
    });
  }
}
