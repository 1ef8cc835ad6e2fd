package dev.vigil.monitor.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustScorerTest {

  @Test
  void selectionMedianEqualsTheSortedMedianForOddEvenAndRepeatedValues() {
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      int n = 1 + random.nextInt(130);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = round % 3 == 0 ? random.nextInt(4) : random.nextGaussian() * 100;
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      assertThat(RobustScorer.median(values.clone(), n)).as("round %d of %d values", round, n).isEqualTo(expected);
    }
  }

  @Test
  void aSpikeIsFlaggedOnceAndALevelShiftBecomesTheNewNormal() {
    RobustScorer scorer = new RobustScorer(new AnomalyOptions(30, 4.5, 10, 3), 0.5);
    for (int i = 0; i < 30; i++) {
      assertThat(scorer.observe(10 + (i % 3)).flagged()).isFalse();
    }
    assertThat(scorer.observe(60).flagged()).as("first reading of the spike").isTrue();
    assertThat(scorer.observe(61).flagged()).as("same excursion").isFalse();
    scorer.observe(60);
    RobustScorer.Result after = scorer.observe(60);
    assertThat(after.flagged()).as("the shifted level is normal").isFalse();
    assertThat(after.median()).isBetween(59.0, 62.0);
  }
}
