package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.grey.core.AccessDeniedException;
import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.PutOptions;
import io.grey.testkit.AzuriteServer;
import io.grey.testkit.DeterministicBody;
import java.io.IOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The encryption scope on Azure's wire and against Azurite; the Azure AD chain's failure as Grey reports it. */
class AzureEncryptionAndIdentityTest {
  private static AzuriteServer azurite;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteServer.start();
  }

  @AfterAll
  static void stopAzurite() {
    azurite.close();
  }

  /**
   * Azurite accepts any encryption scope and neither records nor echoes it (its HEAD answers carry no
   * {@code x-ms-encryption-scope}), so the scope is read off each real request as it leaves for Azurite.
   */
  @Test
  void everyWriteOfASingleOrBlockUploadNamesTheEncryptionScopeAndTheBlobReadsBack() throws IOException {
    Headers sent = new Headers();
    AzureBlobConfig config = AzuriteAccount.config(azurite).withContainers("artifacts-es", "proofs-es", "state-es")
        .withEncryptionScope("grey-cmk").withBlockSize(64 * 1024);
    ObjectKey blocks = ObjectKey.of("artifacts/t/k/scoped-blocks");
    ObjectKey single = ObjectKey.of("artifacts/t/k/scoped-single");
    DeterministicBody body = DeterministicBody.of(41, 200_000);
    try (AzureBlobStore store = AzureBlobStore.create(config, Clock.systemUTC(), new SecureRandom(), List.of(sent))) {
      sent.requests.clear();
      store.put(blocks, body.open(), PutOptions.ofLength(body.size()));
      store.put(single, DeterministicBody.of(42, 100).open(), PutOptions.ofLength(100));
      try (ObjectContent content = store.get(blocks)) {
        assertThat(content.readAllBytes()).as("multi-block body read back").isEqualTo(body.bytes());
      }
    }
    List<String> writes = sent.requests.stream().filter(r -> r.startsWith("PUT")).toList();
    assertThat(writes).as("Put Block x4, Put Block List, Put Blob").hasSize(6)
        .allSatisfy(r -> assertThat(r).as("request %s", r).endsWith(" scope=grey-cmk"));
  }

  @Test
  void withoutAScopeNoWriteNamesOne() {
    Headers sent = new Headers();
    AzureBlobConfig config = AzuriteAccount.config(azurite).withContainers("artifacts-ns", "proofs-ns", "state-ns");
    try (AzureBlobStore store = AzureBlobStore.create(config, Clock.systemUTC(), new SecureRandom(), List.of(sent))) {
      store.put(ObjectKey.of("artifacts/t/k/plain"), DeterministicBody.of(43, 10).open(), PutOptions.ofLength(10));
    }
    assertThat(sent.requests).as("requests sent").isNotEmpty()
        .allSatisfy(r -> assertThat(r).as("request %s", r).endsWith(" scope=null"));
  }

  /**
   * With no key in the config the store asks azure-identity's chain for a token; on this host none of its links
   * has a credential, so opening the store fails as access denied, naming what to check and no chain detail.
   */
  @Test
  void anAzureAdChainWithNoCredentialIsAccessDeniedNamingNoSecret() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    AzureBlobConfig config = AzureBlobConfig.ofAzureAd("greystorageprod", false, "")
        .withEndpoint("https://127.0.0.1:" + closedPort + "/greystorageprod");
    assertThatThrownBy(() -> AzureBlobStore.create(config).close()).as("opening a store whose chain has no credential")
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("no Azure AD token could be obtained")
        .hasMessageContaining("azure.blob_storage.account_key")
        .message().doesNotContain("http://169.254.169.254").doesNotContain("AADSTS");
  }

  /** The {@code x-ms-encryption-scope} header of every request, as it leaves for the server. */
  static final class Headers implements HttpPipelinePolicy {
    final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      record(context);
      return next.process();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
      record(context);
      return next.processSync();
    }

    private void record(HttpPipelineCallContext context) {
      requests.add(context.getHttpRequest().getHttpMethod() + " " + context.getHttpRequest().getUrl().getQuery()
          + " scope=" + context.getHttpRequest().getHeaders().getValue("x-ms-encryption-scope"));
    }
  }
}
