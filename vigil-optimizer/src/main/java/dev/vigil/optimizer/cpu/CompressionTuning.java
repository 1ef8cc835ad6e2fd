package dev.vigil.optimizer.cpu;

import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.compress.Compression;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Adapts the backup compression level to the CPU headroom: on a busy host backups compress at the
 * codec's fastest level (shorter, lighter jobs), on an idle one zstd compresses harder (smaller files);
 * in between the codec's default stands. One proposal per database whose level should change,
 * reversible and non-blocking ({@link Level#MEDIUM}); undo restores the level it had. A faster level is
 * measured by backup duration, a stronger one by backup size.
 */
public final class CompressionTuning implements Tuning {
  /** Host CPU use (%) from which backups compress at the fastest level, by default. */
  public static final double DEFAULT_BUSY_PERCENT = 70;
  /** Host CPU use (%) below which zstd compresses harder, by default. */
  public static final double DEFAULT_IDLE_PERCENT = 30;
  /** The zstd level used when the host is idle. */
  public static final int IDLE_ZSTD_LEVEL = 9;

  private final List<DatabaseBackup> backups;
  private final DoubleSupplier cpuPercent;
  private final double busyPercent;
  private final double idlePercent;

  /**
   * A tuning over {@code backups}.
   *
   * @param cpuPercent the host's typical CPU use (e.g. the mean over the last hour), in percent
   * @throws IllegalArgumentException unless 0 &lt; idle &lt; busy &lt;= 100
   */
  public CompressionTuning(List<DatabaseBackup> backups, DoubleSupplier cpuPercent, double busyPercent,
      double idlePercent) {
    this.backups = List.copyOf(backups);
    this.cpuPercent = Objects.requireNonNull(cpuPercent, "cpuPercent");
    if (!(idlePercent > 0 && idlePercent < busyPercent && busyPercent <= 100)) {
      throw new IllegalArgumentException("compression thresholds need 0 < idle < busy <= 100; got idle "
          + idlePercent + ", busy " + busyPercent);
    }
    this.busyPercent = busyPercent;
    this.idlePercent = idlePercent;
  }

  @Override
  public String name() {
    return "cpu.compression";
  }

  @Override
  public Family family() {
    return Family.CPU_IO;
  }

  @Override
  public List<Proposal> propose() {
    double cpu = cpuPercent.getAsDouble();
    List<Proposal> out = new ArrayList<>();
    for (DatabaseBackup b : backups) {
      Compression c = b.compression();
      if (c == Compression.NONE) {
        continue;
      }
      int current = b.jobSettings().compressionLevel(c);
      int wanted = cpu >= busyPercent ? c.minLevel()
          : cpu <= idlePercent && c == Compression.ZSTD ? IDLE_ZSTD_LEVEL : c.defaultLevel();
      if (wanted == current) {
        continue;
      }
      boolean faster = wanted < current;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("database", b.name());
      details.put("compression", c.id());
      details.put("from_level", current);
      details.put("to_level", wanted);
      details.put("cpu_percent", cpu);
      out.add(new Proposal("cpu:compression:" + b.name() + ":" + (faster ? "faster" : "stronger"), Family.CPU_IO,
          "compression_level", Level.MEDIUM, "backups of " + b.name() + ": " + c.id() + " level " + current + " → "
              + wanted,
          String.format(Locale.ROOT, "host CPU at %.0f%% (%s from %.0f%%, idle below %.0f%%)", cpu,
              faster ? "busy" : "not busy", busyPercent, idlePercent),
          faster ? "backup duration of " + b.name() + " (ms)" : "backup size of " + b.name() + " (bytes)", details));
    }
    return out;
  }

  @Override
  public Map<String, String> apply(Proposal proposal) {
    DatabaseBackup b = database(proposal);
    Compression c = Compression.ofId(String.valueOf(proposal.details().get("compression")));
    int previous = b.jobSettings().compressionLevel(c);
    b.jobSettings().compressionLevel(c, ((Number) proposal.details().get("to_level")).intValue());
    return Map.of("from_level", Integer.toString(previous));
  }

  /** Sets the level again after a restart. */
  @Override
  public void restore(Proposal proposal, Map<String, String> undo) {
    DatabaseBackup b = database(proposal);
    Compression c = Compression.ofId(String.valueOf(proposal.details().get("compression")));
    b.jobSettings().compressionLevel(c, ((Number) proposal.details().get("to_level")).intValue());
  }

  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    DatabaseBackup b = database(proposal);
    Compression c = Compression.ofId(String.valueOf(proposal.details().get("compression")));
    int level = undo.containsKey("from_level") ? Integer.parseInt(undo.get("from_level"))
        : ((Number) proposal.details().get("from_level")).intValue();
    b.jobSettings().compressionLevel(c, level);
  }

  @Override
  public Probe probe(Proposal proposal) {
    DatabaseBackup b = database(proposal);
    boolean faster = proposal.key().endsWith(":faster");
    return new Probe() {
      @Override
      public String name() {
        return proposal.metric();
      }

      @Override
      public boolean lowerIsBetter() {
        return true;
      }

      @Override
      public double[] samples(Instant from, Instant to) {
        List<Double> out = new ArrayList<>();
        for (BackupRecord r : b.listBackups()) {
          Instant at = r.timestamp().atZone(b.clock().getZone()).toInstant();
          if (!at.isBefore(from) && at.isBefore(to) && r.durationMs() > 0) {
            out.add(faster ? (double) r.durationMs() : (double) r.sizeBytes());
          }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
      }
    };
  }

  private DatabaseBackup database(Proposal p) {
    String name = String.valueOf(p.details().get("database"));
    return backups.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow(() -> new IllegalStateException(
        "no backed-up database named '" + name + "' any more; its compression level cannot be changed"));
  }
}
