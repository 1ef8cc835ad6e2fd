package dev.vigil.server.cli;

import dev.vigil.core.config.VigilConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil config}: prints the effective configuration, secrets masked, with where each value came from. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Print the effective configuration (secrets masked).")
public final class ConfigCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--format", defaultValue = "table", description = "table, json or summary")
  Output.Format format;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    VigilConfig c = config.load();
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case JSON -> Output.json(out, c.entries());
      case SUMMARY -> out.println(c.entries().size() + " keys, "
          + c.entries().stream().filter(e -> e.source() != VigilConfig.Source.DEFAULT).count() + " set explicitly, "
          + c.databases().size() + " database(s) to back up");
      default -> Output.table(out, List.of("KEY", "VALUE", "SOURCE"), c.entries().stream()
          .map(e -> List.of(e.key(), e.shown() == null ? "-" : e.shown(),
              e.source() == VigilConfig.Source.DEFAULT ? "default" : e.origin()))
          .toList());
    }
    if (format != Output.Format.JSON && !c.databases().isEmpty()) {
      out.println("databases: " + String.join(", ", c.databases().keySet()));
    }
    out.flush();
    return 0;
  }
}
