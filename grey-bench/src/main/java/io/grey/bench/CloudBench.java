package io.grey.bench;

import io.grey.store.azure.AzureBlobConfig;
import io.grey.store.s3.S3Config;
import io.grey.testkit.AzuriteServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Grey's cloud store benchmark: in one run, against the same servers (s3proxy in this JVM over a directory,
 * Azurite from npm in memory), Grey's S3 and Azure Blob stores each against the raw SDK call they are built on,
 * for 4 KiB, 1 MiB and 64 MiB objects, interleaving the contenders round by round so that noise hits all of them
 * alike. It prints medians, p99s, throughput, the Grey/raw ratio (goal: at most 1.05x at 1 MiB and above) and,
 * for every ratio above the goal, the measured cost of each piece of work Grey does beyond the raw call, timed
 * separately in the same run (the HEAD after a put, the SHA-256, the spill file, the multipart or block transfer).
 *
 * <p>Run with {@code bin/bench-cloud}; {@code -Dgrey.bench.rounds}, {@code -Dgrey.bench.smallOps},
 * {@code -Dgrey.bench.mediumOps}, {@code -Dgrey.bench.largeOps} set rounds and operations per round per contender;
 * {@code -Dgrey.bench.sizes=4K,1M,64M} picks sizes; {@code -Dgrey.bench.format=markdown} prints README-ready tables.
 */
public final class CloudBench {
  private static final int SMALL = 4 * 1024;
  private static final int MEDIUM = 1024 * 1024;
  private static final int LARGE = 64 * 1024 * 1024;
  private static final double GOAL = 1.05;

  private CloudBench() {}

