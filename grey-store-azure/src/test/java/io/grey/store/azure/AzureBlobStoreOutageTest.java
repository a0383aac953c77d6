package io.grey.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.GreyException;
import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.ListRequest;
import io.grey.core.store.PutOptions;
import io.grey.testkit.AzuriteServer;
import io.grey.testkit.DeterministicBody;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** What callers see when the blob service goes away: retryable unavailability, after one try each. */
class AzureBlobStoreOutageTest {

  @Test
  void stoppedServiceMakesEveryCallStoreUnavailableAndRetryable() {
    AzuriteServer azurite = AzuriteServer.start();
    AzureBlobStore store;
    ObjectKey key = ObjectKey.of("artifacts/t/k/outage");
    try {
      store = AzureBlobStore.create(AzuriteAccount.config(azurite).withBlockSize(64 * 1024)
          .withContainers("artifacts-o", "proofs-o", "state-o"));
      store.put(key, InputStream.nullInputStream(), PutOptions.ofLength(0));
    } finally {
      azurite.close();
    }
    try (store) {
      assertThatThrownBy(() -> store.head(key)).as("head while the service is down")
          .isInstanceOf(StoreUnavailableException.class)
          .satisfies(e -> assertThat(((GreyException) e).retryable()).as("retryable").isTrue());
      assertThatThrownBy(() -> store.put(key, DeterministicBody.of(1, 200_000).open(), PutOptions.defaults()))
          .as("multi-block put while the service is down").isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> store.list(ListRequest.prefix("artifacts/"))).as("list while the service is down")
          .isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> store.get(key).close()).as("get while the service is down")
          .isInstanceOf(StoreUnavailableException.class);
    }
  }
}
