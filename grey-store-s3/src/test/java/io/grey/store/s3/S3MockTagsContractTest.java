package io.grey.store.s3;

import io.grey.core.store.BlobStore;
import io.grey.testkit.BlobStoreContract;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The contract's tag behaviours, and the key-layout behaviours s3proxy's file-backed stores cannot show, against
 * Adobe S3Mock, which implements object tagging. S3Mock takes over a minute to start on a busy machine, so this
 * class runs only when asked: {@code -Dgrey.s3.s3mockJar=<s3mock-5.2.0-exec.jar>} (it is started as a child JVM)
 * or {@code -Dgrey.s3.s3mockEndpoint=http://127.0.0.1:<port>} (already running). S3Mock ignores signatures and
 * its conditional PUT is not atomic, so nothing about auth or races is checked here; like s3proxy it lists in
 * UTF-16 rather than UTF-8 byte order, so the unicode listing order is not checked here either.
 */
@ExtendWith(S3MockTagsContractTest.OnlyWhatS3MockShows.class)
class S3MockTagsContractTest extends BlobStoreContract {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static Process s3mock;
  private static URI endpoint;
  private static S3Client admin;

  @BeforeAll
  static void startS3Mock() throws Exception {
    String given = System.getProperty("grey.s3.s3mockEndpoint", "");
    String jar = System.getProperty("grey.s3.s3mockJar", "");
    Assumptions.assumeTrue(!given.isEmpty() || !jar.isEmpty(),
        "S3Mock not configured: pass -Dgrey.s3.s3mockJar=<path to s3mock-5.2.0-exec.jar> to run the tag contract");
    if (given.isEmpty()) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path log = Files.createTempFile("s3mock", ".log");
      s3mock = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx512m", "-jar", jar, "--http.port=" + port, "--server.port=0"))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      endpoint = URI.create("http://127.0.0.1:" + port);
    } else {
      endpoint = URI.create(given);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      Awaitility.await("S3Mock answering at " + endpoint).atMost(Duration.ofSeconds(240))
          .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .until(() -> http.send(HttpRequest.newBuilder(endpoint).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200);
    }
    admin = S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }

  @AfterAll
  static void stopS3Mock() throws InterruptedException {
    if (admin != null) {
      admin.close();
    }
    if (s3mock != null) {
      s3mock.destroy();
      if (!s3mock.waitFor(30, TimeUnit.SECONDS)) {
        s3mock.destroyForcibly();
      }
    }
  }

  @Override
  protected BlobStore openStore(Path scratch) {
    String bucket = "grey-mock-" + BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid();
    admin.createBucket(b -> b.bucket(bucket));
    return S3Store.create(S3Config.of(bucket, "us-east-1").withEndpoint(endpoint.toString(), true)
        .withCredentials(S3Credentials.of("any", "any")).withSpillDir(scratch));
  }

  /** Runs the tag behaviours and the key-layout behaviours; S3Mock is not the reference for the rest. */
  static final class OnlyWhatS3MockShows implements ExecutionCondition {
    private static final Set<String> SHOWN = Set.of(
        "tagsGivenAtPutAreReadable", "objectPutWithoutTagsHasNone", "setTagsReplacesAllTagsAndKeepsBodyAndVersion",
        "setTagsWithNoTagsClearsThem", "getTagsOfAnAbsentKeyIsNotFound", "setTagsOfAnAbsentKeyIsNotFoundAndCreatesNothing",
        "overwriteWithoutTagsClearsTags", "bodyShorterThanDeclaredLengthLeavesThePreviousObjectUntouched",
        "ifAbsentOnAnExistingKeyFailsAndChangesNothing", "keyThatIsAFolderOfAnotherKeyCoexistsWithIt",
        "prefixEndingInSlashSelectsOnlyThatFolder", "prefixIsAPlainStringPrefixIncludingSiblingsThatExtendIt",
        "deleteLeavesNeighbouringKeysAlone");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getTestMethod().map(Method::getName)
          .map(name -> SHOWN.contains(name)
              ? ConditionEvaluationResult.enabled("S3Mock shows " + name)
              : ConditionEvaluationResult.disabled("checked against s3proxy in S3StoreContractTest, not S3Mock"))
          .orElse(ConditionEvaluationResult.enabled("class level"));
    }
  }
}
