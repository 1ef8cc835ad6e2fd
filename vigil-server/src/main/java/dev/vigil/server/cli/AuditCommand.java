package dev.vigil.server.cli;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.logging.audit.AuditPage;
import dev.vigil.logging.audit.AuditQuery;
import dev.vigil.logging.audit.AuditRecord;
import dev.vigil.logging.audit.VerifyResult;
import dev.vigil.server.audit.AuditApi;
import dev.vigil.server.audit.ServerAudit;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil audit report|verify}: reads the audit trail of the configured log dir, data dir and
 * state store directly, so it works with the server stopped (and while it runs).
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Report on and verify the audit trail.",
    subcommands = {AuditCommand.Report.class, AuditCommand.Verify.class})
public final class AuditCommand extends CommandGroup {

  /** Parses {@code 2026-01-31} (start of that day, UTC) or an ISO-8601 instant. */
  static Instant instant(CommandLine cli, String text, String option) {
    if (text == null) {
      return null;
    }
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(cli,
          option + ": expected a date such as 2026-01-31 or an instant such as 2026-01-31T12:00:00Z, got '" + text + "'");
    }
  }

  /** {@code vigil audit report --from --to [--user] [--action] [--event-type] [--limit] [--format]}. */
  @Command(name = "report", mixinStandardHelpOptions = true, description = "Audit records in a period, oldest first.")
  static final class Report implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--from", description = "from this date (2026-01-31, UTC) or instant, inclusive")
    String from;
    @Option(names = "--to", description = "up to this date or instant, exclusive")
    String to;
    @Option(names = "--user", description = "only this user id (a token id, or cli:<user>)")
    String user;
    @Option(names = "--action", description = "only this action, e.g. token.create")
    String action;
    @Option(names = "--event-type", description = "only this event type, e.g. ACCESS_DENIED")
    String eventType;
    @Option(names = "--limit", defaultValue = "10000", description = "at most this many records (default 10000)")
    int limit;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
      }
      Instant f = instant(spec.commandLine(), from, "--from");
      Instant t = instant(spec.commandLine(), to, "--to");
      if (f != null && t != null && t.isBefore(f)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--to is before --from");
      }
      List<AuditRecord> records = new ArrayList<>();
      try (StateStore store = TokenCommand.open(config.load())) {
        long after = 0;
        while (records.size() < limit) {
          AuditPage page = AuditLog.report(store, ServerAudit.APP, new AuditQuery(f, t, user, action, eventType, after,
              Math.min(1000, limit - records.size())));
          records.addAll(page.records());
          if (page.nextCursor() == null) {
            break;
          }
          after = page.nextCursor();
        }
      }
      format.print(spec.commandLine().getOut(), AuditApi.json(records), o -> {
        Map<String, Integer> byAction = new TreeMap<>();
        records.forEach(r -> byAction.merge(r.action(), 1, Integer::sum));
        o.println(records.size() + " audit records" + (byAction.isEmpty() ? "" : ": " + byAction));
      }, o -> Output.table(o, List.of("SEQ", "TIMESTAMP", "EVENT", "USER", "ACTION", "RESOURCE", "IP", "OUTCOME"),
          records.stream().map(r -> List.of(Long.toString(r.seq()), AuditRecord.TIMESTAMP.format(r.timestamp()),
              r.eventType(), String.valueOf(r.userId()), r.action(), String.valueOf(r.resource()),
              String.valueOf(r.ipAddress()), String.valueOf(r.details().getOrDefault("outcome", "-")))).toList()));
      return 0;
    }
  }

  /** {@code vigil audit verify}: exit 0 when intact, 1 when tampered (naming the first bad seq). */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Verify the hash chain and keyed checkpoints; exit 0 intact, 1 tampered.")
  static final class Verify implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--format", defaultValue = "summary", description = "table, json or summary")
    Output.Format format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      VigilConfig c = config.load();
      VerifyResult v;
      try (StateStore store = TokenCommand.open(c)) {
        v = AuditLog.verify(ServerAudit.options(c, Clock.systemUTC()), store);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (format == Output.Format.JSON) {
        Output.json(out, AuditApi.json(v));
      } else {
        out.println(v.summary());
      }
      out.flush();
      return v.ok() ? 0 : 1;
    }
  }
}
