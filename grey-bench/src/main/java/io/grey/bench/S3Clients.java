package io.grey.bench;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The raw AWS SDK v2 client the S3 baseline uses: the HTTP client type and connection settings S3Store builds
 * (Apache, 64 connections, no {@code Expect: 100-continue}, 10 s connect and 60 s socket timeouts) and
 * everything else at the SDK's defaults, including its default integrity behaviour (a CRC32 trailer on uploads,
 * {@code WHEN_SUPPORTED} validation of downloads).
 */
final class S3Clients {
  private S3Clients() {}

  static S3Client raw(URI endpoint) {
    return builder(endpoint).build();
  }

  /**
   * A client configured as S3Store configures its own (checksums only when S3 requires them, no retries), for
   * probes that send exactly the requests the store sends.
   */
  static S3Client likeS3Store(URI endpoint) {
    return builder(endpoint)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private static S3ClientBuilder builder(URI endpoint) {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3ProxyHost.ACCESS_KEY, S3ProxyHost.SECRET_KEY)))
        .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
        .httpClientBuilder(ApacheHttpClient.builder()
            .maxConnections(64)
            .expectContinueEnabled(false)
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)));
  }
}
