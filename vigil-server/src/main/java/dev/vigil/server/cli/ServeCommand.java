package dev.vigil.server.cli;

import dev.vigil.core.config.Setting;
import dev.vigil.core.config.Settings;
import dev.vigil.server.VigilServer;
import io.netty.util.ResourceLeakDetector;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code vigil serve}: runs the server until SIGTERM or SIGINT, then stops cleanly and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Vigil server (the default command).")
public final class ServeCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--port", paramLabel = "N", description = "HTTP port (overrides config and VIGIL_PORT)")
  String port;

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new HashMap<>();
    if (port != null) {
      overrides.put(Setting.genericEnvName(Settings.SERVER_PORT.key()), port);
    }
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      // Netty samples buffer allocations for leaks by default, at a cost on every proxied request; the
      // server process runs without it unless -Dio.netty.leakDetection.level asks for it (tests keep it)
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    try (VigilServer server = VigilServer.start(config.load(overrides), Clock.systemUTC(), System.out)) {
      stop.await();
      System.err.println("vigil: stopping (finishing in-flight requests)");
    }
    return 0;
  }
}
