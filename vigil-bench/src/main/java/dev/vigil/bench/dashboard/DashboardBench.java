package dev.vigil.bench.dashboard;

import dev.vigil.bench.BenchLine;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code dashboard.first_render} and {@code dashboard.bytes}: loads a running Vigil's dashboard in headless
 * Debian Chromium (browser cache off, so every load is a full one) and reads, from the page's own
 * Performance API, the time from navigation to the {@code vigil-panels-filled} mark and the bytes
 * transferred ({@code transferSize} of the document and every resource, gzip as served). The baseline of
 * each case is its goal from the issue (1000 ms, 200 KB), so the ratio says how far inside the goal it is.
 *
 * <p>Usage: {@code DashboardBench <base-url> <token> [runs]}.
 */
public final class DashboardBench {
  private static final double GOAL_MS = 1000;
  private static final double GOAL_BYTES = 200 * 1024;

  private DashboardBench() {
  }

  /** Runs the benchmark and prints two BENCH lines. */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: DashboardBench <base-url> <token> [runs]");
    }
    String base = args[0];
    String token = args[1];
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    ChromeDriver driver = start();
    try {
      driver.executeCdpCommand("Network.enable", Map.of());
      driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
      driver.get(base + "/");
      driver.executeScript("sessionStorage.setItem('vigil.token', arguments[0]); localStorage.setItem('vigil.lang', 'en');",
          token);
      load(driver, base);
      List<Double> times = new ArrayList<>();
      List<Double> bytes = new ArrayList<>();
      List<Double> requests = new ArrayList<>();
      String lastApi = "none";
      for (int i = 0; i < runs; i++) {
        Map<String, Object> r = load(driver, base);
        lastApi = String.valueOf(r.get("last_api"));
        times.add(((Number) r.get("filled")).doubleValue());
        bytes.add(((Number) r.get("bytes")).doubleValue());
        requests.add(((Number) r.get("requests")).doubleValue());
      }
      double ms = median(times);
      double b = median(bytes);
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("baseline_is", "goal");
      extras.put("runs", runs);
      extras.put("min_ms", Collections.min(times));
      extras.put("max_ms", Collections.max(times));
      extras.put("requests", median(requests));
      extras.put("last_api_answer", lastApi);
      BenchLine.print("dashboard.first_render", ms, GOAL_MS, "ms", BenchLine.Better.LOWER, extras);
      Map<String, Object> bytesExtras = new LinkedHashMap<>();
      bytesExtras.put("baseline_is", "goal");
      bytesExtras.put("kb", Math.round(b / 102.4) / 10.0);
      bytesExtras.put("requests", median(requests));
      BenchLine.print("dashboard.bytes", b, GOAL_BYTES, "B", BenchLine.Better.LOWER, bytesExtras);
    } finally {
      driver.quit();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(ChromeDriver driver, String base) {
    driver.get("about:blank");
    driver.get(base + "/");
    new WebDriverWait(driver, java.time.Duration.ofSeconds(30)).withMessage(() -> "the dashboard's panels to fill; states: " + driver.executeScript(
            "return [...document.querySelectorAll('.panel')].map(p => p.id + '=' + p.dataset.state + (p.hidden ? '(hidden)' : ''))"
            + ".join(' ') + ' resources: ' + performance.getEntriesByType('resource').map(r => r.name.replace(location.origin, '')"
            + " + ':' + Math.round(r.duration)).join(' ')") + " console: "
            + driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll() + " network: "
            + driver.manage().logs().get(org.openqa.selenium.logging.LogType.PERFORMANCE).getAll().stream()
                .map(e -> e.getMessage()).filter(m -> m.contains("loadingFailed") || m.contains("requestWillBeSent\""))
                .map(m -> m.replaceAll(".*\"method\":\"([^\"]+)\".*?(\"url\":\"[^\"]+\"|\"errorText\":\"[^\"]*\").*", "$1 $2"))
                .collect(java.util.stream.Collectors.joining(" | ")))
        .until(d -> Boolean.TRUE.equals(driver.executeScript(
            "return performance.getEntriesByName('vigil-panels-filled').length > 0")));
    return (Map<String, Object>) driver.executeScript(
        "const filled = performance.getEntriesByName('vigil-panels-filled')[0].startTime;"
            + "const nav = performance.getEntriesByType('navigation')[0];"
            + "const res = performance.getEntriesByType('resource').filter(r => r.startTime <= filled);"
            + "const bytes = nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0);"
            + "const slow = res.filter(r => r.name.includes('/api/')).sort((a, b) => b.responseEnd - a.responseEnd)[0];"
            + "return {filled: filled, bytes: bytes, requests: res.length + 1,"
            + " last_api: slow ? new URL(slow.name).pathname + '@' + Math.round(slow.responseEnd) + 'ms' : 'none'};");
  }

  private static ChromeDriver start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File(System.getenv().getOrDefault("VIGIL_CHROMIUM", "/usr/bin/chromium")));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-extensions", "--disable-background-networking", "--window-size=1280,800", "--lang=en-US");
    org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
    logs.enable(org.openqa.selenium.logging.LogType.PERFORMANCE, java.util.logging.Level.ALL);
    logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(System.getenv().getOrDefault("VIGIL_CHROMEDRIVER", "/usr/bin/chromedriver")))
        .usingAnyFreePort().withSilent(true).build();
    return new ChromeDriver(service, options);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
