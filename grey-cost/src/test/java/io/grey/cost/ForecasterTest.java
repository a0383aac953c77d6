package io.grey.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecasterTest {
  private static final LocalDate START = LocalDate.of(2026, 6, 1);
  /** Weekday offsets, Monday first: busy midweek, quiet weekends. */
  private static final double[] WEEKLY = {1.0, 2.0, 2.5, 2.0, 1.0, -4.0, -4.5};

  /** 20 + 0.2 t per day plus a weekday offset plus Gaussian noise of standard deviation 1. */
  private static double[] series(int days, long seed) {
    Random random = new Random(seed);
    double[] y = new double[days];
    for (int t = 0; t < days; t++) {
      int dow = START.plusDays(t).getDayOfWeek().getValue() - 1;
      y[t] = 20 + 0.2 * t + WEEKLY[dow] + random.nextGaussian();
    }
    return y;
  }

  @Test
  void aBacktestOnTheLast14DaysHasLowErrorAndTheIntervalCoversAboutEightyPercent() {
    int runs = 40;
    double mapeSum = 0;
    int covered = 0;
    int points = 0;
    for (long seed = 1; seed <= runs; seed++) {
      double[] all = series(90, seed);
      double[] train = java.util.Arrays.copyOf(all, 76);
      Forecast f = Forecaster.forecast(train, START, 14);
      double ape = 0;
      for (int h = 0; h < 14; h++) {
        double actual = all[76 + h];
        Forecast.Day d = f.days().get(h);
        ape += Math.abs(d.point() - actual) / actual;
        if (actual >= d.lower() && actual <= d.upper()) {
          covered++;
        }
        points++;
      }
      mapeSum += ape / 14;
    }
    double mape = mapeSum / runs;
    double coverage = (double) covered / points;
    System.out.printf("backtest: MAPE %.4f, 80%% interval coverage %.3f%n", mape, coverage);
    assertThat(mape).as("mean absolute percentage error over %d seeded series", runs).isLessThan(0.04);
    assertThat(coverage).as("share of held-out days inside the 80%% interval").isBetween(0.70, 0.88);
  }

  @Test
  void theWeeklyTermsAreUsedOnlyWithTwoWeeksOfHistory() {
    assertThat(Forecaster.forecast(series(20, 1), START, 7).method()).contains("weekly");
    assertThat(Forecaster.forecast(series(10, 1), START, 7).method()).contains("linear trend")
        .doesNotContain("weekday offsets");
    assertThat(Forecaster.forecast(new double[] {5}, START, 3).total()).as("one day: its mean, 3 times")
        .isEqualTo(15.0);
  }

  @Test
  void aForecastIsNeverBelowZero() {
    double[] falling = new double[30];
    for (int t = 0; t < 30; t++) {
      falling[t] = Math.max(0, 30 - 1.5 * t);
    }
    Forecast f = Forecaster.forecast(falling, START, 30);
    assertThat(f.days()).allSatisfy(d -> assertThat(d.lower()).isGreaterThanOrEqualTo(0));
    assertThat(f.totalLower()).isGreaterThanOrEqualTo(0);
  }
}
