package io.grey.core.store;

/**
 * What a store can do. The behaviour contract skips exactly the behaviours a capability says are absent,
 * and callers check before relying on an optional feature.
 *
 * @param conditionalWrite if-absent and if-version writes are atomic on the server
 * @param tags per-object tags
 * @param userMetadata per-object user metadata
 * @param rangedRead reads from an offset
 * @param unknownLengthPut puts from streams of unknown length
 * @param presign presigned URLs
 */
public record Capabilities(
    boolean conditionalWrite,
    boolean tags,
    boolean userMetadata,
    boolean rangedRead,
    boolean unknownLengthPut,
    boolean presign) {

  /** Everything on. */
  public static Capabilities full() {
    return new Capabilities(true, true, true, true, true, true);
  }

  public Capabilities withPresign(boolean on) {
    return new Capabilities(conditionalWrite, tags, userMetadata, rangedRead, unknownLengthPut, on);
  }

  public Capabilities withConditionalWrite(boolean on) {
    return new Capabilities(on, tags, userMetadata, rangedRead, unknownLengthPut, presign);
  }

  public Capabilities withTags(boolean on) {
    return new Capabilities(conditionalWrite, on, userMetadata, rangedRead, unknownLengthPut, presign);
  }
}
