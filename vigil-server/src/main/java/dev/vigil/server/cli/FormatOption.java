package dev.vigil.server.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The {@code --format table|json|summary} option of data-printing commands, and the one
 * place that prints a result in the chosen format, so each command only says what each format shows.
 */
public final class FormatOption {
  @Option(names = "--format", defaultValue = "table", description = "table, json or summary")
  Output.Format format;

  /**
   * Prints {@code json} as indented JSON, or lets {@code summary} or {@code table} print the other
   * formats, then flushes {@code out}.
   */
  public void print(PrintWriter out, Object json, Consumer<PrintWriter> summary, Consumer<PrintWriter> table) {
    switch (format) {
      case JSON -> Output.json(out, json);
      case SUMMARY -> summary.accept(out);
      default -> table.accept(out);
    }
    out.flush();
  }
}
