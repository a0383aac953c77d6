package io.grey.multicloud;

import io.grey.core.store.BlobStore;
import io.grey.core.store.ObjectInfo;
import java.util.Map;
import java.util.TreeMap;

/** What one replica holds, for comparing replicas in tests. */
final class Replicas {
  private Replicas() {}

  /** Key to SHA-256 of every object under {@code prefix}, Grey's reserved probe keys left out. */
  static Map<String, String> digests(BlobStore store, String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (ObjectInfo o : store.listAll(prefix)) {
      if (!HealthMonitor.reserved(o.key())) {
        out.put(o.key().value(), o.sha256());
      }
    }
    return out;
  }
}
