package dev.vigil.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MannWhitneyTest {
  @Test
  void aClearShiftIsSignificantAndNoShiftIsNot() {
    Random r = new Random(7);
    double[] a = new double[40];
    double[] b = new double[40];
    double[] c = new double[40];
    for (int i = 0; i < 40; i++) {
      a[i] = 10 + r.nextGaussian();
      b[i] = 13 + r.nextGaussian();
      c[i] = 10 + r.nextGaussian();
    }
    assertThat(MannWhitney.pGreater(a, b)).isLessThan(1e-6);
    assertThat(MannWhitney.pGreater(b, a)).isGreaterThan(0.99);
    assertThat(MannWhitney.pGreater(a, c)).isBetween(0.01, 0.99);
  }

  @Test
  void tiesAndTheNormalDistributionAreHandled() {
    double[] same = {1, 1, 1, 1, 1, 1, 1, 1};
    assertThat(MannWhitney.pGreater(same, same)).isEqualTo(0.5);
    assertThat(MannWhitney.normalCdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(MannWhitney.normalCdf(1.96)).isCloseTo(0.975, within(1e-4));
    assertThat(MannWhitney.median(new double[] {3, 1, 2, 10})).isEqualTo(2.5);
  }
}
