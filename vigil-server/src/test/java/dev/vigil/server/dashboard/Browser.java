package dev.vigil.server.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium driven by Debian's chromedriver (never a downloaded one: the binary and the
 * driver are given explicitly, so Selenium Manager has nothing to resolve).
 */
public final class Browser implements AutoCloseable {
  /** Debian's chromium. */
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("VIGIL_CHROMIUM", "/usr/bin/chromium"));
  /** Debian's chromium-driver. */
  public static final Path DRIVER = Path.of(System.getenv().getOrDefault("VIGIL_CHROMEDRIVER", "/usr/bin/chromedriver"));
  /** Desktop window size of the screenshots. */
  public static final Dimension DESKTOP = new Dimension(1280, 800);
  /** Phone window size of the screenshots. */
  public static final Dimension PHONE = new Dimension(360, 740);

  /** The WebDriver session. */
  public final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Whether Chromium and its driver are installed (scripts/test installs them). */
  public static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
  }

  /** Starts a headless browser with the browser console and performance logs recorded. */
  public static Browser start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-extensions", "--disable-background-networking", "--lang=en-US",
        "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withSilent(true).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return new Browser(driver);
  }

  /** Emulates the system's light or dark colour scheme ({@code prefers-color-scheme}). */
  public void colorScheme(String scheme) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", java.util.List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /** Makes the viewport exactly {@code d} CSS pixels (a phone size emulates a mobile device). */
  public void viewport(Dimension d) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", d.width, "height", d.height,
        "deviceScaleFactor", 1, "mobile", d.width < 600));
  }

  /** Console messages at SEVERE (errors, uncaught exceptions, failed loads) since the last call. */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::toString).collect(Collectors.toList());
  }

  /** The raw performance (DevTools) log entries since the last call. */
  public List<LogEntry> performanceLog() {
    return driver.manage().logs().get(LogType.PERFORMANCE).getAll();
  }

  /** Saves a PNG screenshot of the whole page (beyond the viewport). */
  public Path screenshot(Path file) throws java.io.IOException {
    return screenshot(file, 0, pageHeight());
  }

  /** Saves a PNG screenshot of the page from {@code y} down {@code height} CSS pixels. */
  public Path screenshot(Path file, double y, double height) throws java.io.IOException {
    Files.createDirectories(file.getParent());
    Map<String, Object> clip = Map.of("x", 0, "y", y, "width", pageSize().get("width"), "height", height, "scale", 1);
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
        Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    return file;
  }

  /** The height of the whole page in CSS pixels. */
  public double pageHeight() {
    return pageSize().get("height");
  }

  private Map<String, Double> pageSize() {
    Map<String, Object> size = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> content = (Map<String, Object>) size.get("cssContentSize");
    return Map.of("width", ((Number) content.get("width")).doubleValue(), "height",
        ((Number) content.get("height")).doubleValue());
  }

  @Override
  public void close() {
    driver.quit();
  }
}
