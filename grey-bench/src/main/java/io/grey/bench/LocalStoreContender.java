package io.grey.bench;

import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.PutOptions;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/** Grey's local store, called in-process, with SHA-256 recorded on write and verified on read. */
final class LocalStoreContender implements Contender {
  private final LocalStore store;

  private LocalStoreContender(LocalStore store) {
    this.store = store;
  }

  static LocalStoreContender open(Path root) {
    return new LocalStoreContender(LocalStore.open(LocalStoreOptions.of(root).withName("bench")));
  }

  @Override
  public String label() {
    return "local";
  }

  @Override
  public void put(String name, byte[] payload) {
    store.put(ObjectKey.of("artifacts/bench/t/" + name), new ByteArrayInputStream(payload), PutOptions.ofLength(payload.length));
  }

  @Override
  public long get(String name, OutputStream sink) throws Exception {
    try (ObjectContent content = store.get(ObjectKey.of("artifacts/bench/t/" + name));
        InputStream in = content.stream()) {
      return in.transferTo(sink);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
