package io.grey.bench;

import java.util.Arrays;

/**
 * Timings of one benchmarked operation: per-operation nanoseconds, summarised as median and throughput.
 *
 * @param label what was measured
 * @param bytesPerOp payload size of one operation
 * @param nanos the duration of each operation
 */
record Measurement(String label, long bytesPerOp, long[] nanos) {

  /** Median nanoseconds per operation. */
  double medianNanos() {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
  }

  /** 99th percentile nanoseconds per operation. */
  double p99Nanos() {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
  }

  /** Throughput in MiB/s at the median. */
  double mibPerSecond() {
    return bytesPerOp / (1024.0 * 1024.0) / (medianNanos() / 1e9);
  }

  /** Operations per second at the median. */
  double opsPerSecond() {
    return 1e9 / medianNanos();
  }
}
