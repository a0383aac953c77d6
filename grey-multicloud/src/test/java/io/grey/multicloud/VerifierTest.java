package io.grey.multicloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verify and repair over three local replicas that were changed behind Grey's back. */
class VerifierTest {
  private static final List<String> NAMES = List.of("local", "edge-a", "edge-b");

  @TempDir Path scratch;
  private MultiCloudStore multi;

  @BeforeEach
  void open() throws InterruptedException {
    multi = LocalStores.multi(LocalStores.config(scratch, NAMES, MultiCloudConfig.Mode.ASYNC),
        LocalStores.open(scratch, NAMES), scratch.resolve("data"));
    for (int i = 0; i < 250; i++) {
      put(multi, key(i), "body " + i);
    }
    assertThat(multi.replicator().drain(Duration.ofSeconds(60))).as("replicas start equal").isTrue();
  }

  @AfterEach
  void close() {
    multi.close();
  }

  private static ObjectKey key(int i) {
    return ObjectKey.of("artifacts/acme/task-1/v-%04d".formatted(i));
  }

  private static void put(BlobStore store, ObjectKey key, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    store.put(key, new ByteArrayInputStream(b), PutOptions.ofLength(b.length));
  }

  @Test
  void verifyReportsExactlyTheKeysWhoseReplicasDifferAndChangesNothing() {
    multi.store("edge-a").delete(key(3));
    put(multi.store("edge-b"), key(7), "tampered");
    put(multi.store("edge-a"), ObjectKey.of("artifacts/acme/task-1/stray"), "only on edge-a");
    Verifier.Report report = new Verifier(multi).run("artifacts/", false, p -> { }, () -> false);
    assertThat(report.complete()).as("the run finished").isTrue();
    assertThat(report.checked()).as("every distinct key was compared").isEqualTo(251);
    assertThat(report.differences()).extracting(d -> d.key().value()).as("the differing keys")
        .containsExactly("artifacts/acme/task-1/stray", key(3).value(), key(7).value());
    assertThat(multi.store("edge-a").head(key(3))).as("verify does not repair").isEmpty();
  }

  @Test
  void repairBringsEveryReplicaToTheWriteTargetsVersionAndRefillsAMissingPrimaryCopy() {
    multi.store("edge-a").delete(key(3));
    put(multi.store("edge-b"), key(7), "tampered");
    multi.store("local").delete(key(9));
    Verifier.Report report = new Verifier(multi).run("artifacts/", true, p -> { }, () -> false);
    assertThat(report.differences()).as("three keys repaired").hasSize(3)
        .allSatisfy(d -> assertThat(d.repairedFrom()).as("repair source of %s", d.key()).isNotEmpty());
    java.util.Map<String, String> primary = Replicas.digests(multi.store("local"), "artifacts/");
    assertThat(primary).as("the primary got its lost copy back").containsKey(key(9).value());
    for (String name : NAMES) {
      assertThat(Replicas.digests(multi.store(name), "artifacts/")).as("replica %s after repair", name)
          .isEqualTo(primary);
    }
    assertThat(multi.store("edge-b").get(key(7)).readAllBytes()).as("the tampered copy is the primary's again")
        .isEqualTo("body 7".getBytes(StandardCharsets.UTF_8));
    assertThat(new Verifier(multi).run("artifacts/", false, p -> { }, () -> false).differences())
        .as("a verify after the repair finds nothing").isEmpty();
  }

  @Test
  void anInterruptedVerifyResumesAfterTheLastKeyItFinished() {
    put(multi.store("edge-b"), key(200), "tampered");
    AtomicInteger reports = new AtomicInteger();
    List<Verifier.Progress> seen = new ArrayList<>();
    Verifier.Report first = new Verifier(multi).run("artifacts/", false, p -> {
      seen.add(p);
      reports.incrementAndGet();
    }, () -> reports.get() >= 1);
    assertThat(first.complete()).as("the first run was stopped").isFalse();
    assertThat(first.checked()).as("it stopped after the first progress report").isEqualTo(Verifier.CURSOR_EVERY);
    assertThat(multi.outbox().cursor("verify:artifacts/")).as("the cursor was saved").contains(key(99).value());

    Verifier.Report second = new Verifier(multi).run("artifacts/", false, p -> { }, () -> false);
    assertThat(second.resumedAfter()).as("the second run resumed from the cursor").isEqualTo(key(99).value());
    assertThat(second.checked()).as("only the remaining keys were compared").isEqualTo(150);
    assertThat(second.differences()).extracting(d -> d.key()).as("the difference past the cursor is found")
        .containsExactly(key(200));
    assertThat(multi.outbox().cursor("verify:artifacts/")).as("a finished run clears its cursor").isEmpty();
  }
}
