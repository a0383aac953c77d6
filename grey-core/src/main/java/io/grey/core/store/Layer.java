package io.grey.core.store;

/**
 * A layer wraps any store and returns a store with one cross-cutting behaviour added (retry, metrics, tracing,
 * audit, encryption, tenant scoping). Backends never implement these themselves.
 */
@FunctionalInterface
public interface Layer {

  /** Returns {@code inner} with this layer's behaviour added. */
  BlobStore wrap(BlobStore inner);

  /** Wraps {@code store} in {@code layers}, the first layer innermost. */
  static BlobStore stack(BlobStore store, Layer... layers) {
    BlobStore result = store;
    for (Layer layer : layers) {
      result = layer.wrap(result);
    }
    return result;
  }
}
