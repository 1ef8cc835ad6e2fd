package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.vigil.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * axe-core (Deque's Selenium integration) on the login page and the signed-in page, in English and
 * Arabic, at 1366 px and 360 px, on a server with every panel enabled (monitoring, a database to back
 * up) and on a default install (none): zero critical and zero serious violations, none of
 * {@code aria-allowed-role} at any impact, and no console error. Screenshots of each go to
 * {@code target/screenshots/axe-*.png}.
 */
class DashboardAccessibilityTest {
  static final Dimension DESKTOP = new Dimension(1366, 768);
  static final Path SHOTS = Path.of("target", "screenshots");
  /** Rules whose violations fail the test whatever impact axe gives them. */
  static final List<String> ALWAYS = List.of("aria-allowed-role");
  @TempDir
  static Path dir;
  static Browser browser;

  @BeforeAll
  static void start() {
    if (!Browser.installed()) {
      String why = "Chromium or chromedriver missing at " + Browser.CHROMIUM + " / " + Browser.DRIVER
          + " (scripts/test installs chromium and chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void everyPanelEnabledHasNoCriticalOrSeriousViolations() throws Exception {
    Path d = Files.createDirectories(dir.resolve("all"));
    try (TestServer server = TestServer.start(d, DashboardTestEnv.env(d))) {
      // a verified backup, so the list, its badges and the verify buttons are on the page
      HttpResponse<String> backup = server.send(HttpRequest.newBuilder(server.uri("/api/backup/create"))
          .header("Authorization", "Bearer " + server.adminToken).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
      assertThat(backup.statusCode()).as(backup.body()).isEqualTo(200);
      List<String> found = check(server, "all");
      assertThat(found).as("axe violations (critical/serious)").isEmpty();
    }
  }

  @Test
  void defaultInstallHasNoViolationsAndRequestsOnlyEnabledFeatures() throws Exception {
    try (TestServer server = TestServer.start(dir.resolve("none"))) {
      List<String> found = check(server, "none");
      assertThat(found).as("axe violations (critical/serious)").isEmpty();
      List<String> requested = browser.performanceLog().stream().map(e -> e.getMessage())
          .filter(m -> m.contains("\"Network.requestWillBeSent\""))
          .flatMap(m -> java.util.regex.Pattern.compile("\"url\":\"(http[^\"]+)\"").matcher(m).results()
              .map(r -> r.group(1)).limit(1))
          .collect(Collectors.toList());
      assertThat(requested).as("requests of a default install").isNotEmpty()
          .noneMatch(u -> u.contains("/api/backup/") || u.contains("/api/monitoring/") || u.contains("/api/stream"));
    }
  }

  /** Every combination of page, language and width; returns the violations found, one line each. */
  private static List<String> check(TestServer server, String setup) throws Exception {
    List<String> found = new ArrayList<>();
    browser.viewport(DESKTOP);
    browser.driver.get(server.uri("/").toString());
    browser.driver.executeScript("sessionStorage.clear(); localStorage.clear();");
    browser.driver.navigate().refresh();
    browser.consoleErrors();
    browser.performanceLog();
    for (String lang : List.of("en", "ar")) {
      browser.viewport(DESKTOP);
      waitFor("the login form", () -> browser.driver.findElement(By.id("token")).isDisplayed());
      // the language switch of the login page, as a person would use it
      browser.driver.findElement(By.cssSelector("button[data-lang='" + lang + "']")).click();
      waitFor("the page in " + lang, () -> lang.equals(browser.driver.findElement(By.tagName("html")).getAttribute("lang")));
      for (Map.Entry<String, Dimension> size : sizes()) {
        browser.viewport(size.getValue());
        found.addAll(axe(setup + " login " + lang + " " + size.getKey()));
        browser.screenshot(SHOTS.resolve("axe-" + setup + "-login-" + lang + "-" + size.getKey() + ".png"));
      }
      browser.viewport(DESKTOP);
      browser.driver.findElement(By.id("token")).sendKeys(server.adminToken);
      browser.driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
      waitFor("every panel filled", () -> Boolean.TRUE.equals(browser.driver.executeScript(
          "return document.body.dataset.filled === 'true' && [...document.querySelectorAll('.panel')]"
              + ".every(p => p.hidden || p.dataset.state !== 'loading')")));
      for (Map.Entry<String, Dimension> size : sizes()) {
        browser.viewport(size.getValue());
        waitFor("layout at " + size.getKey(), () -> ((Number) browser.driver.executeScript("return window.innerWidth"))
            .intValue() == size.getValue().width);
        found.addAll(axe(setup + " dashboard " + lang + " " + size.getKey()));
        // axe 4.10 lets a figure take any role, so a chart's figure or canvas given role="img" is caught here:
        // the figure keeps its caption and label, the drawing itself is hidden from assistive technology
        @SuppressWarnings("unchecked")
        List<String> imgRoles = (List<String>) browser.driver.executeScript(
            "return [...document.querySelectorAll('#panel-charts [role=\"img\"]')].map(e => e.outerHTML.slice(0, 80))");
        imgRoles.forEach(e -> found.add(setup + " dashboard " + lang + " " + size.getKey() + ": role=\"img\" on a chart " + e));
        browser.screenshot(SHOTS.resolve("axe-" + setup + "-dashboard-" + lang + "-" + size.getKey() + ".png"));
        if (size.getValue().equals(Browser.PHONE)) {
          double height = browser.pageHeight();
          for (int part = 0; part * 1200 < height && part < 4; part++) {
            browser.screenshot(SHOTS.resolve("axe-" + setup + "-dashboard-" + lang + "-phone-part" + (part + 1) + ".png"),
                part * 1200, Math.min(1200, height - part * 1200));
          }
        }
      }
      if ("none".equals(setup)) {
        // notices already on the page follow a language switch
        String other = lang.equals("en") ? "ar" : "en";
        String before = browser.driver.findElement(By.cssSelector("#panel-backups .notice")).getText();
        browser.driver.findElement(By.cssSelector("button[data-lang='" + other + "']")).click();
        waitFor("the notice in " + other, () -> !browser.driver.findElement(By.cssSelector("#panel-backups .notice"))
            .getText().equals(before));
        assertThat(browser.driver.findElement(By.cssSelector("#panel-backups .notice")).getText())
            .isEqualTo(other.equals("en") ? "Not enabled on this server." : "غير مفعّل على هذا الخادم.");
        browser.driver.findElement(By.cssSelector("button[data-lang='" + lang + "']")).click();
        waitFor("the notice in " + lang, () -> browser.driver.findElement(By.cssSelector("#panel-backups .notice"))
            .getText().equals(before));
      }
      List<String> console = browser.consoleErrors();
      assertThat(console).as("console errors (%s, %s)", setup, lang).isEmpty();
      browser.viewport(DESKTOP);
      browser.driver.findElement(By.id("logout")).click();
    }
    waitFor("the login form after signing out", () -> browser.driver.findElement(By.id("token")).isDisplayed());
    browser.driver.get("about:blank"); // nothing of this server's page may outlive it
    assertThat(browser.consoleErrors()).as("console errors (%s, signing out)", setup).isEmpty();
    return found;
  }

  private static List<Map.Entry<String, Dimension>> sizes() {
    return List.of(Map.entry("desktop", DESKTOP), Map.entry("phone", Browser.PHONE));
  }

  private static List<String> axe(String where) {
    Results results = new AxeBuilder().analyze(browser.driver);
    assertThat(results.isErrored()).as("axe ran on %s: %s", where, results.getErrorMessage()).isFalse();
    assertThat(Stream.of(results.getPasses(), results.getViolations(), results.getIncomplete()).flatMap(List::stream)
        .map(Rule::getId)).as("rules that applied on %s", where).containsAll(ALWAYS);
    List<String> out = new ArrayList<>();
    for (Rule r : results.getViolations()) {
      // aria-allowed-role is only 'minor' to axe, but a role an element may not have (role="img" on a chart's
      // figure or canvas) hides what it holds from assistive technology: it counts too
      if ("critical".equals(r.getImpact()) || "serious".equals(r.getImpact()) || ALWAYS.contains(r.getId())) {
        out.add(where + ": " + r.getImpact() + " " + r.getId() + " (" + r.getHelp() + ") at "
            + r.getNodes().stream().limit(3).map(n -> String.valueOf(n.getTarget()) + " " + shorten(n.getFailureSummary()))
            .collect(Collectors.joining(" | ")));
      }
    }
    return out;
  }

  private static String shorten(String s) {
    return s == null ? "" : s.replace('\n', ' ').substring(0, Math.min(200, s.length()));
  }

  private static void waitFor(String what, BooleanSupplier condition) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> what + "; console: " + browser.consoleErrors())
        .until(d -> condition.getAsBoolean());
  }
}
