package io.grey.store.s3;

import io.grey.core.ConfigException;

/**
 * The server-side encryption S3 applies to every object Grey writes, from {@code aws.s3.encryption}: none asked
 * (the bucket's default encryption applies), {@code AES256} (SSE-S3, keys managed by S3) or {@code aws:kms}
 * (SSE-KMS, with the customer-managed key {@code kms_key_id}, or the account's {@code aws/s3} key when it is
 * empty). Sent on every PutObject and CreateMultipartUpload; S3 then encrypts and decrypts transparently, so reads
 * need no header. Immutable; validated on construction.
 *
 * @param type "" (bucket default), {@code AES256} or {@code aws:kms}
 * @param kmsKeyId the KMS key (id, ARN, alias name or alias ARN) for {@code aws:kms}, or ""
 * @param bucketKey for {@code aws:kms}: true asks S3 to use an S3 Bucket Key (fewer KMS requests); false sends no
 *     such header, so the bucket's own setting applies
 */
public record S3Encryption(String type, String kmsKeyId, boolean bucketKey) {
  /** SSE-S3. */
  public static final String AES256 = "AES256";
  /** SSE-KMS. */
  public static final String KMS = "aws:kms";

  public S3Encryption {
    type = type == null ? "" : type.strip();
    kmsKeyId = kmsKeyId == null ? "" : kmsKeyId.strip();
    if (!type.isEmpty() && !type.equals(AES256) && !type.equals(KMS)) {
      throw new ConfigException("aws.s3.encryption.type '" + type + "' must be aws:kms (SSE-KMS) or AES256 (SSE-S3)");
    }
    if (!kmsKeyId.isEmpty() && !type.equals(KMS)) {
      throw new ConfigException("aws.s3.encryption.kms_key_id is only used with type aws:kms"
          + (type.isEmpty() ? "; add type: aws:kms" : ", not " + type));
    }
    if (bucketKey && !type.equals(KMS)) {
      throw new ConfigException("aws.s3.encryption.bucket_key only applies to type aws:kms");
    }
  }

  /** No encryption header: the bucket's default encryption applies. */
  public static S3Encryption bucketDefault() {
    return new S3Encryption("", "", false);
  }

  /** SSE-S3 (S3-managed keys). */
  public static S3Encryption s3Managed() {
    return new S3Encryption(AES256, "", false);
  }

  /** SSE-KMS with {@code keyId} ("" for the account's {@code aws/s3} key). */
  public static S3Encryption kms(String keyId) {
    return new S3Encryption(KMS, keyId, false);
  }

  /** This encryption asking for an S3 Bucket Key. */
  public S3Encryption withBucketKey() {
    return new S3Encryption(type, kmsKeyId, true);
  }

  /** Whether Grey sends encryption headers at all. */
  public boolean requested() {
    return !type.isEmpty();
  }

  /** How {@code grey config validate} shows it (key ids are not secrets). */
  String describe() {
    if (type.isEmpty()) {
      return "bucket default encryption";
    }
    if (type.equals(AES256)) {
      return "SSE-S3 (AES256)";
    }
    return "SSE-KMS with " + (kmsKeyId.isEmpty() ? "the account's aws/s3 key" : "key " + kmsKeyId)
        + (bucketKey ? ", S3 Bucket Key" : "");
  }
}
