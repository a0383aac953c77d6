package io.grey.store.azure;

import io.grey.core.ObjectKey;
import io.grey.core.store.Digests;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.testkit.AzuriteServer;
import io.grey.testkit.DeterministicBody;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A child-JVM program that puts a large generated body into Azurite through {@link AzureBlobStore} and reads it
 * back verified, so a test can run it with a small heap: {@code <endpoint> <container suffix> <bytes>}.
 * Prints {@code OK <bytes> <sha256> <upload ms> <download ms> peak_heap_mib=<sum of the heap pools' peaks>}.
 */
public final class LargeRoundTrip {
  private LargeRoundTrip() {}

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String suffix = args[1];
    long size = Long.parseLong(args[2]);
    DeterministicBody body = DeterministicBody.of(2026, size);
    AzureBlobConfig config = AzureBlobConfig.of(AzuriteServer.ACCOUNT, AzuriteServer.KEY).withEndpoint(endpoint)
        .withContainers("artifacts-" + suffix, "proofs-" + suffix, "state-" + suffix);
    ObjectKey key = ObjectKey.of("artifacts/large/" + size);
    try (AzureBlobStore store = AzureBlobStore.create(config)) {
      long start = System.nanoTime();
      ObjectInfo put;
      try (InputStream in = body.open()) {
        put = store.put(key, in, PutOptions.defaults());
      }
      long uploaded = System.nanoTime();
      MessageDigest digest = Digests.sha256();
      long read = 0;
      try (ObjectContent content = store.get(key)) {
        byte[] buf = new byte[1 << 16];
        for (int n = content.stream().read(buf); n >= 0; n = content.stream().read(buf)) {
          digest.update(buf, 0, n);
          read += n;
        }
      }
      long downloaded = System.nanoTime();
      String sha = Digests.hex(digest);
      if (read != size || !sha.equals(put.sha256()) || put.size() != size) {
        System.out.println("MISMATCH put=" + put + " read=" + read + " sha=" + sha);
        System.exit(2);
      }
      long peakHeap = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
          .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
      System.out.println("OK " + size + " " + sha + " " + (uploaded - start) / 1_000_000 + " "
          + (downloaded - uploaded) / 1_000_000 + " peak_heap_mib=" + peakHeap / (1024 * 1024));
    }
  }
}
