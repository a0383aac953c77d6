package io.grey.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Grey's end-to-end storage benchmark. In one run, on the same disk, it measures for 4 KiB and 64 MiB objects:
 * a raw baseline (temp file + fsync + rename + directory fsync; plain read), the same baseline also computing a
 * SHA-256 both ways (what the digest alone costs), the local store, and the HTTP server over the local store, interleaving the contenders round by round so that disk and CPU noise hit all of them alike. It prints
 * medians, p99s and the ratios the goals are stated in: local store / raw, server / local store.
 *
 * <p>Run with {@code bin/bench} (or {@code ./mvnw -q -pl grey-bench -am package -DskipTests} and then
 * {@code java -cp 'grey-bench/target/grey-bench-*.jar:grey-bench/target/lib/*' io.grey.bench.EndToEndBench}).
 */
public final class EndToEndBench {
  private static final int SMALL = 4 * 1024;
  private static final int LARGE = 64 * 1024 * 1024;

  private EndToEndBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("grey.bench.rounds", 5);
    int smallOps = Integer.getInteger("grey.bench.smallOps", 200);
    int largeOps = Integer.getInteger("grey.bench.largeOps", 2);
    Path work = Files.createTempDirectory(Path.of(System.getProperty("grey.bench.dir", System.getProperty("java.io.tmpdir"))), "grey-bench-");
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "grey-bench: %d rounds, %d x 4 KiB and %d x 64 MiB ops per round per contender, dir %s, %d cores, java %s%n",
        rounds, smallOps, largeOps, work, Runtime.getRuntime().availableProcessors(), Runtime.version());
    try (Contender raw = new RawContender(work.resolve("raw"), false);
        Contender rawHashed = new RawContender(work.resolve("raw-sha256"), true);
        Contender local = StoreContender.local(work.resolve("local"));
        Contender server = ServerContender.start(work.resolve("server"))) {
      List<Contender> contenders = List.of(raw, rawHashed, local, server);
      BenchTable table = BenchTable.forFormat(out);
      for (int size : new int[] {SMALL, LARGE}) {
        int ops = size == SMALL ? smallOps : largeOps;
        Map<String, Measurement> results = measure(contenders, size, ops, rounds, true);
        Measurement rawPut = results.get("raw put");
        Measurement rawGet = results.get("raw get");
        Measurement localPut = results.get("local put");
        Measurement localGet = results.get("local get");
        table.row(rawPut, rawPut);
        table.row(results.get("raw+sha256 put"), rawPut);
        table.row(localPut, rawPut);
        table.row(results.get("server put"), localPut);
        Measurement rawNew = results.get("raw put new key");
        Measurement localNew = results.get("local put new key");
        table.row(rawNew, rawNew);
        table.row(localNew, rawNew);
        table.row(results.get("server put new key"), localNew);
        table.row(rawGet, rawGet);
        table.row(results.get("raw+sha256 get"), rawGet);
        table.row(localGet, rawGet);
        table.row(results.get("server get"), localGet);
        table.note(String.format(Locale.ROOT, "ratios %s: local/raw put %.2fx (new key %.2fx) get %.2fx (goal <= 1.30x); server/local put %.2fx get %.2fx (goal <= 2.00x at 64 MiB)",
            BenchTable.size(size),
            localPut.medianNanos() / rawPut.medianNanos(), localNew.medianNanos() / rawNew.medianNanos(),
            localGet.medianNanos() / rawGet.medianNanos(),
            results.get("server put").medianNanos() / localPut.medianNanos(),
            results.get("server get").medianNanos() / localGet.medianNanos()));
      }
    } finally {
      deleteTree(work);
    }
  }

  /**
   * Runs {@code ops} put+get pairs of a {@code size}-byte payload per contender per round, after one unrecorded
   * warm-up round, and returns each contender's put and get timings keyed {@code "<label> put"} and
   * {@code "<label> get"}; with {@code newKeys}, each pair is preceded by a put of a key never written before,
   * timed as {@code "<label> put new key"}.
   */
  static Map<String, Measurement> measure(List<Contender> contenders, int size, int ops, int rounds,
      boolean newKeys) throws Exception {
    byte[] payload = new byte[size];
    new SplittableRandom(size).nextBytes(payload);
    Map<String, List<Long>> puts = new LinkedHashMap<>();
    Map<String, List<Long>> gets = new LinkedHashMap<>();
    Map<String, List<Long>> newPuts = new LinkedHashMap<>();
    // One unrecorded warm-up round lets the JIT and the page cache settle for every contender.
    for (int round = -1; round < rounds; round++) {
      for (int c = 0; c < contenders.size(); c++) {
        // Rotate the order each round so no contender always runs right after another's writes are flushed.
        Contender contender = contenders.get(Math.floorMod(c + round, contenders.size()));
        List<Long> putTimes = puts.computeIfAbsent(contender.label(), k -> new ArrayList<>());
        List<Long> getTimes = gets.computeIfAbsent(contender.label(), k -> new ArrayList<>());
        List<Long> newPutTimes = newPuts.computeIfAbsent(contender.label(), k -> new ArrayList<>());
        for (int i = 0; i < ops; i++) {
          // A put of a key never written before: the file system creates a directory entry (and, for the
          // local store, the key's directory) as well as the file.
          long n0 = System.nanoTime();
          if (newKeys) {
            contender.put("new-" + size + "-" + round + "-" + i, payload);
          }
          long n1 = System.nanoTime();
          String name = "obj-" + size + "-" + (i % 64);
          long t0 = System.nanoTime();
          contender.put(name, payload);
          long t1 = System.nanoTime();
          long n = contender.get(name, OutputStream.nullOutputStream());
          long t2 = System.nanoTime();
          if (n != size) {
            throw new IllegalStateException(contender.label() + " read " + n + " bytes, wrote " + size);
          }
          if (round >= 0) {
            putTimes.add(t1 - t0);
            getTimes.add(t2 - t1);
            if (newKeys) {
              newPutTimes.add(n1 - n0);
            }
          }
        }
      }
    }
    Map<String, Measurement> results = new LinkedHashMap<>();
    for (Contender contender : contenders) {
      results.put(contender.label() + " put", new Measurement(contender.label() + " put", size, toArray(puts.get(contender.label()))));
      if (newKeys) {
        results.put(contender.label() + " put new key",
            new Measurement(contender.label() + " put new key", size, toArray(newPuts.get(contender.label()))));
      }
      results.put(contender.label() + " get", new Measurement(contender.label() + " get", size, toArray(gets.get(contender.label()))));
    }
    return results;
  }

  static long[] toArray(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
