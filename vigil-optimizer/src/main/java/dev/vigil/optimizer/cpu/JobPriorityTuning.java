package dev.vigil.optimizer.cpu;

import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.jobs.JobPriority;
import dev.vigil.backup.jobs.JobSettings;
import dev.vigil.optimizer.Family;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Probe;
import dev.vigil.optimizer.Proposal;
import dev.vigil.optimizer.Tuning;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs Vigil's heavy backup jobs (dumps and test restores) at low CPU and I/O priority
 * ({@link JobPriority#LOW}: {@code nice -n 10}, {@code ionice -c 2 -n 7}), so the host's own work goes
 * first. Reversible and non-blocking ({@link Level#MEDIUM}); undo puts back the priority each database
 * had. When {@code nice} or {@code ionice} is missing the proposal only reports that. Measured by what
 * the caller says the jobs slow down (e.g. the run-queue wait of the server's threads).
 */
public final class JobPriorityTuning implements Tuning {
  private final List<DatabaseBackup> backups;
  private final Probe protectedMetric;

  /**
   * A tuning over the jobs of {@code backups}.
   *
   * @param protectedMetric what the heavy jobs slow down and a lower priority should improve
   */
  public JobPriorityTuning(List<DatabaseBackup> backups, Probe protectedMetric) {
    this.backups = List.copyOf(backups);
    this.protectedMetric = Objects.requireNonNull(protectedMetric, "protectedMetric");
  }

  @Override
  public String name() {
    return "cpu.job_priority";
  }

  @Override
  public Family family() {
    return Family.CPU_IO;
  }

  @Override
  public List<Proposal> propose() {
    List<String> normal = backups.stream().filter(b -> b.jobSettings().priority() == JobPriority.NORMAL)
        .map(DatabaseBackup::name).toList();
    if (normal.isEmpty()) {
      return List.of();
    }
    List<String> missing = JobPriority.LOW.missingTools();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("databases", normal);
    details.put("niceness", JobPriority.LOW_NICENESS);
    details.put("ionice", "best-effort 7");
    String target = "backup dumps and test restores of " + String.join(", ", normal) + ": nice "
        + JobPriority.LOW_NICENESS + ", ionice best-effort 7";
    if (!missing.isEmpty()) {
      details.put("missing", missing);
      return List.of(new Proposal("cpu:jobs:priority", Family.CPU_IO, "lower_job_priority", Level.LOW, target,
          String.join(" and ", missing) + " not found on PATH: heavy jobs cannot be run at a lower priority here "
              + "(install util-linux / coreutils)", protectedMetric.name(), details));
    }
    return List.of(new Proposal("cpu:jobs:priority", Family.CPU_IO, "lower_job_priority", Level.MEDIUM, target,
        "backup tools of " + normal.size() + " database(s) run at normal CPU and I/O priority, competing with the "
            + "host's own work", protectedMetric.name(), details));
  }

  @Override
  public Map<String, String> apply(Proposal proposal) {
    Map<String, String> previous = new LinkedHashMap<>();
    Map<JobSettings, Boolean> done = new IdentityHashMap<>();
    List<String> names = databases(proposal);
    for (DatabaseBackup b : backups) {
      if (names.contains(b.name())) {
        previous.put(b.name(), b.jobSettings().priority().name());
        if (done.put(b.jobSettings(), true) == null) {
          b.jobSettings().priority(JobPriority.LOW);
        }
      }
    }
    return previous;
  }

  /** Lowers the priority again after a restart. */
  @Override
  public void restore(Proposal proposal, Map<String, String> undo) {
    apply(proposal);
  }

  @Override
  public void undo(Proposal proposal, Map<String, String> undo) {
    List<String> names = databases(proposal);
    for (DatabaseBackup b : backups) {
      if (names.contains(b.name())) {
        b.jobSettings().priority(JobPriority.valueOf(undo.getOrDefault(b.name(), JobPriority.NORMAL.name())));
      }
    }
  }

  @Override
  public Probe probe(Proposal proposal) {
    return protectedMetric;
  }

  @SuppressWarnings("unchecked")
  private static List<String> databases(Proposal p) {
    return new ArrayList<>(((List<Object>) p.details().get("databases")).stream().map(String::valueOf).toList());
  }
}