  /** Runs the benchmark once and prints its tables to standard output; servers and files are removed at the end. */
  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("grey.bench.rounds", 5);
    int smallOps = Integer.getInteger("grey.bench.smallOps", 40);
    int mediumOps = Integer.getInteger("grey.bench.mediumOps", 10);
    int largeOps = Integer.getInteger("grey.bench.largeOps", 1);
    Path work = Files.createTempDirectory(
        Path.of(System.getProperty("grey.bench.dir", System.getProperty("java.io.tmpdir"))), "grey-cloud-bench-");
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "grey-bench cloud: %d rounds, %d x 4 KiB, %d x 1 MiB and %d x 64 MiB ops per round per"
        + " contender, s3proxy 4.1.0 (filesystem, %s) in this JVM, Azurite (in memory) from npm, %d cores, java %s%n",
        rounds, smallOps, mediumOps, largeOps, work, Runtime.getRuntime().availableProcessors(), Runtime.version());
    out.println("raw-s3: AWS SDK v2 PutObject(RequestBody.fromInputStream, known length) / GetObject to a null sink;"
        + " SDK default integrity: CRC32 trailer on put (aws-chunked, signed over http), responses validated"
        + " WHEN_SUPPORTED; same Apache client settings as S3Store (64 connections, no 100-continue)");
    out.println("grey-s3 extra work: SHA-256 of the body before sending (x-amz-checksum-sha256 + metadata), one HEAD"
        + " after each put, SHA-256 verified on get; above 16 MiB the body is spilled to a file and sent as 8 MiB"
        + " parts, 4 in flight");
    out.println("raw-azure: BlobClient.upload(stream, length, overwrite) (one Put Blob up to 256 MiB, no client-side"
        + " checksum) / downloadStream to a null sink; same JDK HTTP client on virtual threads, one try per call");
    out.println("grey-azure extra work: SHA-256 while reading the body, above 8 MiB staged 8 MiB blocks 4 in flight +"
        + " Put Block List; get as one streamed GET (the async client's body read through a bounded window), SHA-256"
        + " verified");
    out.println("probes: each piece of Grey's extra work timed alone in the same run; 'X instead of Y' costs X - Y;"
        + " 'as S3Store' = S3Store's client settings (checksums WHEN_REQUIRED) and headers (metadata,"
        + " x-amz-checksum-sha256); \"grey's blob\" = the blob grey-azure wrote (block-committed above 8 MiB)");
    try (S3ProxyHost s3 = S3ProxyHost.start(Files.createDirectories(work.resolve("s3proxy")));
        AzuriteServer azurite = AzuriteServer.start();
        S3Client rawClient = S3Clients.raw(s3.endpoint());
        S3Client likeStore = S3Clients.likeS3Store(s3.endpoint())) {
      rawClient.createBucket(b -> b.bucket("grey-bench"));
      rawClient.createBucket(b -> b.bucket("raw-bench"));
      RawS3Contender rawS3 = new RawS3Contender(rawClient, "raw-bench");
      try (StoreContender greyS3 = StoreContender.s3(s3.endpoint(), "grey-bench", work.resolve("spill"));
          RawAzureContender rawAzure = RawAzureContender.open(azurite);
          StoreContender greyAzure = StoreContender.azure(azurite)) {
        List<Contender> contenders = List.of(rawS3, greyS3, rawAzure, greyAzure);
        BenchTable table = BenchTable.forFormat(out);
        for (int size : sizes(System.getProperty("grey.bench.sizes", "4K,1M,64M"))) {
          int ops = size == SMALL ? smallOps : size == MEDIUM ? mediumOps : largeOps;
          Map<String, Measurement> results = EndToEndBench.measure(contenders, size, ops, rounds, false);
          List<Probe> probes = probes(size, likeStore, rawS3, rawAzure, work.resolve("spill"));
          Map<Probe, Measurement> probed = measure(probes, size, ops, rounds);
          report(table, size, results, probed);
        }
      }
    } finally {
      EndToEndBench.deleteTree(work);
    }
  }

  private static List<Probe> probes(int size, S3Client likeStore, RawS3Contender rawS3, RawAzureContender rawAzure,
      Path spillDir) throws Exception {
    byte[] payload = payload(size);
    // The key EndToEndBench.measure wrote first for this size, so reads find an object of this size.
    String written = "obj-" + size + "-0";
    String scratch = "probe-" + size;
    String greyBlob = "artifacts/bench/t/" + written;
    RawS3Contender asStore = RawS3Contender.asS3Store(likeStore, "raw-bench", payload);
    Files.createDirectories(spillDir);
    List<Probe> probes = new ArrayList<>();
    probes.add(Probe.instead("probe: s3 put as S3Store sends it", "raw-s3 put",
        () -> asStore.put(scratch, payload), "grey-s3 put"));
    if (size > S3Config.DEFAULT_MULTIPART_THRESHOLD) {
      probes.add(Probe.instead("probe: s3 multipart as S3Store", "probe: s3 put as S3Store sends it",
          () -> asStore.putMultipart(scratch, payload, (int) S3Config.DEFAULT_PART_SIZE,
              S3Config.DEFAULT_MAX_PARALLEL_PARTS), "grey-s3 put"));
      probes.add(Probe.added("probe: spill body to a file", "raw-s3 put", () -> spill(payload, spillDir),
          "grey-s3 put"));
    }
    probes.add(Probe.added("probe: s3 HEAD", "raw-s3 put", () -> rawS3.head(written), "grey-s3 put"));
    probes.add(Probe.added("probe: sha-256 of the body", "raw-s3 put", () -> sha256(payload),
        "grey-s3 put", "grey-s3 get", "grey-azure put", "grey-azure get"));
    probes.add(Probe.instead("probe: s3 get as S3Store", "raw-s3 get",
        () -> check(asStore.get(written, OutputStream.nullOutputStream()), size), "grey-s3 get"));
    if (size > AzureBlobConfig.DEFAULT_BLOCK_SIZE) {
      probes.add(Probe.instead("probe: azure blocks 8 MiB x4", "raw-azure put",
          () -> rawAzure.putInBlocks(scratch, payload, AzureBlobConfig.DEFAULT_BLOCK_SIZE,
              AzureBlobConfig.DEFAULT_MAX_PARALLEL_BLOCKS), "grey-azure put"));
    }
    probes.add(Probe.instead("probe: azure downloadStream grey's blob", "raw-azure get",
        () -> check(rawAzure.downloadStream("grey-artifacts", greyBlob, OutputStream.nullOutputStream()), size),
        "grey-azure get"));
    return probes;
  }

  private static Map<Probe, Measurement> measure(List<Probe> probes, int size, int ops, int rounds)
      throws Exception {
    Map<Probe, List<Long>> times = new LinkedHashMap<>();
    for (int round = -1; round < rounds; round++) {
      for (int p = 0; p < probes.size(); p++) {
        Probe probe = probes.get(Math.floorMod(p + round, probes.size()));
        List<Long> probeTimes = times.computeIfAbsent(probe, k -> new ArrayList<>());
        for (int i = 0; i < ops; i++) {
          long t0 = System.nanoTime();
          probe.action().run();
          long t1 = System.nanoTime();
          if (round >= 0) {
            probeTimes.add(t1 - t0);
          }
        }
      }
    }
    Map<Probe, Measurement> results = new LinkedHashMap<>();
    for (Probe probe : probes) {
      results.put(probe, new Measurement(probe.label(), size, EndToEndBench.toArray(times.get(probe))));
    }
    return results;
  }

  private static void report(BenchTable table, int size, Map<String, Measurement> results,
      Map<Probe, Measurement> probed) {
    List<String> explanations = new ArrayList<>();
    StringBuilder ratios = new StringBuilder("ratios " + BenchTable.size(size) + ":");
    for (String cloud : List.of("s3", "azure")) {
      for (String op : List.of("put", "get")) {
        Measurement raw = results.get("raw-" + cloud + " " + op);
        Measurement grey = results.get("grey-" + cloud + " " + op);
        table.row(raw, raw);
        table.row(grey, raw);
        double ratio = grey.medianNanos() / raw.medianNanos();
        ratios.append(String.format(Locale.ROOT, " %s %s %.2fx;", cloud, op, ratio));
        if (ratio > GOAL) {
          explanations.add(explain(grey, raw, ratio, size, results, probed));
        }
      }
    }
    for (Map.Entry<Probe, Measurement> p : probed.entrySet()) {
      table.row(p.getValue(), baseline(p.getKey(), results, probed));
    }
    ratios.append(" goal <= ").append(String.format(Locale.ROOT, "%.2fx", GOAL))
        .append(size >= MEDIUM ? "" : " (stated for 1 MiB and above)");
    table.note(ratios.toString());
    explanations.forEach(table::note);
  }

  private static String explain(Measurement grey, Measurement raw, double ratio, int size,
      Map<String, Measurement> results, Map<Probe, Measurement> probed) {
    double gap = grey.medianNanos() - raw.medianNanos();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "above goal: %s %s %.2fx, +%s over %s; measured:",
        grey.label(), BenchTable.size(size), ratio, BenchTable.millis(gap), raw.label()));
    double accounted = 0;
    for (Map.Entry<Probe, Measurement> p : probed.entrySet()) {
      Probe probe = p.getKey();
      if (!probe.explains().contains(grey.label())) {
        continue;
      }
      double cost = probe.instead()
          ? p.getValue().medianNanos() - baseline(probe, results, probed).medianNanos()
          : p.getValue().medianNanos();
      accounted += cost;
      line.append(' ').append(probe.label().substring("probe: ".length()))
          .append(probe.instead() ? " instead of " + probe.baseline().replace("probe: ", "") + " " : " ")
          .append(cost >= 0 ? "+" : "").append(BenchTable.millis(cost)).append(';');
    }
    line.append(" together ").append(BenchTable.millis(accounted)).append(" of the ").append(BenchTable.millis(gap))
        .append(", unaccounted ").append(BenchTable.millis(gap - accounted));
    return line.toString();
  }

  /** Sizes such as {@code 4K,1M,64M}; a subset of the default ones keeps a profiling run short. */
  private static int[] sizes(String list) {
    return java.util.Arrays.stream(list.split(",")).map(String::strip).mapToInt(s -> switch (s.toUpperCase(Locale.ROOT)) {
      case "4K" -> SMALL;
      case "1M" -> MEDIUM;
      case "64M" -> LARGE;
      default -> throw new IllegalArgumentException("grey.bench.sizes: '" + s + "' is not one of 4K, 1M, 64M");
    }).toArray();
  }

  /** The measurement a probe is compared with: a contender's operation or an earlier probe. */
  private static Measurement baseline(Probe probe, Map<String, Measurement> results, Map<Probe, Measurement> probed) {
    Measurement m = results.get(probe.baseline());
    if (m != null) {
      return m;
    }
    return probed.entrySet().stream().filter(e -> e.getKey().label().equals(probe.baseline()))
        .map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new IllegalStateException("no measurement '" + probe.baseline() + "' for " + probe.label()));
  }

  private static byte[] payload(int size) {
    byte[] payload = new byte[size];
    new SplittableRandom(size).nextBytes(payload);
    return payload;
  }

  private static void sha256(byte[] payload) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    // Chunked like a stream read, so the timing matches hashing while the body is read.
    for (int off = 0; off < payload.length; off += 64 * 1024) {
      digest.update(payload, off, Math.min(64 * 1024, payload.length - off));
    }
    digest.digest();
  }

  private static void spill(byte[] payload, Path dir) throws Exception {
    Path file = Files.createTempFile(dir, "probe-", ".spill");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int off = 0; off < payload.length; off += 256 * 1024) {
        out.write(payload, off, Math.min(256 * 1024, payload.length - off));
      }
    } finally {
      Files.delete(file);
    }
  }

  private static void check(long read, int size) {
    if (read != size) {
      throw new IllegalStateException("read " + read + " bytes of an object of " + size);
    }
  }
}
