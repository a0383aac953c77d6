package io.grey.cost;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Forecasts daily cost by ordinary least squares on the daily series: {@code cost(t) = a + b*t + s(weekday)},
 * a linear trend plus one offset per weekday (weekly seasonality), fitted on at least 14 days; with 3 to 13 days
 * the weekday terms are left out (trend only), with fewer the forecast is the mean. The interval of one day is
 * the point plus or minus {@value #Z80} residual standard deviations (an 80% interval when residuals are normal
 * and independent); the interval of the total over {@code h} days widens by the square root of {@code h}. Points
 * and bounds below zero are cut to zero. Stateless.
 */
final class Forecaster {
  /** The normal quantile of a two-sided 80% interval. */
  static final double Z80 = 1.2815515655446004;
  static final double LEVEL = 0.8;

  private Forecaster() {}

  /** The forecast of the {@code horizon} days after {@code history}, whose first day is {@code start}. */
  static Forecast forecast(double[] history, LocalDate start, int horizon) {
    int n = history.length;
    boolean weekly = n >= 14;
    int p = weekly ? 8 : n >= 3 ? 2 : 1;
    double[] beta;
    double sigma;
    if (n == 0) {
      beta = new double[p];
      sigma = 0;
    } else {
      double[][] x = new double[n][];
      for (int t = 0; t < n; t++) {
        x[t] = features(t, start.plusDays(t), p);
      }
      beta = leastSquares(x, history, p);
      double sse = 0;
      for (int t = 0; t < n; t++) {
        double r = history[t] - dot(beta, x[t]);
        sse += r * r;
      }
      sigma = n > p ? Math.sqrt(sse / (n - p)) : 0;
    }
    String method = switch (p) {
      case 8 -> "least squares: linear trend + weekday offsets (weekly seasonality)";
      case 2 -> "least squares: linear trend (under 14 days of history: no weekly seasonality)";
      default -> "mean of the history (under 3 days)";
    };
    List<Forecast.Day> days = new ArrayList<>();
    double total = 0;
    for (int h = 0; h < horizon; h++) {
      int t = n + h;
      LocalDate date = start.plusDays(t);
      double point = Math.max(0, dot(beta, features(t, date, p)));
      total += point;
      days.add(new Forecast.Day(date, point, Math.max(0, point - Z80 * sigma), point + Z80 * sigma));
    }
    double spread = Z80 * sigma * Math.sqrt(horizon);
    return new Forecast(method, LEVEL, n, List.copyOf(days), total, Math.max(0, total - spread), total + spread);
  }

  private static double[] features(int t, LocalDate date, int p) {
    double[] f = new double[p];
    f[0] = 1;
    if (p >= 2) {
      f[1] = t;
    }
    if (p == 8) {
      int dow = date.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue();
      if (dow > 0) {
        f[1 + dow] = 1;
      }
    }
    return f;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Solves the normal equations by Gaussian elimination with partial pivoting; a singular column gets 0. */
  private static double[] leastSquares(double[][] x, double[] y, int p) {
    double[][] a = new double[p][p + 1];
    for (int r = 0; r < x.length; r++) {
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          a[i][j] += x[r][i] * x[r][j];
        }
        a[i][p] += x[r][i] * y[r];
      }
    }
    for (int col = 0; col < p; col++) {
      int pivot = col;
      for (int r = col + 1; r < p; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      if (Math.abs(a[col][col]) < 1e-12) {
        continue;
      }
      for (int r = 0; r < p; r++) {
        if (r != col) {
          double factor = a[r][col] / a[col][col];
          for (int c = col; c <= p; c++) {
            a[r][c] -= factor * a[col][c];
          }
        }
      }
    }
    double[] beta = new double[p];
    for (int i = 0; i < p; i++) {
      beta[i] = Math.abs(a[i][i]) < 1e-12 ? 0 : a[i][p] / a[i][i];
    }
    return beta;
  }
}
