package io.grey.store.gcs;

import com.google.api.core.ApiClock;
import com.google.api.gax.paging.Page;
import com.google.auth.Credentials;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageClass;
import com.google.cloud.storage.StorageOptions;
import io.grey.core.AccessDeniedException;
import io.grey.core.ConfigException;
import io.grey.core.InvalidKeyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.Capabilities;
import io.grey.core.store.Digests;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.Tags;
import io.grey.core.store.VerifyingInputStream;
import io.grey.core.store.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Grey's store on Google Cloud Storage, through the official {@code google-cloud-storage} client (JSON API over
 * HTTP). Thread-safe.
 *
 * <p>Layout: key {@code k} is the object {@code prefix + k} of the configured bucket. Custom metadata holds the
 * user metadata, the tags and the body's SHA-256 ({@link MetadataNames}).
 *
 * <p>Version token: the object's <em>generation</em>, which Cloud Storage changes on every write of the body and
 * never reuses for a name (a deleted and re-created object gets a new one). Metadata changes (tags) raise only the
 * metageneration, so they keep the version. Write conditions are generation preconditions evaluated by Cloud
 * Storage with the write: if-absent is {@code ifGenerationMatch=0}, if-version is
 * {@code ifGenerationMatch=<generation>}; no condition is ever checked by a read before the write.
 *
 * <p>Durability and atomicity: a body of at most {@code chunk_size} bytes is hashed in memory and sent in one
 * multipart request with its metadata (the client sends the CRC32C, which the service checks). A longer body
 * streams as a resumable upload in {@code chunk_size} chunks to a fresh staging object
 * {@code prefix + ".grey-uploads/<uuid>"} while its SHA-256 is computed; then one rewrite, carrying the write
 * condition, makes the target object from it with the final metadata, and the staging object is deleted. A
 * rewrite within one bucket, storage class and key copies no bytes. So no reader ever sees an object without its
 * digest, a failed or refused put leaves the target untouched, and when put returns Cloud Storage has
 * acknowledged the object. A put that dies between the two steps leaves a staging object, which listings skip and
 * the lifecycle rule of {@link GcsLifecycle} deletes after a day.
 *
 * <p>This backend does not retry (the client is built with one attempt; Grey's retry layer retries), records no
 * metrics and applies no policy.
 */
public final class GcsStore implements BlobStore {
  /** Where bodies longer than one chunk are staged, under the configured prefix. */
  static final String UPLOADS = ".grey-uploads/";
  // A generation replaced between reading its metadata and opening its bytes is read again; under constant
  // overwrites each attempt has a fair chance, so several are allowed before giving up.
  private static final int READ_ATTEMPTS = 16;
  private static final int SET_TAGS_ATTEMPTS = 5;

  private final GcsConfig config;
  private final Storage storage;
  private final boolean canSign;

  private GcsStore(GcsConfig config, Storage storage, boolean canSign) {
    this.config = config;
    this.storage = storage;
    this.canSign = canSign;
  }

  /**
   * Connects to the bucket of {@code config} with its credentials, creating the bucket in the configured location
   * when it does not exist (credentials that may not read the bucket, such as {@code roles/storage.objectAdmin},
   * skip that check and use the bucket as it is).
   *
   * @throws AccessDeniedException if no credentials are found or the service refuses them
   * @throws StoreUnavailableException if the service cannot be reached
   * @throws ConfigException if the service-account key file cannot be read
   */
  public static GcsStore create(GcsConfig config) {
    return create(config, Clock.systemUTC());
  }

  /** As {@link #create(GcsConfig)}, with the clock that dates signed URLs. */
  public static GcsStore create(GcsConfig config, Clock clock) {
    Credentials credentials = credentials(config.credentials());
    StorageOptions.Builder options = StorageOptions.http()
        .setProjectId(config.projectId())
        .setCredentials(credentials)
        .setClock(apiClock(clock))
        // One try per call: Grey's retry layer owns retries and their backoff.
        .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder().setMaxAttempts(1).build());
    if (!config.endpoint().isEmpty()) {
      options.setHost(config.endpoint());
    }
    Storage storage = options.build().getService();
    try {
      ensureBucket(storage, config);
    } catch (RuntimeException e) {
      closeQuietly(storage);
      throw e;
    }
    return new GcsStore(config, storage, credentials instanceof ServiceAccountSigner);
  }

  /** The configuration this store was built from. */
  public GcsConfig config() {
    return config;
  }

  /** The client this store talks through, for bucket-level calls of this module (lifecycle). */
  Storage storage() {
    return storage;
  }

  /** The object name of {@code key} in the bucket. */
  public String objectName(ObjectKey key) {
    return config.prefix() + key.value();
  }

  @Override
  public String name() {
    return config.name();
  }

  /** Everything; presign only when the credentials can sign (a service-account key or workload identity). */
  @Override
  public Capabilities capabilities() {
    return Capabilities.full().withPresign(canSign);
  }

  @Override
  public ObjectInfo put(ObjectKey key, InputStream body, PutOptions options) {
    String name = objectName(key);
    List<Storage.BlobTargetOption> conditions = targetOptions(options.condition());
    MessageDigest sha = Digests.sha256();
    int chunk = config.chunkSize();
    long declared = options.contentLength();
    try {
      byte[] head;
      boolean small;
      if (options.lengthKnown()) {
        int want = (int) Math.min(declared, chunk);
        head = body.readNBytes(want);
        if (head.length < want) {
          throw shortBody(key, declared, head.length);
        }
        small = declared <= chunk;
        if (small && body.read() >= 0) {
          throw longBody(key, declared);
        }
      } else {
        head = body.readNBytes(chunk + 1);
        small = head.length <= chunk;
      }
      sha.update(head);
      if (small) {
        BlobInfo target = target(name, options, Digests.hex(sha));
        List<Storage.BlobTargetOption> all = new ArrayList<>(conditions);
        all.add(Storage.BlobTargetOption.disableGzipContent());
        Blob blob = storage.create(target, head, all.toArray(Storage.BlobTargetOption[]::new));
        return info(key, blob);
      }
      return putStaged(key, name, head, body, sha, options, conditions);
    } catch (IOException e) {
      throw new InvalidRequestException("store '" + name() + "': put " + key + ": reading the body failed: "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw GcsErrors.map(name(), "put " + key, e);
    }
  }

  private ObjectInfo putStaged(ObjectKey key, String name, byte[] head, InputStream body, MessageDigest sha,
      PutOptions options, List<Storage.BlobTargetOption> conditions) throws IOException {
    String staging = config.prefix() + UPLOADS + UUID.randomUUID();
    BlobInfo.Builder stagingInfo = BlobInfo.newBuilder(BlobId.of(config.bucket(), staging))
        .setContentType(options.contentType());
    if (!config.storageClass().isEmpty()) {
      stagingInfo.setStorageClass(StorageClass.valueOf(config.storageClass()));
    }
    List<Storage.BlobWriteOption> write = new ArrayList<>();
    write.add(Storage.BlobWriteOption.doesNotExist());
    write.add(Storage.BlobWriteOption.disableGzipContent());
    if (!config.kmsKey().isEmpty()) {
      write.add(Storage.BlobWriteOption.kmsKeyName(config.kmsKey()));
    }
    long declared = options.contentLength();
    long total = head.length;
    WriteChannel channel = storage.writer(stagingInfo.build(), write.toArray(Storage.BlobWriteOption[]::new));
    channel.setChunkSize(config.chunkSize());
    // A body that turns out shorter or longer than declared is abandoned before the final chunk, so its upload
    // session never becomes an object (Cloud Storage discards unfinished sessions after a week).
    writeFully(channel, head, head.length);
    byte[] buf = new byte[Math.min(config.chunkSize(), 1 << 20)];
    for (int n = body.read(buf); n >= 0; n = body.read(buf)) {
      if (options.lengthKnown() && total + n > declared) {
        throw longBody(key, declared);
      }
      sha.update(buf, 0, n);
      writeFully(channel, buf, n);
      total += n;
    }
    if (options.lengthKnown() && total != declared) {
      throw shortBody(key, declared, total);
    }
    channel.close();
    BlobId stagingId = BlobId.of(config.bucket(), staging);
    try {
      Storage.CopyRequest rewrite = Storage.CopyRequest.newBuilder()
          .setSource(stagingId)
          .setTarget(target(name, options, Digests.hex(sha)), conditions)
          .build();
      return info(key, storage.copy(rewrite).getResult());
    } finally {
      try {
        storage.delete(stagingId);
      } catch (RuntimeException e) {
        // A leftover staging object must not hide the outcome of the put; listings skip it and the lifecycle
        // rule removes it.
      }
    }
  }

  private static void writeFully(WriteChannel channel, byte[] bytes, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private InvalidRequestException shortBody(ObjectKey key, long declared, long got) {
    return new InvalidRequestException("store '" + name() + "': put " + key + ": body ended after " + got
        + " bytes but its declared length is " + declared + "; nothing was written");
  }

  private InvalidRequestException longBody(ObjectKey key, long declared) {
    return new InvalidRequestException("store '" + name() + "': put " + key + ": body is longer than its declared"
        + " length " + declared + "; nothing was written");
  }

  private BlobInfo target(String name, PutOptions options, String sha256) {
    BlobInfo.Builder b = BlobInfo.newBuilder(BlobId.of(config.bucket(), name))
        .setContentType(options.contentType())
        .setMetadata(MetadataNames.toGcs(options.metadata(), options.tags(), sha256));
    if (!config.storageClass().isEmpty()) {
      b.setStorageClass(StorageClass.valueOf(config.storageClass()));
    }
    return b.build();
  }

  /** The generation precondition (and the CMEK key) of a write under {@code condition}. */
  private List<Storage.BlobTargetOption> targetOptions(WriteCondition condition) {
    List<Storage.BlobTargetOption> out = new ArrayList<>();
    switch (condition) {
      case WriteCondition.None none -> { }
      case WriteCondition.IfAbsent absent -> out.add(Storage.BlobTargetOption.doesNotExist());
      case WriteCondition.IfVersion ifVersion -> out.add(Storage.BlobTargetOption.generationMatch(
          generation(ifVersion.version())));
    }
    if (!config.kmsKey().isEmpty()) {
      out.add(Storage.BlobTargetOption.kmsKeyName(config.kmsKey()));
    }
    return out;
  }

  private long generation(String version) {
    try {
      long generation = Long.parseLong(version);
      if (generation > 0) {
        return generation;
      }
    } catch (NumberFormatException e) {
      // Falls through: not a token this store hands out, so it matches no object.
    }
    throw new PreconditionFailedException("store '" + name() + "': version '" + version
        + "' is not a generation of this store, so it matches no object; nothing was written");
  }

  @Override
  public ObjectContent get(ObjectKey key, ReadRange range) {
    String name = objectName(key);
    for (int attempt = 1; ; attempt++) {
      Blob blob = blob(key).orElseThrow(() -> new NotFoundException("store '" + name() + "': no object " + key));
      ObjectInfo info = info(key, blob);
      if (range.offset() > info.size()) {
        throw new RangeNotSatisfiableException("store '" + name() + "': range offset " + range.offset()
            + " is beyond the end of " + key + " (" + info.size() + " bytes)");
      }
      long length = range.lengthWithin(info.size());
      InputStream stream;
      if (length == 0) {
        stream = InputStream.nullInputStream();
      } else {
        Optional<InputStream> opened = open(key, name, blob.getGeneration(), range.offset(), length);
        if (opened.isEmpty()) {
          if (attempt < READ_ATTEMPTS) {
            continue;
          }
          throw new StoreUnavailableException("store '" + name() + "': " + key + " kept being replaced while it"
              + " was opened (" + READ_ATTEMPTS + " attempts)");
        }
        stream = opened.get();
      }
      if (range.isAll() && !info.sha256().isEmpty()) {
        stream = new VerifyingInputStream(stream, info.sha256(), info.size(), config.bucket() + "/" + name);
      }
      return new ObjectContent(info, range, stream);
    }
  }

  /**
   * Opens the bytes of exactly {@code generation}, so that metadata and body belong to the same write; empty when
   * that generation was replaced between reading its metadata and opening it (the caller reads the new one).
   */
  private Optional<InputStream> open(ObjectKey key, String name, long generation, long offset, long length) {
    ReadChannel channel = storage.reader(BlobId.of(config.bucket(), name, generation));
    try {
      channel.seek(offset);
      channel.limit(offset + length);
      PushbackInputStream in = new PushbackInputStream(Channels.newInputStream(channel), 1);
      // The first read sends the request; a replaced generation answers 404 here.
      int first = in.read();
      if (first < 0) {
        in.close();
        throw new StoreUnavailableException("store '" + name() + "': " + key + " ended before its first byte");
      }
      in.unread(first);
      return Optional.of(in);
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (GcsErrors.status(e) == 404) {
        return Optional.empty();
      }
      throw GcsErrors.map(name(), "read " + key, e);
    }
  }

  @Override
  public Optional<ObjectInfo> head(ObjectKey key) {
    return blob(key).map(b -> info(key, b));
  }

  private Optional<Blob> blob(ObjectKey key) {
    try {
      return Optional.ofNullable(storage.get(BlobId.of(config.bucket(), objectName(key))));
    } catch (RuntimeException e) {
      throw GcsErrors.map(name(), "read metadata of " + key, e);
    }
  }

  /**
   * One page of keys, from one listing request in the usual case: Cloud Storage lists names in UTF-8 byte order,
   * which is code point order, and its listings carry the custom metadata, so no per-key request is needed.
   */
  @Override
  public ListPage list(ListRequest request) {
    String serverPrefix = config.prefix() + request.prefix();
    String after = request.startAfter().isEmpty() ? "" : config.prefix() + request.startAfter();
    String uploads = config.prefix() + UPLOADS;
    List<Storage.BlobListOption> options = new ArrayList<>();
    options.add(Storage.BlobListOption.prefix(serverPrefix));
    options.add(Storage.BlobListOption.pageSize(Math.min(ListRequest.MAX_LIMIT, request.limit() + 2)));
    if (!after.isEmpty() && ObjectKey.LEXICOGRAPHIC.compare(after, serverPrefix) > 0) {
      // startOffset is inclusive: the name equal to startAfter is dropped below.
      options.add(Storage.BlobListOption.startOffset(after));
    }
    List<ObjectInfo> found = new ArrayList<>();
    try {
      Page<Blob> page = storage.list(config.bucket(), options.toArray(Storage.BlobListOption[]::new));
      for (Blob blob : page.iterateAll()) {
        String name = blob.getName();
        if (!name.startsWith(serverPrefix) || name.startsWith(uploads)
            || (!after.isEmpty() && ObjectKey.LEXICOGRAPHIC.compare(name, after) <= 0)) {
          continue;
        }
        ObjectKey key;
        try {
          key = ObjectKey.of(name.substring(config.prefix().length()));
        } catch (InvalidKeyException e) {
          // Written by another tool under a name Grey cannot address: not part of Grey's view.
          continue;
        }
        found.add(info(key, blob));
        if (found.size() > request.limit()) {
          break;
        }
      }
    } catch (RuntimeException e) {
      throw GcsErrors.map(name(), "list " + serverPrefix + "*", e);
    }
    if (found.size() <= request.limit()) {
      return new ListPage(found, "");
    }
    List<ObjectInfo> page = found.subList(0, request.limit());
    return new ListPage(page, page.getLast().key().value());
  }

  @Override
  public boolean delete(ObjectKey key) {
    try {
      return storage.delete(BlobId.of(config.bucket(), objectName(key)));
    } catch (RuntimeException e) {
      throw GcsErrors.map(name(), "delete " + key, e);
    }
  }

  @Override
  public Map<String, String> getTags(ObjectKey key) {
    Blob blob = blob(key).orElseThrow(() -> new NotFoundException("store '" + name() + "': no object " + key));
    return Map.copyOf(MetadataNames.tags(blob.getMetadata()));
  }

  /**
   * Replaces the tags with one metadata patch conditioned on the generation and metageneration just read, so a
   * concurrent rewrite or retag is never overwritten; the generation, and so the version, stays the same.
   */
  @Override
  public void setTags(ObjectKey key, Map<String, String> tags) {
    Tags.validate(tags);
    for (int attempt = 1; ; attempt++) {
      Blob blob = blob(key).orElseThrow(() -> new NotFoundException("store '" + name() + "': no object " + key));
      BlobInfo patch = BlobInfo.newBuilder(BlobId.of(config.bucket(), blob.getName(), blob.getGeneration()))
          .setMetadata(MetadataNames.tagPatch(blob.getMetadata(), tags))
          .build();
      try {
        storage.update(patch, Storage.BlobTargetOption.generationMatch(blob.getGeneration()),
            Storage.BlobTargetOption.metagenerationMatch(blob.getMetageneration()));
        return;
      } catch (RuntimeException e) {
        int status = GcsErrors.status(e);
        if ((status == 412 || status == 404) && attempt < SET_TAGS_ATTEMPTS) {
          continue;
        }
        throw GcsErrors.map(name(), "set tags of " + key, e);
      }
    }
  }

  /**
   * A V4 signed URL ({@code GOOG4-RSA-SHA256}) for this one object, signed with the store's service-account key
   * (or, under workload identity, by the IAM signBlob API), valid from now until the TTL, which may not exceed
   * {@code presign_max_ttl}. An object uploaded through a PUT URL has no recorded digest, so whole reads of it are
   * not verified.
   */
  @Override
  public URI presign(ObjectKey key, PresignRequest request) {
    if (!canSign) {
      throw new InvalidRequestException("store '" + name() + "' cannot presign: its credentials cannot sign (give"
          + " gcp.credentials.service_account_key or run with a service-account identity)");
    }
    if (request.ttl().compareTo(config.presignMaxTtl()) > 0) {
      throw new InvalidRequestException("presign ttl " + request.ttl() + " exceeds the configured maximum "
          + config.presignMaxTtl() + " of store '" + name() + "'");
    }
    List<Storage.SignUrlOption> options = new ArrayList<>();
    options.add(Storage.SignUrlOption.withV4Signature());
    options.add(Storage.SignUrlOption.withPathStyle());
    options.add(Storage.SignUrlOption.httpMethod(switch (request.method()) {
      case GET -> HttpMethod.GET;
      case PUT -> HttpMethod.PUT;
    }));
    if (!config.endpoint().isEmpty()) {
      options.add(Storage.SignUrlOption.withHostName(config.endpoint()));
    }
    try {
      return storage.signUrl(BlobInfo.newBuilder(BlobId.of(config.bucket(), objectName(key))).build(),
          request.ttl().toSeconds(), TimeUnit.SECONDS, options.toArray(Storage.SignUrlOption[]::new)).toURI();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the client signed a URL that is not a URI", e);
    } catch (RuntimeException e) {
      throw GcsErrors.map(name(), "presign " + key, e);
    }
  }

  @Override
  public void close() {
    closeQuietly(storage);
  }

  // ---------------------------------------------------------------- mapping

  private ObjectInfo info(ObjectKey key, Blob blob) {
    Map<String, String> metadata = blob.getMetadata();
    Long created = blob.getCreateTime();
    return new ObjectInfo(key, blob.getSize() == null ? 0 : blob.getSize(),
        MetadataNames.sha256(metadata).orElse(""), Long.toString(blob.getGeneration()),
        created == null ? Instant.EPOCH : Instant.ofEpochMilli(created),
        blob.getContentType() == null ? PutOptions.DEFAULT_CONTENT_TYPE : blob.getContentType(),
        MetadataNames.userMetadata(metadata));
  }

  private static Credentials credentials(GcsCredentials source) {
    return switch (source) {
      case GcsCredentials.ServiceAccountKey key -> {
        try (InputStream in = Files.newInputStream(key.file())) {
          yield ServiceAccountCredentials.fromStream(in);
        } catch (IOException | RuntimeException e) {
          // The message of the auth library names the problem (missing field, bad PEM) but never the key itself.
          throw new ConfigException("gcp.credentials.service_account_key " + key.file()
              + " cannot be read as a service-account key: " + e.getMessage(), e);
        }
      }
      case GcsCredentials.DefaultChain chain -> {
        try {
          yield GoogleCredentials.getApplicationDefault();
        } catch (IOException e) {
          throw new AccessDeniedException("gcp: no Application Default Credentials found (no"
              + " GOOGLE_APPLICATION_CREDENTIALS, gcloud login or metadata server): " + e.getMessage(), e);
        }
      }
    };
  }

  private static void ensureBucket(Storage storage, GcsConfig config) {
    try {
      if (storage.get(config.bucket()) != null) {
        return;
      }
    } catch (RuntimeException e) {
      if (GcsErrors.status(e) == 403) {
        // roles/storage.objectAdmin may use objects but not read the bucket: assume it exists, and let the first
        // object call report it if it does not.
        return;
      }
      throw GcsErrors.map(config.name(), "open bucket " + config.bucket(), e);
    }
    try {
      BucketInfo.Builder bucket = BucketInfo.newBuilder(config.bucket()).setLocation(config.location());
      if (!config.storageClass().isEmpty()) {
        bucket.setStorageClass(StorageClass.valueOf(config.storageClass()));
      }
      storage.create(bucket.build());
    } catch (RuntimeException e) {
      if (GcsErrors.status(e) == 409) {
        return;
      }
      throw GcsErrors.map(config.name(), "open bucket " + config.bucket(), e);
    }
  }

  private static ApiClock apiClock(Clock clock) {
    long offsetNanos = System.nanoTime() - clock.millis() * 1_000_000L;
    return new ApiClock() {
      @Override
      public long nanoTime() {
        // Signing timestamps come from millisTime; nanoTime only has to advance with the clock.
        return clock.millis() * 1_000_000L + offsetNanos;
      }

      @Override
      public long millisTime() {
        return clock.millis();
      }
    };
  }

  private static void closeQuietly(Storage storage) {
    try {
      storage.close();
    } catch (Exception e) {
      // Closing releases client threads; a failure leaves nothing to clean up.
    }
  }
}
