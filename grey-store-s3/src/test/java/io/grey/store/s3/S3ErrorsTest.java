package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.AccessDeniedException;
import io.grey.core.GreyException;
import io.grey.core.InvalidRequestException;
import io.grey.core.NotFoundException;
import io.grey.core.PreconditionFailedException;
import io.grey.core.RangeNotSatisfiableException;
import io.grey.core.StoreUnavailableException;
import io.grey.core.ThrottledException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3's answers, as the SDK reports them, become the Grey error a caller can act on. */
class S3ErrorsTest {

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of(404, "NoSuchKey", NotFoundException.class, false),
        Arguments.of(404, "NoSuchBucket", NotFoundException.class, false),
        Arguments.of(412, "PreconditionFailed", PreconditionFailedException.class, false),
        Arguments.of(409, "ConditionalRequestConflict", PreconditionFailedException.class, false),
        Arguments.of(416, "InvalidRange", RangeNotSatisfiableException.class, false),
        Arguments.of(403, "AccessDenied", AccessDeniedException.class, false),
        Arguments.of(403, "SignatureDoesNotMatch", AccessDeniedException.class, false),
        Arguments.of(403, "InvalidAccessKeyId", AccessDeniedException.class, false),
        Arguments.of(503, "SlowDown", ThrottledException.class, true),
        Arguments.of(429, "TooManyRequests", ThrottledException.class, true),
        Arguments.of(400, "Throttling", ThrottledException.class, true),
        Arguments.of(500, "InternalError", StoreUnavailableException.class, true),
        Arguments.of(503, "ServiceUnavailable", StoreUnavailableException.class, true),
        Arguments.of(501, "NotImplemented", InvalidRequestException.class, false),
        Arguments.of(400, "EntityTooSmall", InvalidRequestException.class, false),
        Arguments.of(409, "BucketNotEmpty", InvalidRequestException.class, false));
  }

  @ParameterizedTest(name = "HTTP {0} {1} is {2}")
  @MethodSource("answers")
  void serviceAnswerMapsToTheGreyError(int status, String code, Class<? extends GreyException> expected,
      boolean retryable) {
    SdkException answer = S3Exception.builder().statusCode(status).requestId("REQ123")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("detail").build()).build();

    GreyException error = S3Errors.map("aws", "put a/b", answer);

    assertThat(error).as("Grey error for HTTP %d %s", status, code).isInstanceOf(expected);
    assertThat(error.retryable()).as("retryable for HTTP %d %s", status, code).isEqualTo(retryable);
    assertThat(error.getMessage()).as("message names store, operation, status, code and request id")
        .contains("'aws'", "put a/b", String.valueOf(status), code, "REQ123");
  }

  @ParameterizedTest(name = "client failure {0}")
  @MethodSource("clientFailures")
  void clientSideFailureIsARetryableStoreUnavailable(String message) {
    GreyException error = S3Errors.map("aws", "get a/b", SdkClientException.create(message));

    assertThat(error).as("error for a client-side failure").isInstanceOf(StoreUnavailableException.class);
    assertThat(error.retryable()).as("retryable").isTrue();
  }

  static Stream<String> clientFailures() {
    return Stream.of("Unable to execute HTTP request: Connection refused", "Read timed out");
  }
}
