package dev.vigil.optimizer.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * The ERP-shaped Flask application over PostgreSQL ({@code apps/erp_pg_flask.py}: a slow report with a
 * stable answer, a slow live figure that changes every call, a personal answer with a cookie, orders by
 * id), started on a free port and stopped on close. Used by the response-time tests and the bench.
 */
public final class ErpApp implements AutoCloseable {
  /** The slow report route: the same answer on every call. */
  public static final String SALES = "/api/reports/sales-by-city";
  /** A slow route whose answer changes on every call. */
  public static final String LIVE = "/api/stock/live";
  /** A slow route with a personal answer (it sets a cookie). */
  public static final String MINE = "/api/me/orders";

  private final Process process;
  private final int port;
  private final Path script;

  private ErpApp(Process process, int port, Path script) {
    this.process = process;
    this.port = port;
    this.script = script;
  }

  /**
   * Starts the app over the database {@code dsn} (libpq key=value form).
   *
   * @throws IllegalStateException when Python, Flask or psycopg2 is missing
   */
  public static ErpApp start(String dsn) throws IOException {
    if (!new File("/usr/bin/python3").canExecute()) {
      throw new IllegalStateException("/usr/bin/python3 is missing: install python3-flask and python3-psycopg2");
    }
    Path script = Files.createTempFile("erp_pg_flask", ".py");
    try (InputStream in = ErpApp.class.getResourceAsStream("/apps/erp_pg_flask.py")) {
      if (in == null) {
        throw new IllegalStateException("resource apps/erp_pg_flask.py is missing from the classpath");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
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
    return new ErpApp(p, Integer.parseInt(line.substring(5).trim()), script);
  }

  /** The app's base URL. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(script);
  }
}
