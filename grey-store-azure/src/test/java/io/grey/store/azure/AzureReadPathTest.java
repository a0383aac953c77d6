package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.PutOptions;
import io.grey.core.store.ReadRange;
import io.grey.testkit.AzuriteServer;
import io.grey.testkit.DeterministicBody;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How reads reach Azure: one streamed GET each, and a read closed early gives its connection back. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AzureReadPathTest {
  private static final int MIB = 1024 * 1024;
  private static AzuriteServer azurite;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteServer.start();
  }

  @AfterAll
  static void stopAzurite() {
    azurite.close();
  }

  private static AzureBlobStore store(AzureEncryptionAndIdentityTest.Headers recorder, String suffix) {
    return AzureBlobStore.create(AzuriteAccount.config(azurite).withContainers("artifacts-" + suffix,
        "proofs-" + suffix, "state-" + suffix), Clock.systemUTC(), new SecureRandom(), List.of(recorder));
  }

  @Test
  void aWholeReadOfAMultiBlockBlobIsOneGetAndARangedReadIsOneGetToo() throws IOException {
    var recorder = new AzureEncryptionAndIdentityTest.Headers();
    DeterministicBody body = DeterministicBody.of(51, 12 * MIB + 7);
    ObjectKey key = ObjectKey.of("artifacts/t/k/read-path");
    try (AzureBlobStore store = store(recorder, "rp")) {
      store.put(key, body.open(), PutOptions.ofLength(body.size()));
      recorder.requests.clear();
      try (ObjectContent content = store.get(key)) {
        assertThat(content.info().size()).as("size from the GET's headers").isEqualTo(body.size());
        assertThat(content.info().sha256()).as("digest from the GET's headers").isEqualTo(body.sha256());
        assertThat(content.readAllBytes()).as("whole body").isEqualTo(body.bytes());
      }
      assertThat(recorder.requests).as("requests of a whole 12 MiB read (two blocks)").hasSize(1)
          .allSatisfy(r -> assertThat(r).startsWith("GET"));
      recorder.requests.clear();
      try (ObjectContent content = store.get(key, ReadRange.of(3 * MIB, 5))) {
        assertThat(content.info().size()).as("whole size from the Content-Range of a ranged GET")
            .isEqualTo(body.size());
        assertThat(content.readAllBytes()).as("five bytes at 3 MiB").isEqualTo(body.slice(3 * MIB, 5).readAllBytes());
      }
      assertThat(recorder.requests).as("requests of a ranged read").hasSize(1);
    }
  }

  @Test
  void readsClosedAfterAFewBytesReleaseTheirConnectionsSoLaterReadsStillComplete() throws IOException {
    var recorder = new AzureEncryptionAndIdentityTest.Headers();
    DeterministicBody body = DeterministicBody.of(52, 16 * MIB);
    ObjectKey key = ObjectKey.of("artifacts/t/k/early-close");
    try (AzureBlobStore store = store(recorder, "ec")) {
      store.put(key, body.open(), PutOptions.ofLength(body.size()));
      for (int i = 0; i < 40; i++) {
        try (ObjectContent content = store.get(key); InputStream in = content.stream()) {
          assertThat(in.readNBytes(10)).as("first bytes of read %d", i).isEqualTo(body.slice(0, 10).readAllBytes());
        }
      }
      try (ObjectContent content = store.get(key)) {
        assertThat(content.readAllBytes()).as("a whole read after 40 abandoned ones").isEqualTo(body.bytes());
      }
    }
  }
}
