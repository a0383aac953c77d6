package io.grey.store.local;

import io.grey.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.AccessDeniedException;
import io.grey.core.ObjectKey;
import io.grey.core.store.PresignRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPresignerTest {
  private static final URI BASE = URI.create("http://127.0.0.1:8080/");
  private static final ObjectKey KEY = ObjectKey.of("artifacts/acme/t1/r\u00e9sum\u00e9 final.pdf");

  @TempDir Path scratch;
  private MutableClock clock;
  private LocalPresigner presigner;

  @BeforeEach
  void createPresigner() {
    clock = new MutableClock(Instant.parse("2026-03-01T10:00:00.250Z"));
    presigner = LocalPresigner.loadOrCreate(scratch.resolve("presign.key"), BASE, clock);
  }

  /** The query parameters of a signed URL. */
  private static Map<String, String> query(URI url) {
    Map<String, String> out = new HashMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
  }

  private URI signGet() {
    return presigner.sign(KEY, PresignRequest.get(Duration.ofMinutes(10)));
  }

  private void assertDenied(String method, ObjectKey key, String expires, String signature) {
    assertThatThrownBy(() -> presigner.verify(method, key, expires, signature))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("presigned URL is invalid or expired");
  }

  @Test
  void aSignedUrlHasTheDocumentedShapeAndVerifies() {
    URI url = signGet();
    Map<String, String> q = query(url);

    assertThat(url.getRawPath()).isEqualTo("/v1/presigned/artifacts/acme/t1/r%C3%A9sum%C3%A9%20final.pdf");
    assertThat(url.getHost()).isEqualTo("127.0.0.1");
    assertThat(q).containsEntry("method", "GET")
        .containsEntry("expires", String.valueOf(Instant.parse("2026-03-01T10:10:00Z").getEpochSecond()));
    assertThatCode(() -> presigner.verify("GET", KEY, q.get("expires"), q.get("signature")))
        .as("untampered URL verifies").doesNotThrowAnyException();
  }

  @Test
  void aTamperedSignatureIsRefused() {
    Map<String, String> q = query(signGet());
    char[] sig = q.get("signature").toCharArray();
    sig[5] = sig[5] == 'A' ? 'B' : 'A';

    assertDenied("GET", KEY, q.get("expires"), new String(sig));
  }

  @Test
  void aTamperedKeyIsRefused() {
    Map<String, String> q = query(signGet());

    assertDenied("GET", ObjectKey.of("artifacts/acme/t1/other.pdf"), q.get("expires"), q.get("signature"));
  }

  @Test
  void aTamperedExpiryIsRefused() {
    Map<String, String> q = query(signGet());
    long expires = Long.parseLong(q.get("expires"));

    assertDenied("GET", KEY, String.valueOf(expires + 3600), q.get("signature"));
    assertDenied("GET", KEY, "0" + expires, q.get("signature"));
  }

  @Test
  void aWrongMethodIsRefused() {
    Map<String, String> q = query(signGet());

    assertDenied("PUT", KEY, q.get("expires"), q.get("signature"));
    assertDenied("get", KEY, q.get("expires"), q.get("signature"));
    assertDenied("DELETE", KEY, q.get("expires"), q.get("signature"));
  }

  @Test
  void anExpiredUrlIsRefused() {
    Map<String, String> q = query(signGet());
    clock.advance(Duration.ofMinutes(9).plusSeconds(59));
    assertThatCode(() -> presigner.verify("GET", KEY, q.get("expires"), q.get("signature")))
        .as("still valid a moment before expiry").doesNotThrowAnyException();

    clock.advance(Duration.ofSeconds(1));

    assertDenied("GET", KEY, q.get("expires"), q.get("signature"));
  }

  @Test
  void malformedInputIsRefused() {
    Map<String, String> q = query(signGet());
    String expires = q.get("expires");
    String signature = q.get("signature");

    assertDenied("GET", KEY, "", signature);
    assertDenied("GET", KEY, "soon", signature);
    assertDenied("GET", KEY, "-1", signature);
    assertDenied("GET", KEY, "99999999999999999999999", signature);
    assertDenied("GET", KEY, expires, "");
    assertDenied("GET", KEY, expires, "not base64!");
    assertDenied("GET", KEY, expires, signature + "A");
    assertDenied("GET", KEY, expires, signature.substring(1));
    assertDenied("", KEY, expires, signature);
  }

  @Test
  void aPutUrlAllowsOnlyPut() {
    Map<String, String> q = query(presigner.sign(KEY, new PresignRequest(PresignRequest.Method.PUT,
        Duration.ofSeconds(30))));

    assertThat(q).containsEntry("method", "PUT");
    assertThatCode(() -> presigner.verify("PUT", KEY, q.get("expires"), q.get("signature")))
        .doesNotThrowAnyException();
    assertDenied("GET", KEY, q.get("expires"), q.get("signature"));
  }

  @Test
  void theSecretIsThirtyTwoOwnerOnlyBytesKeptAcrossLoads() throws Exception {
    Path file = scratch.resolve("presign.key");
    Map<String, String> q = query(signGet());

    LocalPresigner reloaded = LocalPresigner.loadOrCreate(file, BASE, clock);

    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThatCode(() -> reloaded.verify("GET", KEY, q.get("expires"), q.get("signature")))
        .as("a reloaded presigner accepts URLs of the first").doesNotThrowAnyException();
    LocalPresigner other = LocalPresigner.loadOrCreate(scratch.resolve("other.key"), BASE, clock);
    assertThatThrownBy(() -> other.verify("GET", KEY, q.get("expires"), q.get("signature")))
        .as("another node's secret refuses it").isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void presignersCreatedTogetherAgreeOnOneSecret() throws Exception {
    Path file = scratch.resolve("race/presign.key");
    CountDownLatch go = new CountDownLatch(1);
    List<Future<URI>> urls = new ArrayList<>();
    try (ExecutorService executor = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        urls.add(executor.submit(() -> {
          go.await();
          return LocalPresigner.loadOrCreate(file, BASE, clock).sign(KEY, PresignRequest.get(Duration.ofHours(1)));
        }));
      }
      go.countDown();
      Set<String> signatures = new HashSet<>();
      for (Future<URI> url : urls) {
        signatures.add(query(url.get()).get("signature"));
      }
      assertThat(signatures).as("one secret, so one signature for the same request").hasSize(1);
    }
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temp files left")
          .containsExactly("presign.key");
    }
  }

  @Test
  void aStoreWithAPresignerSignsUrls() {
    try (LocalStore store = LocalStore.open(LocalStoreOptions.of(scratch.resolve("objects")).withClock(clock)
        .withPresigner(presigner))) {
      URI url = store.presign(KEY, PresignRequest.get(Duration.ofMinutes(10)));

      assertThat(store.capabilities().presign()).isTrue();
      Map<String, String> q = query(url);
      assertThatCode(() -> presigner.verify("GET", KEY, q.get("expires"), q.get("signature")))
          .doesNotThrowAnyException();
      assertThat(Arrays.asList(url.getRawPath().split("/"))).contains("presigned");
    }
  }
}
