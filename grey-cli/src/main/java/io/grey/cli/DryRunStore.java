package io.grey.cli;

import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import java.io.InputStream;
import java.util.Map;

/**
 * A store that reads through to another and only pretends to delete: {@code delete} reports whether the object
 * exists and leaves it there. Lets {@code grey lifecycle run --dry-run} run the real sweeper and report what it
 * would remove. Writes are refused. As thread-safe as the wrapped store.
 */
final class DryRunStore extends ForwardingBlobStore {
  DryRunStore(BlobStore inner) {
    super(inner);
  }

  @Override
  public boolean delete(ObjectKey key) {
    return inner().head(key).isPresent();
  }

  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    throw new InvalidRequestException("dry run: not writing " + key);
  }

  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    throw new InvalidRequestException("dry run: not changing the tags of " + key);
  }
}
