package dev.vigil.server.dashboard;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** The server settings the dashboard tests run with: monitoring sampling every 300 ms, a SQLite database to back up. */
final class DashboardTestEnv {
  private DashboardTestEnv() {
  }

  static Map<String, String> env(Path dir) throws SQLException {
    Path db = dir.resolve("shop.db").toAbsolutePath();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)");
      st.execute("INSERT INTO orders (total) VALUES (9.5), (12.25), (3.0)");
    }
    Map<String, String> env = new HashMap<>();
    env.put("ENABLE_MONITORING", "true");
    env.put("MONITORING_INTERVAL", "300ms");
    env.put("DATABASE_URL", "sqlite://" + db);
    env.put("BACKUP_DIR", dir.resolve("backups").toString());
    return env;
  }
}
