package io.grey.core.artifact;

import io.grey.core.ArtifactName;
import io.grey.core.DataClass;
import io.grey.core.IntegrityException;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.TaskId;
import io.grey.core.Tenant;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.core.store.Tags;
import io.grey.core.store.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The artifact and proof API of Grey over any {@link BlobStore}: keys are built from validated tenant, task and
 * name (so no input reaches outside its tenant), every object carries the cost tags {@code grey-tenant-id},
 * {@code grey-task-id} and {@code grey-environment}, and proofs are signed with the node's key. Durability is
 * the underlying store's: when a store method returns, the store holds the bytes. Thread-safe.
 *
 * <p>On a store without the tags capability (an S3 store with {@code aws.s3.tags: false}, for servers that do not
 * implement object tagging) objects are written without cost tags, and a warning says so once, when the artifact
 * store is built; tenant and task stay recoverable from every key. Tags a caller asks for are still passed on, so
 * such a store refuses them with an {@link InvalidRequestException} rather than dropping them silently.
 */
public final class ArtifactStore {
  /** Cost tag: the tenant that owns the object. */
  public static final String TAG_TENANT = "grey-tenant-id";
  /** Cost tag: the task the object belongs to. */
  public static final String TAG_TASK = "grey-task-id";
  /** Cost tag: the deployment environment from the config. */
  public static final String TAG_ENVIRONMENT = "grey-environment";

