package io.grey.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints measurements with their ratio to a baseline, one row per operation. */
final class BenchTable {
  private final PrintStream out;

  BenchTable(PrintStream out) {
    this.out = out;
    out.printf(Locale.ROOT, "%-34s %10s %12s %12s %12s %9s%n",
        "operation", "size", "median", "p99", "throughput", "ratio");
  }

  /** Prints {@code m} and its median time divided by the baseline's ({@code baseline} may be {@code m} itself). */
  void row(Measurement m, Measurement baseline) {
    double ratio = m.medianNanos() / baseline.medianNanos();
    out.printf(Locale.ROOT, "%-34s %10s %10.3fms %10.3fms %12s %8.2fx%n",
        m.label(), size(m.bytesPerOp()), m.medianNanos() / 1e6, m.p99Nanos() / 1e6, rate(m), ratio);
  }

  static String size(long bytes) {
    if (bytes >= 1 << 20) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }

  private static String rate(Measurement m) {
    return m.bytesPerOp() >= 1 << 20
        ? String.format(Locale.ROOT, "%.0f MiB/s", m.mibPerSecond())
        : String.format(Locale.ROOT, "%.0f op/s", m.opsPerSecond());
  }
}
