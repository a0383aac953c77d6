package io.grey.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.HashingInputStream;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import io.grey.core.store.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * Streams one body into a block blob: reads it in {@code block_size} chunks while hashing it, stages the chunks
 * as blocks on virtual threads with at most {@code max_parallel_blocks} in flight, and commits the block list
 * together with the metadata, the SHA-256 and the write condition. A body that fits in one block goes up in a
 * single Put Blob, which carries the same headers. Thread-safe; each call is independent.
 */
final class BlockUpload {
  /** Azure's limit of committed blocks per blob. */
  static final int MAX_BLOCKS = 50_000;
  private static final int UPLOAD_ID_BYTES = 16;

  private final AzureBlobConfig config;
  private final RandomGenerator random;

  BlockUpload(AzureBlobConfig config, RandomGenerator random) {
    this.config = config;
    this.random = random;
  }

  ObjectInfo put(ObjectKey key, BlockBlobClient blob, InputStream body, PutOptions options) {
    String where = blob.getContainerName() + "/" + key.value();
    HashingInputStream hashing = new HashingInputStream(body);
    Chunks chunks = new Chunks(hashing, config.blockSize(), options.contentLength());
    BlobHttpHeaders headers = new BlobHttpHeaders().setContentType(options.contentType());
    BlobRequestConditions conditions = AzureBlobStore.conditions(options.condition());
    AccessTier tier = config.accessTier().isEmpty() ? null : AccessTier.fromString(config.accessTier());
    Map<String, String> tags = options.tags().isEmpty() ? null : options.tags();

    byte[] first = chunks.next();
    BlockBlobItem committed;
    String sha256;
    if (chunks.ended()) {
      sha256 = hashing.sha256Hex();
      Map<String, String> metadata = MetadataNames.toAzure(options.metadata(), sha256, hashing.count());
      BlockBlobSimpleUploadOptions single = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(first))
          .setHeaders(headers).setMetadata(metadata).setTags(tags).setTier(tier).setRequestConditions(conditions);
      try {
        committed = blob.uploadWithResponse(single, null, Context.NONE).getValue();
      } catch (RuntimeException e) {
        throw AzureErrors.map("put", where, e);
      }
    } else {
      List<String> blockIds = stageAll(blob, where, chunks, first);
      sha256 = hashing.sha256Hex();
      Map<String, String> metadata = MetadataNames.toAzure(options.metadata(), sha256, hashing.count());
      BlockBlobCommitBlockListOptions commit = new BlockBlobCommitBlockListOptions(blockIds).setHeaders(headers)
          .setMetadata(metadata).setTags(tags).setTier(tier).setRequestConditions(conditions);
      try {
        committed = blob.commitBlockListWithResponse(commit, null, Context.NONE).getValue();
      } catch (RuntimeException e) {
        throw commitFailure(blob, where, options.condition(), e);
      }
    }
    return new ObjectInfo(key, hashing.count(), sha256, AzureBlobStore.version(committed.getETag()),
        committed.getLastModified().toInstant(), options.contentType(), options.metadata());
  }

  /** Stages every chunk of the body; returns the block ids in order, or throws having committed nothing. */
  private List<String> stageAll(BlockBlobClient blob, String where, Chunks chunks, byte[] first) {
    // Block ids are unique per upload (and of one length, as Azure requires for a blob), so racing uploads of the
    // same blob name never commit each other's blocks.
    byte[] uploadId = new byte[UPLOAD_ID_BYTES];
    random.nextBytes(uploadId);
    List<String> blockIds = new ArrayList<>();
    Semaphore inFlight = new Semaphore(config.maxParallelBlocks());
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    try (ExecutorService stagers = Executors.newVirtualThreadPerTaskExecutor()) {
      byte[] chunk = first;
      while (true) {
        if (blockIds.size() >= MAX_BLOCKS) {
          throw new InvalidRequestException("azure: body of " + where + " needs more than " + MAX_BLOCKS
              + " blocks of " + config.blockSize() + " bytes; raise block_size");
        }
        String blockId = blockId(uploadId, blockIds.size());
        blockIds.add(blockId);
        inFlight.acquireUninterruptibly();
        if (failure.get() != null) {
          inFlight.release();
          break;
        }
        BinaryData data = BinaryData.fromBytes(chunk);
        stagers.submit(() -> {
          try {
            blob.stageBlock(blockId, data);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
          } finally {
            inFlight.release();
          }
        });
        if (chunks.ended() || failure.get() != null) {
          break;
        }
        chunk = chunks.next();
      }
    }
    if (failure.get() != null) {
      throw AzureErrors.map("stage a block of", where, failure.get());
    }
    return blockIds;
  }

  /**
   * The error of a refused commit. When the staged blocks are gone because a concurrent commit to the same blob
   * discarded them, the caller's condition decides: it no longer holds, so the precondition failed.
   */
  private static GreyException commitFailure(
      BlockBlobClient blob, String where, WriteCondition condition, RuntimeException error) {
    if (!AzureErrors.isInvalidBlockList(error)) {
      return AzureErrors.map("commit", where, error);
    }
    if (!(condition instanceof WriteCondition.None)) {
      return new PreconditionFailedException("azure: commit of " + where
          + " lost to a concurrent commit of the same blob; the write condition no longer holds", error);
    }
    return new StoreUnavailableException("azure: commit of " + where
        + " lost its staged blocks to a concurrent commit of the same blob; nothing was written", error);
  }

  private static String blockId(byte[] uploadId, int index) {
    ByteBuffer id = ByteBuffer.allocate(UPLOAD_ID_BYTES + Integer.BYTES).put(uploadId).putInt(index);
    return Base64.getEncoder().encodeToString(id.array());
  }

  /**
   * Cuts a body into chunks of at most {@code size} bytes and notices its end without an extra empty chunk; a
   * known length is enforced: a short or long body is rejected before anything is committed.
   */
  private static final class Chunks {
    private final InputStream in;
    private final int size;
    private final long declared;
    private long delivered;
    private int carry = -1;
    private boolean ended;

    Chunks(InputStream in, int size, long declared) {
      this.in = in;
      this.size = size;
      this.declared = declared;
    }

    boolean ended() {
      return ended;
    }

    byte[] next() {
      try {
        int want = declared == PutOptions.UNKNOWN_LENGTH ? size : (int) Math.min(size, declared - delivered);
        byte[] chunk = new byte[want];
        int filled = 0;
        if (carry >= 0 && want > 0) {
          chunk[filled++] = (byte) carry;
          carry = -1;
        }
        filled += in.readNBytes(chunk, filled, want - filled);
        delivered += filled;
        if (filled < want) {
          if (declared != PutOptions.UNKNOWN_LENGTH) {
            throw new InvalidRequestException("body ended after " + delivered + " bytes, shorter than its declared"
                + " length " + declared + "; nothing was written");
          }
          ended = true;
          return java.util.Arrays.copyOf(chunk, filled);
        }
        // A full chunk: one more byte tells whether the body goes on.
        int probe = in.read();
        if (declared != PutOptions.UNKNOWN_LENGTH && delivered == declared) {
          if (probe >= 0) {
            throw new InvalidRequestException(
                "body is longer than its declared length " + declared + "; nothing was written");
          }
          ended = true;
        } else if (probe < 0) {
          if (declared != PutOptions.UNKNOWN_LENGTH) {
            throw new InvalidRequestException("body ended after " + delivered + " bytes, shorter than its declared"
                + " length " + declared + "; nothing was written");
          }
          ended = true;
        } else {
          carry = probe;
        }
        return chunk;
      } catch (IOException e) {
        throw new InvalidRequestException("reading the body failed after " + delivered + " bytes: " + e.getMessage()
            + "; nothing was written", e);
      }
    }
  }
}
