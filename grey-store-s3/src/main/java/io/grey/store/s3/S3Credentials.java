package io.grey.store.s3;

import io.grey.core.ConfigException;

/**
 * Where the S3 store gets its AWS credentials: the SDK's default chain (environment, instance profile, IRSA web
 * identity, profile files) or one explicit key pair. Immutable; {@code toString} never shows the secret.
 */
public sealed interface S3Credentials {

  /** The SDK's default provider chain, resolved when the store makes its first call. */
  record DefaultChain() implements S3Credentials {}

  /**
   * One explicit access key pair ({@code aws.credentials.access_key_id} and {@code secret_access_key}).
   *
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret; never printed
   */
  record Static(String accessKeyId, String secretAccessKey) implements S3Credentials {
    public Static {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new ConfigException("aws.credentials.access_key_id must not be empty when a secret access key is given");
      }
      if (secretAccessKey == null || secretAccessKey.isBlank()) {
        throw new ConfigException("aws.credentials.secret_access_key must not be empty when an access key id is given");
      }
    }

    /** Shows neither the key id nor the secret, so a logged config leaks no credential. */
    @Override
    public String toString() {
      return "Static[accessKeyId=<redacted>, secretAccessKey=<redacted>]";
    }
  }

  /** The SDK default chain. */
  static S3Credentials defaultChain() {
    return new DefaultChain();
  }

  /** An explicit key pair. */
  static S3Credentials of(String accessKeyId, String secretAccessKey) {
    return new Static(accessKeyId, secretAccessKey);
  }
}
