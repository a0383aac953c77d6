package io.grey.multicloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.DataClass;
import io.grey.core.ObjectKey;
import io.grey.core.StoreUnavailableException;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.testkit.FaultyStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores stopped and restarted under a workload: what is acknowledged is never lost. */
class FailoverTest {
  private static final List<String> NAMES = List.of("local", "edge-a", "edge-b");
  /** Faults queued to stand for a stopped store: far more calls than any test makes. */
  private static final int STOPPED = 10_000;

  @TempDir
  Path scratch;

  private final Map<String, FaultyStore> faulty = new LinkedHashMap<>();
  private MultiCloudStore multi;

  private MultiCloudStore open(MultiCloudConfig config) {
    Map<String, BlobStore> stores = new LinkedHashMap<>();
    LocalStores.open(scratch, NAMES).forEach((n, s) -> {
      FaultyStore f = FaultyStore.wrap(s);
      faulty.put(n, f);
      stores.put(n, f);
    });
    multi = LocalStores.multi(config.withRouting(config.routing().withHysteresis(2, 2)), stores,
        scratch.resolve("data"));
    return multi;
  }

  @AfterEach
  void close() {
    if (multi != null) {
      multi.close();
    }
  }

  private static void stop(FaultyStore store) {
    for (FaultyStore.Operation op : FaultyStore.Operation.values()) {
      store.failNext(op, STOPPED, () -> new StoreUnavailableException("store stopped"));
    }
  }

  private void probeRounds(int rounds) throws InterruptedException {
    for (int i = 0; i < rounds; i++) {
      multi.monitor().probeAll();
    }
  }

  private static String put(BlobStore store, ObjectKey key, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return store.put(key, new ByteArrayInputStream(bytes), PutOptions.ofLength(bytes.length)).sha256();
  }

  private static ObjectKey artifact(int i) {
    return ObjectKey.of("artifacts/acme/task-1/object-" + i);
  }

