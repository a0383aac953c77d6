package io.grey.multicloud;

import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.core.store.WriteCondition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings one key of a target store to the current state of the same key in a source store. The copy is of the
 * state the source holds <em>now</em>, never of a remembered body, and is conditional on the target's version
 * where the target supports it, so an older state can never overwrite a newer one that another writer put there
 * meanwhile. After writing it checks the source again and repeats if the key changed during the copy, so when it
 * returns the target held the source's state at a moment after the call began.
 */
final class Copier {
  /** The metadata key under which a replica records the version token of the store that took the write. */
  static final String ORIGIN = "grey-origin-version";

  /** The metadata key under which a replica records when the write target's version was written. */
  static final String ORIGIN_MODIFIED = "grey-origin-modified";

  private static final int ROUNDS = 8;

  private Copier() {}

  /**
   * Makes {@code target} hold what {@code source} holds for {@code key}: the same body, content type, metadata and
   * tags, or no object.
   *
   * @throws io.grey.core.GreyException from either store; the caller retries later
   */
  static void bringUpToDate(BlobStore source, BlobStore target, ObjectKey key) {
    for (int round = 0; round < ROUNDS; round++) {
      Optional<ObjectInfo> src = source.head(key);
      if (src.isEmpty()) {
        target.delete(key);
        if (source.head(key).isEmpty()) {
          return;
        }
        continue;
      }
      Optional<ObjectInfo> tgt = target.head(key);
      boolean tags = source.capabilities().tags() && target.capabilities().tags();
      if (tgt.isPresent() && sameState(src.get(), tgt.get())) {
        if (tags) {
          Map<String, String> want = source.getTags(key);
          if (!want.equals(target.getTags(key))) {
            target.setTags(key, want);
          }
        }
        if (source.head(key).map(now -> sameVersion(now, src.get())).orElse(false)) {
          return;
        }
        continue;
      }
      ObjectInfo copied;
      try (ObjectContent body = source.get(key)) {
        copied = body.info();
        Map<String, String> metadata = new HashMap<>(copied.metadata());
        metadata.put(ORIGIN, origin(copied));
        metadata.put(ORIGIN_MODIFIED, logical(copied).lastModified().toString());
        Map<String, String> tagValues = tags ? source.getTags(key) : Map.of();
        WriteCondition condition = !target.capabilities().conditionalWrite() ? WriteCondition.none()
            : tgt.map(t -> WriteCondition.ifVersion(t.version())).orElse(WriteCondition.ifAbsent());
        target.put(key, body.stream(), new PutOptions(copied.size(), condition, copied.contentType(),
            target.capabilities().userMetadata() ? metadata : Map.of(), tagValues));
      } catch (NotFoundException | PreconditionFailedException e) {
        // The source lost the key or another copy got to the target first: look again.
        continue;
      }
      if (source.head(key).map(now -> sameVersion(now, copied)).orElse(false)) {
        return;
      }
    }
    throw new StoreUnavailableException("key " + key + " kept changing in store '" + source.name()
        + "' while it was copied to '" + target.name() + "'; will try again");
  }

  /** The version token of the write this object came from: the origin's, or the store's own for an original. */
  static String origin(ObjectInfo info) {
    return info.metadata().getOrDefault(ORIGIN, info.version());
  }

  /** {@code info} as Grey reports it: the origin's version token and no replication metadata. */
  static ObjectInfo logical(ObjectInfo info) {
    if (!info.metadata().containsKey(ORIGIN)) {
      return info;
    }
    Map<String, String> metadata = new HashMap<>(info.metadata());
    String origin = metadata.remove(ORIGIN);
    String modified = metadata.remove(ORIGIN_MODIFIED);
    Instant at = info.lastModified();
    try {
      at = modified == null ? at : Instant.parse(modified);
    } catch (DateTimeParseException e) {
      // A replica written by hand: its own time is the best there is.
    }
    return new ObjectInfo(info.key(), info.size(), info.sha256(), origin, at, info.contentType(), metadata);
  }

  /** Refuses user metadata that would pass for replication metadata. */
  static void checkUserMetadata(Map<String, String> metadata) {
    for (String k : List.of(ORIGIN, ORIGIN_MODIFIED)) {
      if (metadata.containsKey(k)) {
        throw new InvalidRequestException("metadata key '" + k + "' is reserved for replication");
      }
    }
  }

  private static boolean sameVersion(ObjectInfo a, ObjectInfo b) {
    return a.sha256().equals(b.sha256()) && origin(a).equals(origin(b));
  }

  private static boolean sameState(ObjectInfo src, ObjectInfo tgt) {
    ObjectInfo l = logical(tgt);
    return sameVersion(src, tgt) && src.contentType().equals(l.contentType())
        && logical(src).metadata().equals(l.metadata());
  }
}