  private static final List<String> COST_TAGS = List.of(TAG_TENANT, TAG_TASK, TAG_ENVIRONMENT);
  private static final int MAX_PROOF_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);

  private final BlobStore store;
  private final NodeKey nodeKey;
  private final String environment;
  private final Clock clock;
  private final boolean costTags;

  /**
   * An artifact store over {@code store}, signing proofs with {@code nodeKey}, tagging objects with
   * {@code environment} and timestamping proofs by {@code clock}.
   *
   * @throws InvalidRequestException if {@code environment} is not a valid tag value
   */
  public ArtifactStore(BlobStore store, NodeKey nodeKey, String environment, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(environment, "environment");
    if (environment.isBlank()) {
      throw new InvalidRequestException("environment must not be empty (it is the grey-environment cost tag)");
    }
    Tags.validate(Map.of(TAG_ENVIRONMENT, environment));
    this.environment = environment;
    this.costTags = store.capabilities().tags();
    if (!costTags) {
      LOG.warn("store '{}' has no tags capability: artifacts and proofs are written without the cost tags {}",
          store.name(), COST_TAGS);
    }
  }

  /**
   * Writes an artifact as {@code options} say (length, condition, content type, metadata, tags) plus the cost
   * tags when the store has the tags capability. Use {@code options.withCondition(WriteCondition.ifAbsent())} to
   * create only.
   *
   * @throws InvalidRequestException if a caller tag uses a cost tag's name (they cannot be overridden) or
   *     there are more than 7 caller tags; nothing is written
   * @throws PreconditionFailedException if the condition does not hold; nothing is written
   */
  public ObjectInfo storeArtifact(Tenant tenant, TaskId task, ArtifactName name, InputStream body,
                                  PutOptions options) {
    Map<String, String> tags = withCostTags(tenant, task, options.tags());
    return store.put(ObjectKey.artifact(tenant, task, name), body, options.withTags(tags));
  }

  /**
   * Writes an artifact of {@code length} bytes ({@link PutOptions#UNKNOWN_LENGTH} to read to EOF) with the
   * caller's {@code tags} plus the cost tags, unconditionally.
   */
  public ObjectInfo storeArtifactWithTags(Tenant tenant, TaskId task, ArtifactName name, InputStream body,
                                          long length, Map<String, String> tags) {
    return storeArtifact(tenant, task, name, body, PutOptions.defaults().withLength(length).withTags(tags));
  }

  /**
   * Replaces an artifact only if its current version is {@code expectedVersion} (compare-and-swap). The
   * condition is strict: an empty version is refused rather than taken to mean "absent"; create-only writes
   * go through {@link #storeArtifact} with {@link WriteCondition#ifAbsent()}.
   *
   * @throws PreconditionFailedException if the artifact is absent or at another version; nothing is written
   * @throws InvalidRequestException if {@code expectedVersion} is empty
   */
  public ObjectInfo storeArtifactIfVersion(Tenant tenant, TaskId task, ArtifactName name, InputStream body,
                                           long length, String expectedVersion) {
    return storeArtifact(tenant, task, name, body,
        PutOptions.defaults().withLength(length).withCondition(WriteCondition.ifVersion(expectedVersion)));
  }

  /**
   * Opens {@code range} of an artifact; the caller closes it. A whole-object read verifies its SHA-256.
   *
   * @throws io.grey.core.NotFoundException if there is no such artifact
   */
  public ObjectContent getArtifact(Tenant tenant, TaskId task, ArtifactName name, ReadRange range) {
    return store.get(ObjectKey.artifact(tenant, task, name), range);
  }

  /** What the store records about an artifact, or empty if there is none. */
  public Optional<ObjectInfo> headArtifact(Tenant tenant, TaskId task, ArtifactName name) {
    return store.head(ObjectKey.artifact(tenant, task, name));
  }

  /** Deletes an artifact; idempotent. Returns whether it existed. */
  public boolean deleteArtifact(Tenant tenant, TaskId task, ArtifactName name) {
    return store.delete(ObjectKey.artifact(tenant, task, name));
  }

  /**
   * One page of the task's artifacts ({@code artifacts/{tenant}/{task}/}) in key order.
   *
   * @param startAfter a full key from a previous page's {@code nextToken}, or "" to start at the beginning
   * @param limit at most this many (1-1000)
   */
  public ListPage listArtifacts(Tenant tenant, TaskId task, String startAfter, int limit) {
    return store.list(new ListRequest(taskPrefix(DataClass.ARTIFACT, tenant, task), startAfter, limit));
  }

  /**
   * A GET URL for an artifact valid for {@code ttl}.
   *
   * @throws InvalidRequestException if the store cannot presign or the ttl is outside 1 s to 7 d
   */
  public URI presignArtifact(Tenant tenant, TaskId task, ArtifactName name, Duration ttl) {
    return store.presign(ObjectKey.artifact(tenant, task, name), PresignRequest.get(ttl));
  }

  /**
   * Signs {@code claim} for the task with the node key at the clock's current second and stores it at
   * {@code proofs/{tenant}/{task}/{id}} if absent. Idempotent: storing the same claim in the same second
   * returns the proof already stored.
   *
   * @throws IntegrityException if an object with the proof's id exists but holds a different proof
   */
  public SignedProof storeProof(Tenant tenant, TaskId task, ProofClaim claim) {
    SignedProof proof = Proofs.sign(task.value(), claim, clock.instant().getEpochSecond(), nodeKey);
    ObjectKey key = ObjectKey.proof(tenant, task, proof.id());
    byte[] json = proof.toJson().getBytes(StandardCharsets.UTF_8);
    PutOptions options = PutOptions.ofLength(json.length)
        .withCondition(WriteCondition.ifAbsent())
        .withContentType("application/json")
        .withTags(withCostTags(tenant, task, Map.of()));
    try {
      store.put(key, new ByteArrayInputStream(json), options);
      return proof;
    } catch (PreconditionFailedException e) {
      SignedProof existing = parse(key, readProof(key));
      if (!existing.equals(proof)) {
        throw new IntegrityException("proof " + key + " already exists with different content", e);
      }
      return existing;
    }
  }

  /**
   * Every proof stored for the task, oldest first (ties by id).
   *
   * @throws IntegrityException if a stored proof is not valid proof JSON
   */
  public List<SignedProof> proofs(Tenant tenant, TaskId task) {
    List<SignedProof> out = new ArrayList<>();
    for (ObjectInfo info : store.listAll(taskPrefix(DataClass.PROOF, tenant, task))) {
      out.add(parse(info.key(), readProof(info.key())));
    }
    out.sort(Comparator.comparingLong(SignedProof::timestamp).thenComparing(SignedProof::id));
    return out;
  }

  /**
   * Reads a stored proof and checks it: its id and task_id match where it is stored, its key_id is this
   * node's key, its id is the hash of its fields and its signature verifies.
   *
   * @return valid, or invalid with the field or check that failed
   * @throws io.grey.core.NotFoundException if there is no such proof
   */
  public ProofVerification verifyProof(Tenant tenant, TaskId task, String proofId) {
    ObjectKey key = ObjectKey.proof(tenant, task, proofId);
    String json = readProof(key);
    SignedProof proof;
    try {
      proof = SignedProof.fromJson(json);
    } catch (InvalidRequestException e) {
      return ProofVerification.invalid("stored proof is malformed: " + e.getMessage());
    }
    if (!proof.id().equals(proofId)) {
      return ProofVerification.invalid("id '" + proof.id() + "' does not match the id it is stored under '"
          + proofId + "'");
    }
    if (!proof.taskId().equals(task.value())) {
      return ProofVerification.invalid("task_id '" + proof.taskId() + "' does not match the task it is stored"
          + " under '" + task.value() + "'");
    }
    if (!proof.keyId().equals(nodeKey.keyId())) {
      return ProofVerification.invalid("key_id '" + proof.keyId() + "' is not this node's key '"
          + nodeKey.keyId() + "'");
    }
    return Proofs.verify(proof, nodeKey.publicKey());
  }

  private Map<String, String> withCostTags(Tenant tenant, TaskId task, Map<String, String> callerTags) {
    for (String name : callerTags.keySet()) {
      if (COST_TAGS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new InvalidRequestException("tag '" + name + "' is a cost tag Grey sets itself; remove it"
            + " (cost tags " + COST_TAGS + " cannot be overridden)");
      }
    }
    if (callerTags.size() > Tags.MAX_TAGS - COST_TAGS.size()) {
      throw new InvalidRequestException("at most " + (Tags.MAX_TAGS - COST_TAGS.size()) + " tags per artifact ("
          + COST_TAGS.size() + " of the " + Tags.MAX_TAGS + " are Grey's cost tags), got " + callerTags.size());
    }
    if (!costTags) {
      return callerTags;
    }
    Map<String, String> tags = new HashMap<>(callerTags);
    tags.put(TAG_TENANT, tenant.value());
    tags.put(TAG_TASK, task.value());
    tags.put(TAG_ENVIRONMENT, environment);
    return tags;
  }

  private static String taskPrefix(DataClass dataClass, Tenant tenant, TaskId task) {
    return ObjectKey.tenantPrefix(dataClass, tenant) + task.value() + "/";
  }

  private String readProof(ObjectKey key) {
    try (ObjectContent content = store.get(key); InputStream in = content.stream()) {
      byte[] bytes = in.readNBytes(MAX_PROOF_BYTES + 1);
      if (bytes.length > MAX_PROOF_BYTES) {
        throw new IntegrityException("proof " + key + " is larger than " + MAX_PROOF_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading proof " + key, e);
    }
  }

  private static SignedProof parse(ObjectKey key, String json) {
    try {
      return SignedProof.fromJson(json);
    } catch (InvalidRequestException e) {
      throw new IntegrityException("stored proof " + key + " is malformed: " + e.getMessage(), e);
    }
  }
}
