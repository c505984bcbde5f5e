package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.db.Dialect;
import dev.tandem.leave.LeaveConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 8's acceptance in headless Chromium against the real Tandem and the sandbox: sign in with a
 * local admin, import people from the leave channels, filter the leave records, retry a failed
 * one, change the trigger keywords and see the bot answer the new keyword in Slack.
 */
@Tag("heavy")
class AdminBrowserIT {
  private static final String EMAIL = "ops@acme.example";
  private static final String PASSWORD = "correct horse battery staple";
  @TempDir Path dir;
  private LeaveWorld world;
  private Chromium chromium;

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
  void signInImportFilterRetryAndChangeTheKeywords() throws Exception {
    Map<String, String> env = new HashMap<>(LeaveWorld.recording());
    env.put("TANDEM_LEAVE_KEYWORDS", "leave");
    world = new LeaveWorld(dir, Dialect.SQLITE, env, LeaveWorld::seedRecording);
    world.wiring.leave.admins().create(EMAIL, "Ops", PASSWORD);
    LocalDate monday = LeaveWorld.mondayAhead();
    world.slack.calendar().fail("events.insert", 403, "forbidden", 1);
    world.announceAndConfirm("T0ACME", "U0ALICE", "on leave " + monday);
    chromium = Chromium.start();
    ChromeDriver driver = chromium.driver;

    // sign in: the admin sends us to the sign-in page and back
    driver.get(world.baseUrl() + "/admin/records");
    chromium.wait.until(ExpectedConditions.urlContains("/admin/sign-in"));
    labelled();
    driver.findElement(By.id("email")).sendKeys(EMAIL);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.cssSelector("button[type=submit]")).click();
    chromium.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Leave records"));
    assertThat(((JavascriptExecutor) driver).executeScript("return typeof htmx")).as("htmx is served from the jar and allowed to run")
        .isEqualTo("object");

    // import people from the leave channels
    driver.findElement(By.linkText("People")).click();
    chromium.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "People"));
    labelled();
    driver.findElement(By.xpath("//button[normalize-space()='Import from the leave channels']")).click();
    chromium.wait.until(ExpectedConditions.alertIsPresent()).accept();
    chromium.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Import:"));
    assertThat(driver.findElement(By.cssSelector(".flash")).getText()).contains("4 added", "1 unchanged", "mapped to Harvest");
    assertThat(driver.findElement(By.id("results")).getText()).contains("Alice Archer", "Bob Brown", "Carol Chen", "Dave Diaz",
        "Acme (U0DAVEA), Globex (U0DAVEG)");

    // filter the records: failed ones only
    driver.findElement(By.linkText("Leave records")).click();
    chromium.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Leave records"));
    labelled();
    new Select(driver.findElement(By.id("status"))).selectByValue("failed");
    chromium.wait.until(ExpectedConditions.urlContains("status=failed"));
    chromium.wait.until(d -> d.findElements(By.cssSelector("#results tbody tr")).size() == 1);
    String row = driver.findElement(By.cssSelector("#results tbody tr")).getText();
    assertThat(row).contains("Alice Archer", monday.toString(), "failed", "forbidden");

    // retry it: the calendar event is made and the record completes
    driver.findElement(By.cssSelector("button[aria-label='Retry Alice Archer " + monday + "']")).click();
    chromium.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Retrying the failed steps of Alice Archer"));
    await().atMost(Duration.ofSeconds(30)).until(() -> world.count("SELECT COUNT(*) FROM leave_record WHERE status = 'completed'") == 1);
    assertThat(world.slack.calendar().events(LeaveWorld.CALENDAR)).hasSize(1);
    driver.get(world.baseUrl() + "/admin/records?status=completed");
    assertThat(driver.findElement(By.id("results")).getText()).contains("Alice Archer", "completed");

    // a keyword the bot does not know yet: no answer
    String before = world.post("T0ACME", "U0CAROL", "ooo on " + monday.plusDays(1), null);

    // change the keywords in the settings
    driver.findElement(By.linkText("Settings")).click();
    chromium.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Settings"));
    labelled();
    WebElement keywords = driver.findElement(By.id("keywords"));
    keywords.clear();
    keywords.sendKeys("leave\nooo");
    driver.findElement(By.xpath("//button[normalize-space()='Save settings']")).click();
    chromium.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Settings saved"));
    assertThat(world.wiring.leave.config().current().keywords().words()).containsExactly("leave", "ooo");
    assertThat(world.wiring.leave.config().values().get(LeaveConfig.KEYWORDS).toString()).isEqualTo("[\"leave\",\"ooo\"]");

    // the bot answers the new keyword
    String after = world.post("T0ACME", "U0CAROL", "ooo on " + monday.plusDays(1), null);
    Map<String, Object> reply = world.awaitReply("T0ACME", after, 1);
    assertThat(LeaveWorld.text(reply)).contains(java.time.format.DateTimeFormatter.ofPattern("EEE d MMM yyyy", java.util.Locale.ENGLISH)
        .format(monday.plusDays(1)));
    assertThat(world.botReplies("T0ACME", before)).as("the same words before the change").isEmpty();

    driver.findElement(By.linkText("Audit log")).click();
    chromium.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Audit log"));
    assertThat(driver.findElement(By.tagName("main")).getText()).contains("people.import", "record.retry", "settings.change", EMAIL);
  }

  /** Every visible form control of the page has a label (a screen reader can name it). */
  private void labelled() {
    @SuppressWarnings("unchecked")
    List<String> unlabelled = (List<String>) ((JavascriptExecutor) chromium.driver).executeScript(
        "return Array.from(document.querySelectorAll('input:not([type=hidden]):not([hidden]), select, textarea'))"
            + ".filter(e => e.labels.length === 0).map(e => e.outerHTML)");
    assertThat(unlabelled).as("form controls without a label on " + chromium.driver.getCurrentUrl()).isEmpty();
  }
}
