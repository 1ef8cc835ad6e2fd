package dev.vigil.server.dashboard;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The server settings the dashboard tests run with: monitoring sampling every 300 ms, a SQLite database to back up. */
final class DashboardTestEnv {
  private DashboardTestEnv() {
  }

  static Map<String, String> env(Path dir) {
    Map<String, String> env = new HashMap<>();
    env.put("ENABLE_MONITORING", "true");
    env.put("MONITORING_INTERVAL", "300ms");
    return env;
  }
}
