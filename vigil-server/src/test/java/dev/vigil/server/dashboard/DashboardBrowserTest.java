package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against a real server sampling every 300 ms: login, every panel
 * filled, charts growing with the live stream, English and Arabic (right to left) at desktop and phone
 * widths with screenshots under {@code target/screenshots/}, role-dependent buttons, and a clean console.
 */
class DashboardBrowserTest {
  static final Path SHOTS = Path.of("target", "screenshots");
  @TempDir
  static Path dir;
  static TestServer server;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    if (!Browser.installed()) {
      String why = "Chromium or chromedriver missing at " + Browser.CHROMIUM + " / " + Browser.DRIVER
          + " (scripts/test installs chromium and chromium-driver)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    server = TestServer.start(dir, DashboardTestEnv.env(dir));
    browser = Browser.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void desktop() {
    browser.viewport(Browser.DESKTOP);
  }

  @Test
  void adminSeesEveryPanelFilledAndTheChartsGrowLive() throws Exception {
    login(server.adminToken);
    waitForPanels();
    assertThat(state("panel-health")).isEqualTo("ready");
    assertThat(text("#health-status")).isIn("Healthy", "Warning", "Critical");
    assertThat(state("panel-charts")).isEqualTo("ready");
    assertThat(state("panel-processes")).isEqualTo("ready");
    assertThat(browser.driver.findElements(By.cssSelector("#process-table tbody tr"))).isNotEmpty();
    assertThat(state("panel-insights")).isEqualTo("ready");
    for (Map.Entry<String, String> p : Map.of("panel-cache", "/api/cache/stats", "panel-backups", "/api/backup/list",
        "panel-errors", "/api/logs/recent", "panel-audit", "/api/audit", "panel-optimizer", "/api/optimizer/status")
        .entrySet()) {
      assertThat(state(p.getKey())).as(p.getKey()).isEqualTo(hasRoute(p.getValue()) ? "ready" : "disabled");
    }
    assertThat(browser.driver.findElement(By.id("panel-audit")).isDisplayed()).isTrue();
    waitFor(Duration.ofSeconds(10), "the live stream", () -> "live".equals(attr("#live", "data-state")));

    int before = points("cpu");
    waitFor(Duration.ofSeconds(10), "new chart points", () -> points("cpu") >= before + 3);
    assertThat(points("net")).isGreaterThan(0);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void withoutTheStreamThePagePollsAndReconnectsWhenItIsBack() throws Exception {
    browser.driver.executeCdpCommand("Network.enable", Map.of());
    browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/stream*")));
    try {
      login(server.adminToken);
      waitForPanels();
      waitFor(Duration.ofSeconds(10), "polling", () -> "polling".equals(attr("#live", "data-state")));
      int before = points("cpu");
      waitFor(Duration.ofSeconds(15), "chart points from polling", () -> points("cpu") >= before + 2);
    } finally {
      browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
    }
    waitFor(Duration.ofSeconds(40), "the stream again", () -> "live".equals(attr("#live", "data-state")));
    browser.consoleErrors();
  }

  @Test
  void processesSortByAColumnWithTheKeyboard() throws Exception {
    login(server.adminToken);
    waitForPanels();
    WebElement name = browser.driver.findElement(By.cssSelector("#process-table th[data-key='name'] button"));
    name.sendKeys(Keys.ENTER);
    waitFor(Duration.ofSeconds(5), "sorted by name",
        () -> "ascending".equals(attr("#process-table th[data-key='name']", "aria-sort")));
    @SuppressWarnings("unchecked")
    List<String> names = (List<String>) browser.driver.executeScript(
        "return [...document.querySelectorAll('#process-table tbody tr td:nth-child(2)')].map(td => td.textContent)");
    assertThat(names).isSortedAccordingTo(String::compareToIgnoreCase);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void arabicFlipsTheLayoutAndIsRemembered() throws Exception {
    login(server.adminToken);
    waitForPanels();
    shoot("en");
    browser.viewport(Browser.DESKTOP);
    browser.colorScheme("dark");
    waitFor(Duration.ofSeconds(5), "dark colours", () -> !"rgb(255, 255, 255)".equals(browser.driver.executeScript(
        "return getComputedStyle(document.querySelector('.panel')).backgroundColor")));
    browser.screenshot(SHOTS.resolve("dashboard-en-desktop-dark.png"));
    browser.colorScheme("light");
    browser.driver.findElement(By.cssSelector("button[data-lang='ar']")).click();
    waitFor(Duration.ofSeconds(5), "dir=rtl", () -> "rtl".equals(attr("html", "dir")));
    assertThat(attr("html", "lang")).isEqualTo("ar");
    assertThat(text("#h-health")).isEqualTo("الحالة");
    assertThat(text("#health-status")).isIn("سليم", "تحذير", "حرج");
    long brandX = number("return document.querySelector('.brand').getBoundingClientRect().left");
    assertThat(brandX).as("the title moves to the right in RTL").isGreaterThan(640);

    browser.driver.navigate().refresh();
    waitFor(Duration.ofSeconds(10), "Arabic after reload", () -> "rtl".equals(attr("html", "dir")));
    waitForPanels();
    shoot("ar");
    browser.viewport(Browser.DESKTOP);
    browser.driver.findElement(By.cssSelector("button[data-lang='en']")).click();
    waitFor(Duration.ofSeconds(5), "dir=ltr", () -> "ltr".equals(attr("html", "dir")));
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void viewerHasNoCreateButtonAndNoAuditPanel() throws Exception {
    login(server.token(Role.VIEWER));
    waitForPanels();
    assertThat(text("#who")).contains("viewer");
    assertThat(browser.driver.findElements(By.id("backup-create"))).isEmpty();
    assertThat(browser.driver.findElement(By.id("panel-audit")).isDisplayed()).isFalse();
    if (hasRoute("/api/logs/recent")) {
      assertThat(state("panel-errors")).as("recent errors need the operator role").isEqualTo("forbidden");
    }
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void aRejectedTokenReturnsToTheLogin() throws Exception {
    login("vgl_aaaaaaaaaa_" + "A".repeat(43));
    waitFor(Duration.ofSeconds(10), "the login again", () -> browser.driver.findElement(By.id("login")).isDisplayed()
        && !text("#login-error").isEmpty());
    assertThat(text("#login-error")).contains("not accepted");
    assertThat(browser.driver.findElement(By.id("board")).isDisplayed()).isFalse();
    browser.consoleErrors();
  }

  @Test
  void operatorCreatesABackupAndSeesItListed() throws Exception {
    Assumptions.assumeTrue(hasRoute("/api/backup/create"), "backups are not part of this build");
    login(server.token(Role.OPERATOR));
    waitForPanels();
    assertThat(state("panel-backups")).isEqualTo("ready");
    int before = browser.driver.findElements(By.cssSelector("#backup-table tbody tr")).size();
    browser.driver.findElement(By.id("backup-create")).click();
    waitFor(Duration.ofSeconds(30), "the new backup in the list",
        () -> browser.driver.findElements(By.cssSelector("#backup-table tbody tr")).size() == before + 1);
    assertThat(text("#backup-message")).contains("created");
    WebElement newest = browser.driver.findElement(By.cssSelector("#backup-table tbody tr"));
    assertThat(newest.getText()).contains("verified");
    newest.findElement(By.cssSelector("button")).click();
    waitFor(Duration.ofSeconds(30), "the verification result",
        () -> text("#backup-message").contains("Verification passed"));
    assertThat(browser.driver.findElement(By.id("panel-audit")).isDisplayed()).isFalse();
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void auditPanelShowsTheNewestEventsAndKeepsUp() throws Exception {
    for (int i = 0; i < 22; i++) { // more than the panel's 20 lines
      createToken("audit-filler-" + i);
    }
    login(server.adminToken);
    waitForPanels();
    String newest = createToken("audit-newest");
    waitFor(Duration.ofSeconds(15), "the newest audit event on top", () -> text("#panel-audit li").contains(newest));
    assertThat(browser.driver.findElements(By.cssSelector("#panel-audit li"))).hasSize(20);
    long first = Long.parseLong(attr("#panel-audit li", "data-seq"));
    @SuppressWarnings("unchecked")
    List<String> seqs = (List<String>) browser.driver.executeScript(
        "return [...document.querySelectorAll('#panel-audit li')].map(li => li.dataset.seq)");
    assertThat(seqs.stream().map(Long::parseLong).toList()).as("newest first").isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(first).isGreaterThan(20);
    browser.driver.findElement(By.cssSelector("button[data-lang='ar']")).click();
    waitFor(Duration.ofSeconds(5), "outcome words in Arabic", () -> text("#panel-audit li .outcome").equals("نجاح"));
    assertThat(browser.driver.findElements(By.cssSelector("#panel-audit li bdi[dir='ltr']"))).isNotEmpty();
    browser.driver.findElement(By.cssSelector("button[data-lang='en']")).click();
    waitFor(Duration.ofSeconds(5), "English again", () -> "en".equals(attr("html", "lang")));
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void longerRangesSpanTheChosenWindowFromTheStoredRollups() throws Exception {
    login(server.adminToken);
    waitForPanels();
    browser.performanceLog();
    for (Map.Entry<String, Long> range : Map.of("1h", 3600L, "24h", 86400L, "7d", 7 * 86400L).entrySet()) {
      browser.driver.findElement(By.cssSelector("button[data-range='" + range.getKey() + "']")).click();
      waitFor(Duration.ofSeconds(10), range.getKey() + " drawn", () -> attr("#chart-cpu", "data-to") != null
          && Math.abs(Long.parseLong(attr("#chart-cpu", "data-to")) - Long.parseLong(attr("#chart-cpu", "data-from"))
          - range.getValue()) < 5);
      browser.screenshot(SHOTS.resolve("dashboard-en-charts-" + range.getKey() + ".png"));
    }
    String requests = browser.performanceLog().stream().map(e -> e.getMessage()).filter(m -> m.contains("/api/monitoring/history"))
        .reduce("", String::concat);
    assertThat(requests).contains("step=1m", "step=1h").doesNotContain("step=30s", "step=10m");
    browser.driver.findElement(By.cssSelector("button[data-range='15m']")).click();
    assertThat(browser.consoleErrors()).isEmpty();
  }

  /**
   * Records every text uPlot draws on a canvas since the canvas was last cleared whole: the text and its
   * inked box in canvas pixels (from measureText with the alignment and baseline in force, through the
   * current transform). Installed before the page's scripts run.
   */
  static final String RECORD_CANVAS_TEXT = """
      (() => {
        const P = CanvasRenderingContext2D.prototype;
        const fill = P.fillText;
        const clear = P.clearRect;
        P.clearRect = function (x, y, w, h) {
          if (x <= 0 && y <= 0 && w >= this.canvas.width && h >= this.canvas.height) this.canvas.vigilTexts = [];
          return clear.apply(this, arguments);
        };
        P.fillText = function (text, x, y) {
          const m = this.measureText(text);
          const t = this.getTransform();
          const l = x - m.actualBoundingBoxLeft;
          const r = x + m.actualBoundingBoxRight;
          const top = y - m.actualBoundingBoxAscent;
          const bottom = y + m.actualBoundingBoxDescent;
          (this.canvas.vigilTexts = this.canvas.vigilTexts || []).push({ text: String(text),
            left: Math.min(t.a * l, t.a * r) + t.e, right: Math.max(t.a * l, t.a * r) + t.e,
            top: Math.min(t.d * top, t.d * bottom) + t.f, bottom: Math.max(t.d * top, t.d * bottom) + t.f });
          return fill.apply(this, arguments);
        };
      })();
      """;

  @Test
  void atPhoneWidthMemoryIsShownAndChartLabelsAreWhole() throws Exception {
    Map<String, Object> script = browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
        Map.of("source", RECORD_CANVAS_TEXT));
    try {
      browser.viewport(Browser.PHONE);
      login(server.adminToken);
      waitForPanels();
      waitFor(Duration.ofSeconds(5), "the phone layout", () -> number("return window.innerWidth") == Browser.PHONE.width);

      // the Memory column is on screen inside its scroll box, not scrolled away, even beside a process name
      // with no break opportunity (such as chrome_crashpad_handler): names wrap anywhere
      WebElement memory = browser.driver.findElement(By.cssSelector("#process-table th[data-key='memory_mb']"));
      assertThat(memory.isDisplayed()).isTrue();
      @SuppressWarnings("unchecked")
      Map<String, Object> place = (Map<String, Object>) browser.driver.executeScript("""
          document.querySelector('#process-table tbody tr td.name').textContent = 'unbreakable_process_name_'.repeat(3);
          const th = document.querySelector("#process-table th[data-key='memory_mb']").getBoundingClientRect();
          const wrap = document.querySelector('#panel-processes .table-wrap').getBoundingClientRect();
          const td = document.querySelector('#process-table tbody tr td:nth-child(4)').getBoundingClientRect();
          return { left: th.left, right: th.right, wrapLeft: wrap.left, wrapRight: wrap.right, cellWidth: td.width,
            viewport: window.innerWidth };""");
      assertThat(((Number) place.get("left")).doubleValue()).as("Memory column %s", place)
          .isGreaterThanOrEqualTo(((Number) place.get("wrapLeft")).doubleValue() - 0.5);
      assertThat(((Number) place.get("right")).doubleValue()).as("Memory column %s", place)
          .isLessThanOrEqualTo(((Number) place.get("wrapRight")).doubleValue() + 0.5)
          .isLessThanOrEqualTo(((Number) place.get("viewport")).doubleValue());
      assertThat(((Number) place.get("cellWidth")).doubleValue()).as("memory cells have width").isPositive();
      // the columns hidden at this width are named by a visible line
      @SuppressWarnings("unchecked")
      List<String> hidden = (List<String>) browser.driver.executeScript(
          "return [...document.querySelectorAll('#process-table th')].filter(th => th.offsetParent === null)"
              + ".map(th => th.textContent)");
      if (!hidden.isEmpty()) {
        WebElement cue = browser.driver.findElement(By.id("processes-hidden"));
        assertThat(cue.isDisplayed()).isTrue();
        assertThat(hidden).allSatisfy(h -> assertThat(cue.getText()).contains(h.replace(" ▲", "").replace(" ▼", "")));
      }

      // live range: the y axis of a percent chart says exactly "100%", drawn whole inside its canvas
      waitFor(Duration.ofSeconds(10), "chart points", () -> points("cpu") >= 2);
      List<Map<String, Object>> cpu = canvasTexts("cpu");
      assertThat(cpu).as("texts on the CPU chart").extracting(t -> t.get("text")).contains("100%");
      assertWhole("cpu 15m", cpu);
      assertWhole("net 15m", canvasTexts("net"));

      // day ranges: two-line date and time labels, the leftmost one not cut by the canvas edge
      for (Map.Entry<String, Long> range : Map.of("24h", 86400L, "7d", 7 * 86400L).entrySet()) {
        browser.driver.findElement(By.cssSelector("button[data-range='" + range.getKey() + "']")).click();
        waitFor(Duration.ofSeconds(10), range.getKey() + " drawn", () -> attr("#chart-cpu", "data-to") != null
            && Math.abs(Long.parseLong(attr("#chart-cpu", "data-to")) - Long.parseLong(attr("#chart-cpu", "data-from"))
            - range.getValue()) < 5);
        waitFor(Duration.ofSeconds(5), range.getKey() + " date labels", () -> canvasTexts("cpu").stream()
            .anyMatch(t -> String.valueOf(t.get("text")).matches("[A-Z][a-z]{2} \\d{1,2}")));
        for (String chart : List.of("cpu", "ram", "disk", "net")) {
          List<Map<String, Object>> texts = canvasTexts(chart);
          if (!chart.equals("net")) {
            assertThat(texts).as(chart + " " + range.getKey()).extracting(t -> t.get("text")).contains("100%");
          }
          assertWhole(chart + " " + range.getKey(), texts);
        }
        browser.screenshot(SHOTS.resolve("dashboard-en-phone-charts-" + range.getKey() + ".png"),
            number("return Math.floor(document.getElementById('panel-charts').getBoundingClientRect().top + scrollY)"),
            number("return Math.ceil(document.getElementById('panel-charts').getBoundingClientRect().height)"));
      }
      browser.driver.findElement(By.cssSelector("button[data-range='15m']")).click();
      assertThat(browser.consoleErrors()).isEmpty();
    } finally {
      browser.driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
          Map.of("identifier", script.get("identifier")));
    }
  }

  /** The texts last drawn on the canvas of {@code chart}, with their boxes and the canvas size. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> canvasTexts(String chart) {
    return (List<Map<String, Object>>) browser.driver.executeScript("""
        const c = document.querySelector('#chart-' + arguments[0] + ' canvas');
        return (c.vigilTexts || []).map(t => Object.assign({ width: c.width, height: c.height }, t));""", chart);
  }

  /** Every text lies inside its canvas: nothing of a label is cut at an edge. */
  private static void assertWhole(String where, List<Map<String, Object>> texts) {
    assertThat(texts).as(where + ": texts drawn").isNotEmpty();
    assertThat(texts).as(where).allSatisfy(t -> {
      double w = ((Number) t.get("width")).doubleValue();
      double h = ((Number) t.get("height")).doubleValue();
      assertThat(((Number) t.get("left")).doubleValue()).as("left of %s", t).isGreaterThanOrEqualTo(0);
      assertThat(((Number) t.get("right")).doubleValue()).as("right of %s", t).isLessThanOrEqualTo(w);
      assertThat(((Number) t.get("top")).doubleValue()).as("top of %s", t).isGreaterThanOrEqualTo(0);
      assertThat(((Number) t.get("bottom")).doubleValue()).as("bottom of %s", t).isLessThanOrEqualTo(h);
    });
  }

  private static String createToken(String name) throws Exception {
    HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/api/tokens"))
        .header("Authorization", "Bearer " + server.adminToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"role\":\"viewer\"}"))
        .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Json.MAPPER.readTree(r.body()).path("info").path("id").asText();
  }

  private static void shoot(String lang) throws Exception {
    for (Map.Entry<String, Dimension> size : Map.of("desktop", Browser.DESKTOP, "phone", Browser.PHONE).entrySet()) {
      browser.viewport(size.getValue());
      waitFor(Duration.ofSeconds(5), "layout at " + size.getKey(),
          () -> number("return window.innerWidth") == size.getValue().width);
      assertThat(number("return document.documentElement.scrollWidth"))
          .as("nothing wider than the " + size.getKey() + " viewport in " + lang)
          .isLessThanOrEqualTo(size.getValue().width);
      browser.screenshot(SHOTS.resolve("dashboard-" + lang + "-" + size.getKey() + ".png"));
      if (size.getValue().equals(Browser.PHONE)) {
        double height = browser.pageHeight();
        for (int part = 0; part * 1200 < height && part < 4; part++) {
          browser.screenshot(SHOTS.resolve("dashboard-" + lang + "-phone-part" + (part + 1) + ".png"), part * 1200,
              Math.min(1200, height - part * 1200));
        }
      }
    }
  }

  private static void login(String token) {
    browser.driver.get(server.uri("/").toString());
    browser.driver.executeScript("sessionStorage.clear(); localStorage.clear();");
    browser.driver.navigate().refresh();
    waitFor(Duration.ofSeconds(10), "the login form", () -> browser.driver.findElement(By.id("token")).isDisplayed());
    browser.consoleErrors();
    WebElement input = browser.driver.findElement(By.id("token"));
    assertThat(input.getAttribute("type")).isEqualTo("password");
    input.sendKeys(token);
    browser.driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
  }

  private static void waitForPanels() {
    waitFor(Duration.ofSeconds(15), "every panel filled", () -> Boolean.TRUE.equals(browser.driver.executeScript(
        "return !document.getElementById('board').hidden && [...document.querySelectorAll('.panel')]"
            + ".every(p => p.hidden || p.dataset.state !== 'loading')")));
  }

  static boolean hasRoute(String path) {
    return server.server.api().routes().stream().anyMatch(r -> r.path().equals(path));
  }

  private static int points(String chart) {
    String p = attr("#chart-" + chart, "data-points");
    return p == null ? 0 : Integer.parseInt(p);
  }

  private static String state(String id) {
    return browser.driver.findElement(By.id(id)).getAttribute("data-state");
  }

  private static String attr(String css, String name) {
    List<WebElement> found = browser.driver.findElements(By.cssSelector(css));
    return found.isEmpty() ? null : found.get(0).getAttribute(name);
  }

  /** Reads the element's rendered text in one script call, so a panel re-rendering meanwhile cannot go stale. */
  private static String text(String css) {
    Object text = browser.driver.executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    if (text == null) {
      throw new NoSuchElementException("no element matches " + css);
    }
    return text.toString().trim();
  }

  private static long number(String script) {
    return ((Number) browser.driver.executeScript(script)).longValue();
  }

  private static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
    new WebDriverWait(browser.driver, timeout).ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> what + "; page: " + shorten(browser.driver.getPageSource()) + "; console: "
            + browser.consoleErrors())
        .until(d -> condition.getAsBoolean());
  }

  private static String shorten(String s) {
    return s == null || s.length() < 3000 ? s : s.substring(0, 3000) + "...";
  }
}
