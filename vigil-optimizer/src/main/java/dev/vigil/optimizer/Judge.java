package dev.vigil.optimizer;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Decides from samples whether a change stays: kept only when the target metric is better with the
 * required confidence (one-sided Mann-Whitney) by at least the minimum effect and no guard metric is
 * worse; rolled back as soon as the target or a guard is significantly worse, or when the observation
 * window ends without a shown gain. A change is never kept on a hunch, so a harmful change is not kept.
 */
final class Judge {
  private final OptimizerOptions options;

  Judge(OptimizerOptions options) {
    this.options = options;
  }

  Verdict decide(Probe target, List<Probe> guards, double requiredEffect, Instant baselineFrom, Instant appliedAt,
      Instant now, Instant observeUntil) throws Exception {
    double minEffect = Math.max(options.minEffect(), requiredEffect);
    double[] before = target.samples(baselineFrom, appliedAt);
    double[] after = target.samples(appliedAt, now);
    boolean windowOver = !now.isBefore(observeUntil);
    double medBefore = MannWhitney.median(before);
    double medAfter = MannWhitney.median(after);
    if (before.length < options.minSamples() || after.length < options.minSamples()) {
      return windowOver
          ? new Verdict(Verdict.Decision.ROLLBACK, 0, medBefore, medAfter, String.format(Locale.ROOT,
              "too few samples to show a gain (%d before, %d after; %d needed each)", before.length, after.length,
              options.minSamples()))
          : new Verdict(Verdict.Decision.WAIT, 0, medBefore, medAfter, "waiting for samples (" + before.length
              + " before, " + after.length + " after)");
    }
    double pWorse = worse(target, before, after);
    double ratio = relativeChange(target, medBefore, medAfter);
    if (pWorse < options.alpha() && ratio <= -options.minEffect()) {
      return new Verdict(Verdict.Decision.ROLLBACK, 1 - pWorse, medBefore, medAfter, String.format(Locale.ROOT,
          "%s got worse: median %.3g → %.3g (%+.0f%%), p=%.2g", target.name(), medBefore, medAfter, ratio * 100,
          pWorse));
    }
    for (Probe guard : guards) {
      double[] gBefore = guard.samples(baselineFrom, appliedAt);
      double[] gAfter = guard.samples(appliedAt, now);
      if (gBefore.length < options.minSamples() || gAfter.length < options.minSamples()) {
        if (!windowOver) {
          return new Verdict(Verdict.Decision.WAIT, 0, medBefore, medAfter, "waiting for samples of " + guard.name());
        }
        continue;
      }
      double gp = worse(guard, gBefore, gAfter);
      double gRatio = relativeChange(guard, MannWhitney.median(gBefore), MannWhitney.median(gAfter));
      if (gp < options.alpha() && gRatio <= -options.guardEffect()) {
        return new Verdict(Verdict.Decision.ROLLBACK, 1 - gp, medBefore, medAfter, String.format(Locale.ROOT,
            "it harmed %s: median %.3g → %.3g (%+.0f%%), p=%.2g", guard.name(), MannWhitney.median(gBefore),
            MannWhitney.median(gAfter), gRatio * 100, gp));
      }
    }
    double pBetter = worse(target, after, before);
    if (pBetter < options.alpha() && ratio >= minEffect) {
      return new Verdict(Verdict.Decision.KEEP, 1 - pBetter, medBefore, medAfter, String.format(Locale.ROOT,
          "%s improved: median %.3g → %.3g (%+.0f%%), p=%.2g", target.name(), medBefore, medAfter, ratio * 100,
          pBetter));
    }
    return windowOver
        ? new Verdict(Verdict.Decision.ROLLBACK, 1 - Math.min(pBetter, 1), medBefore, medAfter, String.format(
            Locale.ROOT, "no measurable gain in %s by the end of the observation window: median %.3g → %.3g",
            target.name(), medBefore, medAfter))
        : new Verdict(Verdict.Decision.WAIT, 0, medBefore, medAfter, "no clear effect yet");
  }

  /** One-sided p that {@code after} is worse than {@code before} for {@code probe}'s direction. */
  private static double worse(Probe probe, double[] before, double[] after) {
    return probe.lowerIsBetter() ? MannWhitney.pGreater(before, after) : MannWhitney.pGreater(after, before);
  }

  /** Relative improvement: positive when better (e.g. 0.9 = 90 % lower latency), negative when worse. */
  private static double relativeChange(Probe probe, double before, double after) {
    if (before == 0 || Double.isNaN(before) || Double.isNaN(after)) {
      return 0;
    }
    double change = (after - before) / Math.abs(before);
    return probe.lowerIsBetter() ? -change : change;
  }
}
