package io.grey.core.store;

import io.grey.core.ObjectKey;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** A store that forwards every call to {@code inner}; layers extend it and override what they change. */
public abstract class ForwardingBlobStore implements BlobStore {
  protected final BlobStore inner;

  protected ForwardingBlobStore(BlobStore inner) {
    this.inner = inner;
  }

  /** The wrapped store. */
  public BlobStore inner() {
    return inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public Capabilities capabilities() {
    return inner.capabilities();
  }

  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    return inner.put(key, body, options);
  }

  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    return inner.get(key, range);
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    return inner.head(key);
  }

  @Override
  public ListPage list(ListRequest request) {
    return inner.list(request);
  }

  @Override
  public boolean delete(ObjectKey key) {
    return inner.delete(key);
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    return inner.getTags(key);
  }

  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    inner.setTags(key, tags);
  }

  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    return inner.presign(key, request);
  }

  @Override
  public void close() {
    inner.close();
  }
}
