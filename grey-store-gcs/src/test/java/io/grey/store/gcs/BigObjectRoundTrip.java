package io.grey.store.gcs;

import io.grey.core.ObjectKey;
import io.grey.core.store.Digests;
import io.grey.core.store.HashingInputStream;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.testkit.DeterministicBody;
import io.grey.testkit.GcsEmulator;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Child-JVM program of {@link BigObjectMemoryTest}: puts a generated body of the given size with the default
 * chunk size, reads it back whole (verified), and prints the digests, timings and the peak heap use.
 */
public final class BigObjectRoundTrip {
  private BigObjectRoundTrip() {}

  /** Arguments: endpoint, bucket, key file, size in bytes. Exit status 0 only if the bytes match. */
  public static void main(String[] args) throws Exception {
    GcsConfig config = GcsConfig.of(GcsEmulator.PROJECT, args[1]).withEndpoint(args[0])
        .withCredentials(GcsCredentials.serviceAccountKey(Path.of(args[2])));
    long size = Long.parseLong(args[3]);
    ObjectKey key = ObjectKey.of("big/object");
    long started = System.nanoTime();
    try (GcsStore store = GcsStore.create(config)) {
      HashingInputStream body = new HashingInputStream(DeterministicBody.of(42, size).open());
      ObjectInfo put = store.put(key, body, PutOptions.ofLength(size));
      String sent = body.sha256Hex();
      long written = System.nanoTime();
      MessageDigest digest = Digests.sha256();
      long read = 0;
      try (ObjectContent content = store.get(key); InputStream in = content.stream()) {
        byte[] buf = new byte[256 * 1024];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          digest.update(buf, 0, n);
          read += n;
        }
      }
      String received = Digests.hex(digest);
      long done = System.nanoTime();
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.printf("sent=%s recorded=%s received=%s read=%d version=%s put_s=%.1f get_s=%.1f peak_heap_mib=%d"
              + " max_heap_mib=%d%n", sent, put.sha256(), received, read, put.version(),
          (written - started) / 1e9, (done - written) / 1e9, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
      boolean ok = sent.equals(put.sha256()) && sent.equals(received) && read == size && put.size() == size;
      System.exit(ok ? 0 : 1);
    }
  }
}
