package io.grey.bench;

import io.grey.core.DataClass;
import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.multicloud.MultiCloudConfig;
import io.grey.multicloud.MultiCloudStore;
import io.grey.multicloud.Outbox;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import io.grey.testkit.FaultyStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The multi-cloud benchmark, each figure against a baseline of the same run:
 * <ol>
 *   <li>replica catch-up (local store to local store): the async replicator drains an outbox holding one row per
 *       object the replica missed, at its default concurrency (4 copies at a time, like rclone's 4 transfers),
 *       against {@code rclone copy} of the same bytes as plain files, for many small and a few large objects, with
 *       the ratio Grey / rclone;</li>
 *   <li>replication lag (age of the oldest pending change, sampled every 100 ms) p50/p99 per target at a steady
 *       put rate with two async targets;</li>
 *   <li>read failover time when the preferred replica hangs, against a read with no fault.</li>
 * </ol>
 * Sizes and durations are system properties (defaults in brackets): {@code grey.bench.smallCount} [10000],
 * {@code grey.bench.largeCount} [100], {@code grey.bench.lagRate} [200/s], {@code grey.bench.lagSeconds} [60],
 * {@code grey.bench.dir} [java.io.tmpdir], {@code grey.bench.concurrency} [the replicator's default, 4], {@code grey.bench.parts} [catchup,lag,failover]. Needs {@code rclone}
 * on the PATH for part 1's baseline (without it, Grey's figure is printed with no ratio, and said so).
 */
public final class MultiCloudBench {
  private static final int SMALL = 16 * 1024;
  private static final int LARGE = 64 * 1024 * 1024;

  private MultiCloudBench() {}

  public static void main(String[] args) throws Exception {
    int smallCount = Integer.getInteger("grey.bench.smallCount", 10_000);
    int largeCount = Integer.getInteger("grey.bench.largeCount", 100);
    int rate = Integer.getInteger("grey.bench.lagRate", 200);
    int lagSeconds = Integer.getInteger("grey.bench.lagSeconds", 60);
    Path work = Files.createTempDirectory(
        Path.of(System.getProperty("grey.bench.dir", System.getProperty("java.io.tmpdir"))), "grey-mc-bench-");
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "grey multi-cloud bench: dir %s, %d cores, java %s%n", work,
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    List<String> parts = List.of(System.getProperty("grey.bench.parts", "catchup,lag,failover").split(","));
    try {
      if (parts.contains("catchup")) {
        catchUp(out, work.resolve("small"), smallCount, SMALL);
        catchUp(out, work.resolve("large"), largeCount, LARGE);
      }
      if (parts.contains("lag")) {
        lag(out, work.resolve("lag"), rate, lagSeconds);
      }
      if (parts.contains("failover")) {
        failover(out, work.resolve("failover"));
      }
    } finally {
      deleteTree(work);
    }
  }

  // ---------------------------------------------------------------- 1. catch-up vs rclone copy

  private static void catchUp(PrintStream out, Path dir, int count, int size) throws Exception {
    Path files = dir.resolve("files");
    Files.createDirectories(files);
    MultiCloudConfig base = config(dir, List.of("local", "replica"), MultiCloudConfig.Mode.ASYNC);
    MultiCloudConfig.Replication r = base.replication();
    MultiCloudConfig config = base.withReplicator(r.maxAttempts(),
        Integer.getInteger("grey.bench.concurrency", r.concurrency()), r.retry());
    Map<String, BlobStore> stores = new LinkedHashMap<>();
    stores.put("local", LocalStore.open(LocalStoreOptions.of(dir.resolve("local")).withName("local")));
    stores.put("replica", LocalStore.open(LocalStoreOptions.of(dir.resolve("replica")).withName("replica")));
    byte[] body = new byte[size];
    new SplittableRandom(size).nextBytes(body);
    for (int i = 0; i < count; i++) {
      ObjectKey key = ObjectKey.of("artifacts/bench/t/o-%06d".formatted(i));
      body[0] = (byte) i;
      body[1] = (byte) (i >> 8);
      stores.get("local").put(key, new ByteArrayInputStream(body), PutOptions.ofLength(size));
      Files.write(files.resolve("o-%06d".formatted(i)), body);
    }
    // The replica has missed every write: the outbox holds one released row per key, as after an outage.
    try (Outbox outbox = Outbox.open(dir.resolve("data"), MultiCloudConfig.OutboxSync.FULL, Clock.systemUTC())) {
      for (int i = 0; i < count; i++) {
        ObjectKey key = ObjectKey.of("artifacts/bench/t/o-%06d".formatted(i));
        outbox.release(outbox.recordChange(key, "local", List.of("replica"), Optional.of(DataClass.ARTIFACT),
            java.time.Instant.EPOCH));
      }
    }
    BlobStore replica = stores.get("replica");
    try (MultiCloudStore multi = MultiCloudStore.create(config, stores, dir.resolve("data"), Clock.systemUTC(),
        new SimpleMeterRegistry(), false)) {
      // Timed from the moment the async replicator starts working the outbox until it is empty.
      long start = System.nanoTime();
      while (multi.outbox().count("replica", Outbox.State.PENDING) > 0) {
        Thread.sleep(5);
      }
      double grey = (System.nanoTime() - start) / 1e9;
      long copied = 0;
      for (var ignored : replica.listAll("artifacts/")) {
        copied++;
      }
      if (copied != count || multi.outbox().count("replica", Outbox.State.DEAD) > 0) {
        throw new IllegalStateException("replication copied " + copied + " of " + count);
      }
      Optional<Double> rclone = rclone(files, dir.resolve("rclone-copy"));
      String label = count + " x " + (size >= 1 << 20 ? size / (1 << 20) + " MiB" : size / 1024 + " KiB");
      if (rclone.isEmpty()) {
        out.printf(Locale.ROOT, "catch-up %-16s grey %.2f s (%.1f MiB/s); rclone not installed, no ratio%n", label,
            grey, (double) count * size / (1 << 20) / grey);
      } else {
        out.printf(Locale.ROOT, "catch-up %-16s grey %.2f s, rclone copy %.2f s, grey/rclone = %.2f%n", label, grey,
            rclone.get(), grey / rclone.get());
      }
    }
    deleteTree(dir);
  }

  private static Optional<Double> rclone(Path from, Path to) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process p;
    try {
      p = new ProcessBuilder("rclone", "copy", "--transfers", "4", "--checkers", "8", from.toString(), to.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("rclone copy failed with exit " + p.exitValue());
    }
    // rclone does not fsync; sync the copied files once so both sides end with the bytes on disk.
    new ProcessBuilder("sync").start().waitFor();
    return Optional.of((System.nanoTime() - start) / 1e9);
  }

  // ---------------------------------------------------------------- 2. lag at a steady rate

  private static void lag(PrintStream out, Path dir, int rate, int seconds) throws Exception {
    List<String> names = List.of("local", "edge-a", "edge-b");
    Map<String, BlobStore> stores = new LinkedHashMap<>();
    for (String n : names) {
      stores.put(n, LocalStore.open(LocalStoreOptions.of(dir.resolve(n)).withName(n)));
    }
    try (MultiCloudStore multi = MultiCloudStore.create(config(dir, names, MultiCloudConfig.Mode.ASYNC), stores,
        dir.resolve("data"), Clock.systemUTC(), new SimpleMeterRegistry(), false)) {
      Map<String, List<Double>> samples = new LinkedHashMap<>();
      names.subList(1, 3).forEach(n -> samples.put(n, Collections.synchronizedList(new ArrayList<>())));
      Thread sampler = Thread.ofVirtual().start(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          samples.forEach((n, list) -> list.add(multi.replicator().lag(n).toNanos() / 1e6));
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      byte[] body = new byte[SMALL];
      new SplittableRandom(7).nextBytes(body);
      // Four writers, each on its own schedule, so that one slow fsync does not hold the whole rate back.
      int writers = 4;
      long periodNanos = 1_000_000_000L * writers / rate;
      int total = rate * seconds;
      long start = System.nanoTime();
      java.util.concurrent.atomic.AtomicInteger late = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        threads.add(Thread.ofVirtual().start(() -> {
          for (int i = writer; i < total; i += writers) {
            long due = start + (i / writers) * periodNanos + writer * (periodNanos / writers);
            long wait = due - System.nanoTime();
            try {
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              } else if (wait < -periodNanos) {
                late.incrementAndGet();
              }
            } catch (InterruptedException e) {
              return;
            }
            multi.put(ObjectKey.of("artifacts/bench/lag/o-" + i), new ByteArrayInputStream(body),
                PutOptions.ofLength(body.length));
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      double achieved = total / ((System.nanoTime() - start) / 1e9);
      sampler.interrupt();
      sampler.join();
      boolean drained = multi.replicator().drain(Duration.ofMinutes(5));
      for (var e : samples.entrySet()) {
        List<Double> s = new ArrayList<>(e.getValue());
        Collections.sort(s);
        out.printf(Locale.ROOT, "lag %-7s at %d puts/s target (%.0f achieved, %d puts started over a period late) for %d s: p50 %.0f ms, p99 %.0f ms,"
                + " max %.0f ms (%d samples)%s%n", e.getKey(), rate, achieved, late.get(), seconds, pct(s, 0.5), pct(s, 0.99),
            s.isEmpty() ? 0 : s.getLast(), s.size(), drained ? "" : "; did not drain in 5 min");
      }
    }
    deleteTree(dir);
  }

  // ---------------------------------------------------------------- 3. read failover

  private static void failover(PrintStream out, Path dir) throws Exception {
    List<String> names = List.of("local", "edge-a");
    Map<String, BlobStore> stores = new LinkedHashMap<>();
    stores.put("local", LocalStore.open(LocalStoreOptions.of(dir.resolve("local")).withName("local")));
    FaultyStore edge = FaultyStore.wrap(LocalStore.open(LocalStoreOptions.of(dir.resolve("edge-a")).withName("edge-a")));
    stores.put("edge-a", edge);
    Duration readTimeout = Duration.ofMillis(200);
    MultiCloudConfig config = config(dir, names, MultiCloudConfig.Mode.SYNC).withRouting(
        new MultiCloudConfig.Routing(MultiCloudConfig.Strategy.WEIGHTED, MultiCloudConfig.Strategy.ROUND_ROBIN,
            Duration.ofMinutes(10), Map.of("edge-a", 1, "local", 0), readTimeout, Duration.ofSeconds(5), 3, 2));
    try (MultiCloudStore multi = MultiCloudStore.create(config, stores, dir.resolve("data"), Clock.systemUTC(),
        new SimpleMeterRegistry(), false)) {
      ObjectKey key = ObjectKey.of("artifacts/bench/failover/o");
      byte[] body = new byte[SMALL];
      multi.put(key, new ByteArrayInputStream(body), PutOptions.ofLength(body.length));
      List<Double> healthy = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        healthy.add(timedRead(multi, key));
      }
      List<Double> hanging = new ArrayList<>();
      try (FaultyStore.Hang hang = edge.hang(FaultyStore.Operation.GET)) {
        // Until down_after timeouts mark edge-a down, every read waits read_timeout and then fails over.
        for (int i = 0; i < 3; i++) {
          hanging.add(timedRead(multi, key));
        }
        List<Double> after = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          after.add(timedRead(multi, key));
        }
        Collections.sort(healthy);
        Collections.sort(hanging);
        Collections.sort(after);
        out.printf(Locale.ROOT, "read failover: healthy p50 %.2f ms; preferred replica hanging (read_timeout %d ms):"
                + " failover reads p50 %.1f ms, max %.1f ms; once it is marked down p50 %.2f ms%n", pct(healthy, 0.5),
            readTimeout.toMillis(), pct(hanging, 0.5), hanging.getLast(), pct(after, 0.5));
        hang.release();
      }
      if (edge.calls(FaultyStore.Operation.GET) == 0) {
        throw new StoreUnavailableException("the bench never read from the preferred replica");
      }
    }
    deleteTree(dir);
  }

  private static double timedRead(MultiCloudStore multi, ObjectKey key) throws IOException {
    long start = System.nanoTime();
    try (InputStream in = multi.get(key).stream()) {
      in.readAllBytes();
    }
    return (System.nanoTime() - start) / 1e6;
  }

  // ---------------------------------------------------------------- helpers

  private static MultiCloudConfig config(Path dir, List<String> names, MultiCloudConfig.Mode mode) {
    Map<String, MultiCloudConfig.StoreSpec> declared = new LinkedHashMap<>();
    for (String n : names) {
      if (!MultiCloudConfig.SECTION_STORES.contains(n)) {
        declared.put(n, new MultiCloudConfig.StoreSpec(MultiCloudConfig.Backend.LOCAL, Optional.of(dir.resolve(n))));
      }
    }
    return MultiCloudConfig.of(names, mode, declared);
  }

  private static double pct(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
