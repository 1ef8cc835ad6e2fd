package dev.vigil.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code vigil backup}, {@code vigil token}, ...): run without
 * one, it prints its usage to stderr and exits 2.
 */
abstract class CommandGroup implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  /** Prints the usage, as no subcommand was given. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
