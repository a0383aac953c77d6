package io.grey.core.layer;

import io.grey.core.GreyException;
import io.grey.core.ObjectKey;
import io.grey.core.audit.AuditEntry;
import io.grey.core.audit.AuditLog;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ForwardingBlobStore;
import io.grey.core.store.Layer;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.WriteCondition;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes one {@link AuditLog} entry for every call that changes something or hands out access: {@code put},
 * {@code delete}, {@code set_tags} and {@code presign}, successful or not. The actor is
 * {@link CallContext#actor()}; the store is the wrapped store's name; the result is {@code ok} or the error code
 * ({@code internal} for exceptions that are not Grey errors). Details: for a put the condition and, when it
 * succeeded, size, SHA-256 and version; for a delete whether an object was there; for set_tags the number of
 * tags; for presign the method and TTL in seconds. Reads are not audited.
 *
 * <p>The entry is appended after the call returns. If the append fails, a call that succeeded throws the audit
 * log's error (the change is made but unrecorded, and the caller must know); a call that failed throws its own
 * error with the audit error attached as suppressed. Thread-safe.
 */
public final class AuditLayer implements Layer {
  /** The result recorded for exceptions that are not Grey errors. */
  public static final String INTERNAL_ERROR = "internal";

  private final AuditLog log;

  /** A layer appending to {@code log}; the caller keeps ownership of the log and closes it. */
  public AuditLayer(AuditLog log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Returns {@code inner} with its mutating calls audited; behaviour and results are unchanged. */
  @Override
  public BlobStore wrap(BlobStore inner) {
    return new AuditedStore(Objects.requireNonNull(inner, "inner"));
  }

  private final class AuditedStore extends ForwardingBlobStore {
    AuditedStore(BlobStore inner) {
      super(inner);
    }

    private <T> T audited(
        String action, ObjectKey key, Map<String, String> details, Supplier<T> call,
        Function<T, Map<String, String>> outcome) {
      String actor = CallContext.actor();
      T result;
      try {
        result = call.get();
      } catch (RuntimeException | Error e) {
        String code = e instanceof GreyException grey ? grey.code() : INTERNAL_ERROR;
        try {
          log.append(AuditEntry.failed(actor, action, inner.name(), key.value(), code, details));
        } catch (RuntimeException auditFailure) {
          e.addSuppressed(auditFailure);
        }
        throw e;
      }
      Map<String, String> all = new LinkedHashMap<>(details);
      all.putAll(outcome.apply(result));
      log.append(AuditEntry.ok(actor, action, inner.name(), key.value(), all));
      return result;
    }

    @Override
    public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
      return audited("put", key, Map.of("condition", describe(options.condition())),
          () -> inner.put(key, body, options),
          info -> Map.of(
              "size", Long.toString(info.size()),
              "sha256", info.sha256(),
              "version", info.version()));
    }

    @Override
    public boolean delete(ObjectKey key) {
      return audited("delete", key, Map.of(), () -> inner.delete(key),
          existed -> Map.of("existed", Boolean.toString(existed)));
    }

    @Override
    public void setTags(ObjectKey key, Map<String, String> tags) {
      audited("set_tags", key, Map.of("tag_count", Integer.toString(tags.size())), () -> {
        inner.setTags(key, tags);
        return Boolean.TRUE;
      }, ignored -> Map.of());
    }

    @Override
    public URI presign(ObjectKey key, PresignRequest request) {
      return audited("presign", key,
          Map.of("method", request.method().name(), "ttl_seconds", Long.toString(request.ttl().toSeconds())),
          () -> inner.presign(key, request), uri -> Map.of());
    }
  }

  private static String describe(WriteCondition condition) {
    return switch (condition) {
      case WriteCondition.None none -> "none";
      case WriteCondition.IfAbsent ifAbsent -> "if_absent";
      case WriteCondition.IfVersion ifVersion -> "if_version " + ifVersion.version();
    };
  }
}
