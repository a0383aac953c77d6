package io.grey.multicloud;

import io.grey.core.store.BlobStore;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Local directory stores under one scratch directory, and a multi-cloud store over them. */
final class LocalStores {
  private LocalStores() {}

  /** One local store per name, at {@code scratch/<name>}. */
  static Map<String, BlobStore> open(Path scratch, List<String> names) {
    Map<String, BlobStore> out = new LinkedHashMap<>();
    for (String n : names) {
      out.put(n, LocalStore.open(LocalStoreOptions.of(scratch.resolve(n)).withName(n)));
    }
    return out;
  }

  /** A config over {@code names} (primary first) with every class in {@code mode}; extra names declared local. */
  static MultiCloudConfig config(Path scratch, List<String> names, MultiCloudConfig.Mode mode) {
    Map<String, MultiCloudConfig.StoreSpec> declared = new LinkedHashMap<>();
    for (String n : names) {
      if (!MultiCloudConfig.SECTION_STORES.contains(n)) {
        declared.put(n, new MultiCloudConfig.StoreSpec(MultiCloudConfig.Backend.LOCAL,
            java.util.Optional.of(scratch.resolve(n))));
      }
    }
    return MultiCloudConfig.of(names, mode, declared);
  }

  /** A multi-cloud store over {@code stores} with its outbox under {@code scratch/data}; probes not started. */
  static MultiCloudStore multi(MultiCloudConfig config, Map<String, BlobStore> stores, Path dataDir) {
    return MultiCloudStore.create(config, stores, dataDir, Clock.systemUTC(), new SimpleMeterRegistry(), false);
  }
}
