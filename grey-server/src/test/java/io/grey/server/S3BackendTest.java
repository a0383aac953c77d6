package io.grey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.GreyConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A node whose config says {@code storage.backend: s3}, serving from an in-process s3proxy bucket through the
 * s3 provider found by the ServiceLoader. s3proxy does not implement object tagging, so the section turns
 * {@code tags} off: artifacts are then written without cost tags, and tags a client asks for are refused.
 */
class S3BackendTest {
  private static final String ACCESS_KEY = "grey-server-test-key";
  private static final String SECRET_KEY = "grey-server-test-secret-0123456789";
  private static final String BUCKET = "grey-server-test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static S3Proxy proxy;
  private static S3Client admin;

  @TempDir
  Path dir;
  private GreyServer node;

  @BeforeAll
  static void startS3() throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    Awaitility.await("s3proxy started").atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(proxy.getState()));
    admin = S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
    admin.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stopS3() throws Exception {
    admin.close();
    proxy.stop();
  }

  private static URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  @BeforeEach
  void startNode() {
    GreyConfig config = ConfigLoader.parse("""
        server:
          port: 0
          data_dir: data
        auth:
          tokens:
            - token: %s
              tenant: acme
        storage:
          backend: s3
        aws:
          region: us-east-1
          credentials:
            access_key_id: ${S3_KEY}
            secret_access_key: ${S3_SECRET}
          s3:
            bucket: %s
            endpoint: %s
            force_path_style: true
            tags: false
        """.formatted(TestNodes.TOKEN_A, BUCKET, endpoint()), "grey.yaml",
        Map.of("S3_KEY", ACCESS_KEY, "S3_SECRET", SECRET_KEY), dir);
    node = GreyServer.start(config);
  }

  @AfterEach
  void stopNode() {
    node.close();
  }

  @Test
  void anArtifactPutOverHttpLandsInTheBucketAndReadsBack() {
    HttpResponse<String> put = TestNodes.put(node, "/v1/artifacts/acme/t1/hello.txt", TestNodes.TOKEN_A, "hello s3");
    assertThat(put.statusCode()).as("put: %s", put.body()).isEqualTo(200);

    HttpResponse<String> get = TestNodes.get(node, "/v1/artifacts/acme/t1/hello.txt", TestNodes.TOKEN_A);
    assertThat(get.statusCode()).as("get: %s", get.body()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("hello s3");
    assertThat(admin.headObject(b -> b.bucket(BUCKET).key("artifacts/acme/t1/hello.txt")).contentLength())
        .as("the object is in the configured bucket, under its Grey key").isEqualTo(8L);
  }

  @Test
  void tagsAskedForOnAStoreWithoutTaggingAreRefusedAndNothingIsWritten() throws Exception {
    HttpResponse<String> put = TestNodes.put(node, "/v1/artifacts/acme/t1/tagged.txt", TestNodes.TOKEN_A, "x",
        "X-Grey-Tag-team", "infra");
    assertThat(put.statusCode()).as("put with a tag: %s", put.body()).isEqualTo(400);
    assertThat(JSON.readTree(put.body()).path("code").asText()).isEqualTo("invalid_request");
    assertThat(put.body()).contains("no tags capability");
    assertThat(headMissing("artifacts/acme/t1/tagged.txt")).as("nothing was written").isTrue();
  }

  @Test
  void aPresignedUrlIsS3sOwnAndServesTheObject() throws Exception {
    TestNodes.put(node, "/v1/artifacts/acme/t1/shared.txt", TestNodes.TOKEN_A, "shared bytes");
    HttpResponse<String> presign = TestNodes.send(TestNodes.request(node,
        "/v1/artifacts/acme/t1/shared.txt/presign?ttl=300", TestNodes.TOKEN_A)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(presign.statusCode()).as("presign: %s", presign.body()).isEqualTo(200);
    JsonNode doc = JSON.readTree(presign.body());
    String url = doc.path("url").asText();
    assertThat(url).as("an S3 SigV4 URL on the bucket's endpoint").startsWith(endpoint().toString())
        .contains("X-Amz-Signature=");
    HttpResponse<String> fetched = TestNodes.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    assertThat(fetched.body()).isEqualTo("shared bytes");
  }

  private static boolean headMissing(String key) {
    try {
      admin.headObject(b -> b.bucket(BUCKET).key(key));
      return false;
    } catch (NoSuchKeyException e) {
      return true;
    }
  }
}
