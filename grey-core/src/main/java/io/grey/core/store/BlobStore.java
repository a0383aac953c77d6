package io.grey.core.store;

import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import java.io.InputStream;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The storage SPI: one small API that every backend (local, S3, GCS, Azure), every layer and the multi-cloud
 * store implement. Bodies are streams, never whole byte arrays, so an object of any size moves in constant
 * memory. Implementations are thread-safe.
 *
 * <p>Durability: when {@link #put} returns, the bytes are durable in this store (for the local store: on disk
 * after fsync; for a cloud: acknowledged by the service). A put is atomic: a concurrent or later reader sees
 * the previous object or the new one, never a mix.
 */
public interface BlobStore extends AutoCloseable {

  /** The configured name of this store, used in metrics, logs and errors (for example {@code aws}). */
  String name();

  /** What this store supports. */
  Capabilities capabilities();

  /**
   * Writes {@code body} under {@code key}, replacing any existing object, if {@code options.condition()} holds.
   * Reads the body to EOF (or exactly {@code contentLength} bytes when known; a body shorter or longer than
   * that is rejected with {@link io.grey.core.InvalidRequestException} and nothing is written). Does not close
   * the stream.
   *
   * @return the new version's info, including its SHA-256 and version token
   * @throws io.grey.core.PreconditionFailedException if the condition does not hold; nothing was written
   */
  ObjectInfo put(ObjectKey key, InputStream body, PutOptions options);

  /**
   * Opens {@code range} of the current version of {@code key} for reading. The caller closes the result.
   *
   * @throws NotFoundException if there is no object
   * @throws io.grey.core.RangeNotSatisfiableException if the range starts beyond the end
   */
  ObjectContent get(ObjectKey key, ReadRange range);

  /** Opens the whole object; the stream verifies the SHA-256 at EOF. */
  default ObjectContent get(ObjectKey key) {
    return get(key, ReadRange.all());
  }

  /** What the store records about {@code key}, or empty if there is no object. */
  Optional<ObjectInfo> head(ObjectKey key);

  /** One page of keys in lexicographic order. */
  ListPage list(ListRequest request);

  /** Deletes {@code key}; idempotent. Returns whether an object was there. */
  boolean delete(ObjectKey key);

  /**
   * The tags of {@code key}.
   *
   * @throws NotFoundException if there is no object
   */
  Map<String, String> getTags(ObjectKey key);

  /**
   * Replaces the tags of {@code key} without changing its body or version.
   *
   * @throws NotFoundException if there is no object
   */
  void setTags(ObjectKey key, Map<String, String> tags);

  /**
   * A URL that lets its holder perform {@code request.method()} on {@code key} until the TTL runs out, with no
   * other credentials. A tampered or expired URL is refused by whoever serves it.
   *
   * @throws io.grey.core.InvalidRequestException if the store has no presign capability
   */
  URI presign(ObjectKey key, PresignRequest request);

  /** Every object under {@code prefix}, page by page, in lexicographic order. */
  default Iterable<ObjectInfo> listAll(String prefix) {
    return () -> new Iterator<>() {
      private ListRequest request = ListRequest.prefix(prefix);
      private Iterator<ObjectInfo> page = List.<ObjectInfo>of().iterator();
      private boolean last;

      @Override
      public boolean hasNext() {
        while (!page.hasNext() && !last) {
          ListPage next = list(request);
          page = next.objects().iterator();
          Optional<String> token = next.next();
          if (token.isPresent()) {
            request = request.after(token.get());
          } else {
            last = true;
          }
        }
        return page.hasNext();
      }

      @Override
      public ObjectInfo next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.next();
      }
    };
  }

  /** Releases the store's resources (connections, threads). */
  @Override
  void close();
}
