package dev.vigil.server.cli;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.server.feature.Features;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config} option every command shares, and the loading of the effective config. */
public final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE", description = "vigil.yml to read (default: $VIGIL_CONFIG, then ./vigil.yml)")
  Path file;

  /** The effective configuration, with {@code overrides} applied as if they were environment variables. */
  public VigilConfig load(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(overrides);
    return Features.loadConfig(file, env);
  }

  /** The effective configuration. */
  public VigilConfig load() {
    return load(Map.of());
  }
}
