package dev.vigil.optimizer.response;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The ERP-shaped Flask application over PostgreSQL ({@code apps/erp_pg_flask.py}), started on a free port
 * for the response-time tests and stopped on close.
 */
final class ErpApp implements AutoCloseable {
  private final Process process;
  private final int port;

  private ErpApp(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the app over the database {@code dsn} (libpq key=value form). */
  static ErpApp start(String dsn) throws IOException {
    if (!new File("/usr/bin/python3").canExecute()) {
      throw new IllegalStateException("/usr/bin/python3 is missing: install python3-flask and python3-psycopg2");
    }
    Path script;
    try {
      script = Path.of(ErpApp.class.getResource("/apps/erp_pg_flask.py").toURI());
    } catch (Exception e) {
      throw new IllegalStateException("test resource apps/erp_pg_flask.py is missing", e);
    }
    Path log = Files.createTempFile("erp-pg-flask", ".log");
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectError(log.toFile());
    pb.environment().put("ERP_DSN", dsn);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new IllegalStateException("the ERP Flask app did not start (python3-flask and python3-psycopg2 needed): "
          + line + " " + Files.readString(log));
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException e) {
        // the app ended
      }
    }, "erp-app-stdout");
    drain.setDaemon(true);
    drain.start();
    return new ErpApp(p, Integer.parseInt(line.substring(5).trim()));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
