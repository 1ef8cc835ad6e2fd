package dev.vigil.proxy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the real applications the proxy tests run behind, on free ports. */
final class TestApps {
  /** Where npm packages for the Express app are installed (shared, idempotent). */
  static final Path NODE_DIR = Path.of(System.getProperty("user.home"), ".cache", "vigil-test", "express-app");

  private TestApps() {
  }

  /** A started application process. */
  static final class App implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;

    App(Process process, int port, Path log) {
      this.process = process;
      this.port = port;
      this.log = log;
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
      // php -S with workers forks children that outlive their parent unless ended too
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static App flask() throws IOException {
    require("/usr/bin/python3", "python3-flask");
    Path script = resource("erp_flask.py");
    return startPrinting(List.of("/usr/bin/python3", script.toString()), Map.of(), script.getParent());
  }

  static App express() throws IOException, InterruptedException {
    require("/usr/bin/node", "nodejs");
    Files.createDirectories(NODE_DIR);
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/express")) || !Files.isDirectory(NODE_DIR.resolve("node_modules/ws"))) {
      Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", "express@4", "ws@8")
          .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(NODE_DIR.resolve("npm.log").toFile()).start();
      if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm install express ws failed in " + NODE_DIR + ": "
            + Files.readString(NODE_DIR.resolve("npm.log")));
      }
    }
    Path script = NODE_DIR.resolve("express_app.js");
    Files.copy(resource("express_app.js"), script, StandardCopyOption.REPLACE_EXISTING);
    return startPrinting(List.of("/usr/bin/node", script.toString()), Map.of(), NODE_DIR);
  }

  static App php(int workers) throws IOException {
    require("/usr/bin/php", "php-cli");
    Path script = resource("php_app.php");
    int port = freePort();
    Path log = Files.createTempFile("php-app", ".log");
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/php", "-S", "127.0.0.1:" + port, script.toString())
        .directory(script.getParent().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    if (workers > 1) {
      pb.environment().put("PHP_CLI_SERVER_WORKERS", Integer.toString(workers));
    }
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return new App(p, port, log);
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IllegalStateException("php -S exited: " + Files.readString(log));
        }
        sleepQuietly(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("php -S did not listen on " + port + ": " + Files.readString(log));
  }

  private static App startPrinting(List<String> cmd, Map<String, String> env, Path dir) throws IOException {
    Path log = Files.createTempFile("app", ".log");
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile())
        .redirectError(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    InputStream out = p.getInputStream();
    BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new IllegalStateException(cmd + " did not start: " + line + " " + Files.readString(log));
    }
    Thread drain = new Thread(() -> {
      try {
        while (r.readLine() != null) {
          // discard
        }
      } catch (IOException e) {
        // process ended
      }
    }, "app-stdout");
    drain.setDaemon(true);
    drain.start();
    return new App(p, Integer.parseInt(line.substring(5).trim()), log);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(TestApps.class.getResource("/apps/" + name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException("test resource apps/" + name + " is missing", e);
    }
  }

  private static void require(String binary, String pkg) {
    if (!new File(binary).canExecute()) {
      throw new IllegalStateException(binary + " is missing: install the Debian package " + pkg + " (scripts/test does)");
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
