package dev.vigil.server.cli;

import dev.vigil.backup.BackupProgress;
import dev.vigil.backup.checkpoint.Checkpoint;
import dev.vigil.backup.checkpoint.RecoveryCheckpoints;
import dev.vigil.backup.checkpoint.RollbackResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil checkpoint create NAME|list|rollback NAME}: recovery checkpoints over every configured database, worked on directly with no server.
 */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
    description = "Recovery checkpoints: back up every database together, and roll back to such a set.",
    subcommands = {CheckpointCommand.Create.class, CheckpointCommand.ListCheckpoints.class,
        CheckpointCommand.Rollback.class})
public final class CheckpointCommand extends CommandGroup {

  /** Options the checkpoint commands share. */
  static final class Common {
    @Mixin
    ConfigOption config;
    @Mixin
    FormatOption format;
  }

  /** {@code vigil checkpoint create NAME}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Back up every configured database as one checkpoint.")
  static final class Create implements Callable<Integer> {
    @Mixin
    Common common;
    @Parameters(paramLabel = "NAME", description = "1-64 lower-case letters, digits, '_' or '-'")
    String name;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Checkpoint cp = LocalBackups.withProgress(common.config.load(), spec.commandLine().getErr(),
          b -> new RecoveryCheckpoints(b.catalog, Clock.systemDefaultZone()).createCheckpoint(name));
      print(spec.commandLine().getOut(), common.format, List.of(cp), "checkpoint " + cp.name() + " created: "
          + cp.backups());
      return 0;
    }
  }

  /** {@code vigil checkpoint list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Checkpoints, newest first.")
  static final class ListCheckpoints implements Callable<Integer> {
    @Mixin
    Common common;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (LocalBackups b = LocalBackups.open(common.config.load(), BackupProgress.NONE)) {
        List<Checkpoint> all = new RecoveryCheckpoints(b.catalog, Clock.systemDefaultZone()).list();
        print(spec.commandLine().getOut(), common.format, all, all.size() + " checkpoint(s)"
            + (all.isEmpty() ? "" : ", newest " + all.get(0).name()));
        return 0;
      }
    }
  }

  /** {@code vigil checkpoint rollback NAME --yes}. */
  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Restore every database of a checkpoint, each after a safety backup. Needs --yes.")
  static final class Rollback implements Callable<Integer> {
    @Mixin
    Common common;
    @Parameters(paramLabel = "NAME", description = "the checkpoint")
    String name;
    @Option(names = "--yes", description = "confirm that the databases' current content is replaced")
    boolean yes;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (!yes) {
        throw new IllegalArgumentException("rolling back replaces the current content of every database of checkpoint "
            + name + " (each gets a safety backup first); add --yes to confirm");
      }
      RollbackResult r = LocalBackups.withProgress(common.config.load(), spec.commandLine().getErr(),
          b -> new RecoveryCheckpoints(b.catalog, Clock.systemDefaultZone()).rollback(name));
      common.format.print(spec.commandLine().getOut(), r,
          o -> o.println("rolled back " + r.restored().keySet() + " to checkpoint " + name),
          o -> Output.table(o, List.of("DATABASE", "RESTORED_FROM", "SAFETY_BACKUP"),
              r.restored().entrySet().stream().map(e -> List.of(e.getKey(), e.getValue().filename(),
                  BackupCommand.text(e.getValue().safetyBackup()))).toList()));
      return 0;
    }
  }

  private static void print(PrintWriter out, FormatOption format, List<Checkpoint> cps, String summary) {
    format.print(out, Map.of("checkpoints", cps), o -> o.println(summary),
        o -> Output.table(o, List.of("CHECKPOINT", "CREATED", "BACKUPS"), cps.stream().map(c -> List.of(c.name(),
            c.createdAt().toString(), c.backups().toString())).toList()));
  }
}
