package io.grey.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints measurements with their ratio to a baseline, one row per operation, and notes between them; as aligned
 * text, or with {@code markdown} as Markdown tables (one per run of rows) and bullet notes ready for the README.
 */
final class BenchTable {
  private final PrintStream out;
  private final boolean markdown;
  private boolean inTable;

  BenchTable(PrintStream out) {
    this(out, false);
  }

  BenchTable(PrintStream out, boolean markdown) {
    this.out = out;
    this.markdown = markdown;
    if (!markdown) {
      out.printf(Locale.ROOT, "%-34s %10s %12s %12s %12s %9s%n",
          "operation", "size", "median", "p99", "throughput", "ratio");
    }
  }

  /** The format {@code -Dgrey.bench.format=markdown} asks for; aligned text otherwise. */
  static BenchTable forFormat(PrintStream out) {
    return new BenchTable(out, "markdown".equalsIgnoreCase(System.getProperty("grey.bench.format", "text")));
  }

  /** Prints {@code m} and its median time divided by the baseline's ({@code baseline} may be {@code m} itself). */
  void row(Measurement m, Measurement baseline) {
    double ratio = m.medianNanos() / baseline.medianNanos();
    if (!markdown) {
      out.printf(Locale.ROOT, "%-34s %10s %10.3fms %10.3fms %12s %8.2fx%n",
          m.label(), size(m.bytesPerOp()), m.medianNanos() / 1e6, m.p99Nanos() / 1e6, rate(m), ratio);
      return;
    }
    if (!inTable) {
      out.println();
      out.println("| operation | size | median | p99 | throughput | ratio |");
      out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
      inTable = true;
    }
    out.printf(Locale.ROOT, "| %s | %s | %.3f ms | %.3f ms | %s | %.2fx |%n",
        m.label(), size(m.bytesPerOp()), m.medianNanos() / 1e6, m.p99Nanos() / 1e6, rate(m), ratio);
  }

  /** Prints one line of explanation (a bullet after the current table in Markdown). */
  void note(String text) {
    if (!markdown) {
      out.println(text);
      return;
    }
    if (inTable) {
      out.println();
      inTable = false;
    }
    out.println("- " + text);
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

  static String millis(double nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  private static String rate(Measurement m) {
    return m.bytesPerOp() >= 1 << 20
        ? String.format(Locale.ROOT, "%.0f MiB/s", m.mibPerSecond())
        : String.format(Locale.ROOT, "%.0f op/s", m.opsPerSecond());
  }
}
