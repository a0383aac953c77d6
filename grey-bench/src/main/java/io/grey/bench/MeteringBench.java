package io.grey.bench;

import io.grey.core.ObjectKey;
import io.grey.core.config.ConfigLoader;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.cost.CostService;
import io.grey.testkit.MemoryBlobStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * What cost metering adds to a put: 4 KiB puts into an in-memory store (so the store itself costs next to
 * nothing and the layer's overhead shows) bare, through the metering layer as the server runs it (counted in
 * memory, flushed to metering.db periodically; here once per round), and write-through (a metering.db
 * transaction after every put). The three take turns round by round. {@code -Dgrey.bench.rounds=N} (default 5)
 * and {@code -Dgrey.bench.ops=N} (default 2000) change the run.
 */
public final class MeteringBench {
  private MeteringBench() {}

  /** Runs the benchmark and prints one line per contender. */
  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("grey.bench.rounds", 5);
    int ops = Integer.getInteger("grey.bench.ops", 2000);
    Path dir = Files.createTempDirectory("grey-metering-bench");
    var config = ConfigLoader.parse("server:\n  data_dir: " + dir + "\n", "bench.yaml", Map.of(), dir);
    byte[] body = new byte[4096];
    String[] names = {"bare put", "metered put (periodic flush)", "metered put (write-through)"};
    long[][] samples = new long[names.length][rounds * ops];
    try (CostService cost = CostService.open(config, Clock.systemUTC())) {
      BlobStore bare = MemoryBlobStore.create("local");
      BlobStore metered = cost.meteringLayer().wrap(MemoryBlobStore.create("local"));
      for (int warm = 0; warm < ops; warm++) {
        put(bare, warm, body);
        put(metered, warm, body);
        cost.flush();
      }
      for (int round = 0; round < rounds; round++) {
        for (int c = 0; c < names.length; c++) {
          BlobStore store = c == 0 ? bare : metered;
          for (int i = 0; i < ops; i++) {
            long start = System.nanoTime();
            put(store, i, body);
            if (c == 2) {
              cost.flush();
            }
            samples[c][round * ops + i] = System.nanoTime() - start;
          }
          if (c == 1) {
            // The periodic flush of one round, charged to the round's puts.
            long start = System.nanoTime();
            cost.flush();
            samples[c][round * ops + ops - 1] += System.nanoTime() - start;
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "grey-bench metering: %d rounds x %d puts of 4 KiB, %d cores, java %s%n", rounds,
        ops, Runtime.getRuntime().availableProcessors(), Runtime.version());
    System.out.printf(Locale.ROOT, "%-32s %10s %10s %10s %8s%n", "contender", "median", "p99", "mean", "mean+");
    double bareMean = Arrays.stream(samples[0]).average().orElse(0);
    for (int c = 0; c < names.length; c++) {
      long[] s = samples[c].clone();
      Arrays.sort(s);
      double mean = Arrays.stream(s).average().orElse(0);
      System.out.printf(Locale.ROOT, "%-32s %8.2fus %8.2fus %8.2fus %6.2fus%n", names[c], s[s.length / 2] / 1e3,
          s[(int) (s.length * 0.99)] / 1e3, mean / 1e3, (mean - bareMean) / 1e3);
    }
  }

  private static void put(BlobStore store, int i, byte[] body) {
    store.put(ObjectKey.of("artifacts/acme/bench/o" + (i % 500)), new ByteArrayInputStream(body),
        PutOptions.defaults());
  }
}
