package dev.vigil.server.cli;

import dev.vigil.core.config.ConfigException;
import dev.vigil.server.Version;
import dev.vigil.server.optimizer.OptimizeCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code vigil}: the program's entry point. With no command it serves, as {@code vigil serve} does.
 * A bad config value exits with code 2 and one line naming it; other failures exit 1 with a message.
 */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = VigilCommand.VersionProvider.class,
    description = "Keeps a business web application fast, watched and recoverable.",
    subcommands = {ServeCommand.class, ConfigCommand.class, TokenCommand.class, DoctorCommand.class,
        MonitoringCommands.Status.class, MonitoringCommands.Metrics.class, MonitoringCommands.Processes.class,
        BackupCommand.class, CheckpointCommand.class,
        CacheCommand.class, AppCommand.class,
        AuditCommand.class, DbCommand.class, OptimizeCommand.class,
        AlertsCommand.class, ProbeCommands.Probes.class, ProbeCommands.Slos.class})
public final class VigilCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line on the standard streams and returns its exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line printing to {@code out} and {@code err}, and returns its exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new VigilCommand());
    String rootConfig = rootConfig(args);
    if (rootConfig != null) {
      cli.setDefaultValueProvider(arg -> arg instanceof CommandLine.Model.OptionSpec o
          && "--config".equals(o.longestName()) ? rootConfig : null);
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException) {
        cmd.getErr().println("vigil: " + e.getMessage());
        return 2;
      }
      cmd.getErr().println("vigil: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return 1;
    });
    return cli.execute(args);
  }

  /**
   * The {@code --config} given before the command name ({@code vigil --config F backup list}), which
   * then becomes every subcommand's default, so it applies wherever on the line it is written.
   */
  static String rootConfig(String... args) {
    for (int i = 0; i < args.length && args[i].startsWith("-"); i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith("--config=")) {
        return args[i].substring("--config=".length());
      }
    }
    return null;
  }

  @Override
  public Integer call() throws Exception {
    ServeCommand serve = new ServeCommand();
    serve.config = config;
    return serve.call();
  }

  /** Supplies {@code --version}. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vigil " + Version.get(), "Java " + System.getProperty("java.version")};
    }
  }
}