  @Test
  void asyncReplicaStoppedMidWorkloadCatchesUpWithEveryAcknowledgedChange() throws Exception {
    open(LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC));
    Map<String, String> acknowledged = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      acknowledged.put(artifact(i).value(), put(multi, artifact(i), "first " + i));
    }
    assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("the first writes replicate").isTrue();
    stop(faulty.get("edge-a"));
    probeRounds(2);
    assertThat(multi.health("edge-a").up()).as("edge-a is down after two failed probes").isFalse();
    for (int i = 40; i < 80; i++) {
      acknowledged.put(artifact(i).value(), put(multi, artifact(i), "second " + i));
    }
    for (int i = 0; i < 10; i++) {
      assertThat(multi.delete(artifact(i))).as("delete of an acknowledged object").isTrue();
      acknowledged.remove(artifact(i).value());
      acknowledged.put(artifact(i + 10).value(), put(multi, artifact(i + 10), "overwritten " + i));
    }
    org.awaitility.Awaitility.await("edge-b, which is up, drains while edge-a is down")
        .atMost(Duration.ofSeconds(30)).until(() -> multi.outbox().count("edge-b", Outbox.State.PENDING) == 0);
    assertThat(multi.outbox().count("edge-a", Outbox.State.PENDING))
        .as("edge-a's changes wait in the outbox, none dead").isGreaterThan(0);
    assertThat(multi.outbox().count("edge-a", Outbox.State.DEAD)).as("no dead letters for a down store").isZero();

    faulty.get("edge-a").heal();
    probeRounds(2);
    assertThat(multi.health("edge-a").up()).as("edge-a is up after two good probes").isTrue();
    assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("the outbox drains once edge-a is back").isTrue();
    for (String name : NAMES) {
      assertThat(Replicas.digests(multi.store(name), "artifacts/"))
          .as("store '%s' holds exactly the acknowledged objects and digests", name).isEqualTo(acknowledged);
    }
  }

  @Test
  void syncReplicaThatIsDownIsQueuedAndThePutIsAcknowledged() throws Exception {
    open(LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.SYNC));
    stop(faulty.get("edge-b"));
    probeRounds(2);
    String sha = put(multi, artifact(1), "proof body");
    assertThat(multi.store("edge-a").head(artifact(1))).as("the up sync replica has the object on return")
        .map(i -> i.sha256()).contains(sha);
    assertThat(multi.outbox().entry("edge-b", artifact(1))).as("the down sync replica is queued durably").isPresent();
    faulty.get("edge-b").heal();
    probeRounds(2);
    assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("the queued sync replica catches up").isTrue();
    assertThat(multi.store("edge-b").head(artifact(1))).as("edge-b after recovery").map(i -> i.sha256()).contains(sha);
  }

  @Test
  void syncPolicyThatFailsOnAMissedReplicaNamesItAndStillQueuesIt() throws Exception {
    MultiCloudConfig config = LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.SYNC);
    MultiCloudConfig.ClassPolicy strict = new MultiCloudConfig.ClassPolicy(MultiCloudConfig.Mode.SYNC, NAMES,
        Duration.ofMinutes(5), MultiCloudConfig.OnSyncFailure.FAIL);
    open(config.withPolicy(DataClass.PROOF, strict));
    stop(faulty.get("edge-b"));
    probeRounds(2);
    ObjectKey proof = ObjectKey.of("proofs/acme/task-1/p-1");
    assertThatThrownBy(() -> put(multi, proof, "proof"))
        .as("a sync put with on_sync_failure: fail and a replica down").isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("edge-b");
    assertThat(multi.outbox().entry("edge-b", proof)).as("the missed replica is still queued").isPresent();
  }

  @Test
  void writesFailOverWhenThePrimaryIsDownAndThePrimaryIsRepairedBeforeItServesReads() throws Exception {
    open(LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC));
    String before = put(multi, artifact(1), "before the outage");
    assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("initial drain").isTrue();
    stop(faulty.get("local"));
    probeRounds(2);
    assertThat(multi.health("local").up()).as("primary down").isFalse();

    String during = put(multi, artifact(1), "written during the outage");
    String fresh = put(multi, artifact(2), "new during the outage");
    assertThat(multi.store("edge-a").head(artifact(1))).as("the write went to the next healthy target")
        .map(i -> i.sha256()).contains(during);
    assertThat(multi.outbox().entry("local", artifact(1))).as("the primary is queued for catch-up").isPresent();
    assertThat(multi.get(artifact(1)).readAllBytes()).as("reads during the outage see the newest write")
        .isEqualTo("written during the outage".getBytes(StandardCharsets.UTF_8));

    org.awaitility.Awaitility.await("edge-b catches up from edge-a during the outage")
        .atMost(Duration.ofSeconds(30)).until(() -> multi.outbox().count("edge-b", Outbox.State.PENDING) == 0);

    // The primary answers again while edge-a, which holds its catch-up, is down: the primary stays behind.
    faulty.get("local").heal();
    stop(faulty.get("edge-a"));
    probeRounds(2);
    assertThat(multi.health("local").up()).as("primary up again").isTrue();
    assertThat(multi.outbox().behind("local", artifact(1))).as("the primary has not caught up").isTrue();
    int primaryGets = faulty.get("local").calls(FaultyStore.Operation.GET);
    for (int i = 0; i < 10; i++) {
      assertThat(multi.get(artifact(1)).readAllBytes()).as("read %d while the primary is behind", i)
          .isEqualTo("written during the outage".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(faulty.get("local").calls(FaultyStore.Operation.GET)).as("the primary served none of those reads")
        .isEqualTo(primaryGets);

    faulty.get("edge-a").heal();
    probeRounds(2);
    assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("the primary's catch-up drains").isTrue();
    assertThat(multi.store("local").head(artifact(1))).as("the primary after repair").map(i -> i.sha256())
        .contains(during);
    assertThat(multi.store("local").head(artifact(2))).as("the object created during the outage")
        .map(i -> i.sha256()).contains(fresh);
    assertThat(before).as("the overwritten version differs").isNotEqualTo(during);
  }

  @Test
  void aReplicaBehindForAKeyNeverServesIt() throws Exception {
    open(LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC));
    put(multi, artifact(1), "old");
    assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("initial drain").isTrue();
    // edge-a and edge-b refuse writes, so the overwrite stays pending for them while they still serve reads.
    faulty.get("edge-a").failNext(FaultyStore.Operation.PUT, STOPPED,
        () -> new StoreUnavailableException("writes refused"));
    faulty.get("edge-b").failNext(FaultyStore.Operation.PUT, STOPPED,
        () -> new StoreUnavailableException("writes refused"));
    put(multi, artifact(1), "new");
    for (int i = 0; i < 20; i++) {
      assertThat(multi.get(artifact(1)).readAllBytes()).as("read %d while replicas hold the old body", i)
          .isEqualTo("new".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(multi.store("edge-a").get(artifact(1)).readAllBytes()).as("edge-a really is behind")
        .isEqualTo("old".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void entriesThatKeepFailingBecomeDeadLettersAndRetryRequeuesThem() throws Exception {
    MultiCloudConfig config = LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC)
        .withReplicator(3, 2, new io.grey.core.layer.RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(5)));
    open(config);
    faulty.get("edge-a").failNext(FaultyStore.Operation.PUT, 3,
        () -> new io.grey.core.AccessDeniedException("bucket policy refuses the replicator"));
    put(multi, artifact(1), "body");
    org.awaitility.Awaitility.await("edge-a's entry becomes a dead letter").atMost(Duration.ofSeconds(30))
        .until(() -> multi.outbox().count("edge-a", Outbox.State.DEAD) == 1);
    assertThat(multi.replicator().status()).as("status shows the dead letter")
        .anySatisfy(s -> {
          assertThat(s.target()).isEqualTo("edge-a");
          assertThat(s.dead()).isEqualTo(1);
        });
    assertThat(multi.replicator().retryDead(Optional.of("edge-a"))).as("entries re-queued").isEqualTo(1);
    assertThat(multi.replicator().drain(Duration.ofSeconds(30))).as("the retried entry replicates").isTrue();
    assertThat(multi.store("edge-a").head(artifact(1))).as("edge-a holds the object after retry").isPresent();
  }
}
