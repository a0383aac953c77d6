package io.grey.multicloud;

import io.grey.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM making async-replicated puts at 20 random points (20 runs of 100 puts, one kill in each),
 * each child replaying what its predecessor left in the outbox; then restarts once more, drains, and checks every
 * replica.
 */
class CrashSafetyTest {
  private static final int RUNS = 20;

  @TempDir Path scratch;

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void sigkillDuringAsyncPutsLosesNoAcknowledgedObjectOnAnyReplica() throws Exception {
    Random random = new Random(20261202L);
    Map<ObjectKey, Integer> acked = new HashMap<>();
    Set<ObjectKey> keys = new HashSet<>();
    int totalAcks = 0;
    ChildJvm next = startWriter(0);
    for (int run = 0; run < RUNS; run++) {
      for (int i = 0; i < CrashBodies.KEYS_PER_RUN; i++) {
        keys.add(CrashBodies.key(run, i));
      }
      int killAfter = 5 + random.nextInt(CrashBodies.KEYS_PER_RUN - 10);
      try (ChildJvm child = next) {
        assertThat(child.nextLine(30_000)).as("child %d started; stderr: %s", run, child.stderrText())
            .isEqualTo("READY");
        child.send("GO");
        int seen = 0;
        while (seen < killAfter) {
          String line = child.nextLine(30_000);
          assertThat(line).as("child %d acknowledges puts; stderr: %s", run, child.stderrText()).startsWith("ACK");
          record(acked, line);
          seen++;
        }
        for (String line : child.kill()) {
          if (line.startsWith("ACK")) {
            record(acked, line);
          }
        }
        totalAcks += seen;
      }
      next = run + 1 < RUNS ? startWriter(run + 1) : null;
    }

    try (MultiCloudStore multi = LocalStores.multi(
        LocalStores.config(scratch, CrashWriterMain.NAMES, MultiCloudConfig.Mode.ASYNC),
        LocalStores.open(scratch, CrashWriterMain.NAMES), scratch.resolve("data"))) {
      assertThat(multi.replicator().drain(Duration.ofSeconds(60))).as("the outbox drains after the last restart")
          .isTrue();
      assertThat(multi.outbox().all(Optional.empty(), 10)).as("no pending or dead entry is left").isEmpty();
      for (ObjectKey key : keys) {
        Optional<String> primary = multi.store("local").head(key).map(ObjectInfo::sha256);
        Integer version = acked.get(key);
        if (version != null) {
          // Acknowledged: the acknowledged version, or the next one if its put was cut short by the kill.
          assertThat(primary).as("acknowledged %s (version %d) is on the primary", key, version).isPresent();
          assertThat(primary.get()).as("%s holds its acknowledged or a later body", key)
              .isIn(CrashBodies.sha(CrashBodies.body(key, version)), CrashBodies.sha(CrashBodies.body(key, 2)));
        } else {
          primary.ifPresent(sha -> assertThat(sha).as("unacknowledged %s is whole if present", key)
              .isIn(CrashBodies.sha(CrashBodies.body(key, 1)), CrashBodies.sha(CrashBodies.body(key, 2))));
        }
        for (String name : CrashWriterMain.NAMES) {
          assertThat(multi.store(name).head(key).map(ObjectInfo::sha256))
              .as("replica '%s' holds the primary's state of %s", name, key).isEqualTo(primary);
        }
      }
    }
    assertThat(totalAcks).as("the children acknowledged puts before being killed").isGreaterThan(RUNS * 5);
  }

  private static void record(Map<ObjectKey, Integer> acked, String line) {
    String[] parts = line.split(" ");
    if (parts.length == 3) {
      acked.merge(ObjectKey.of(parts[1]), Integer.parseInt(parts[2]), Math::max);
    }
  }

  private ChildJvm startWriter(int run) throws Exception {
    return ChildJvm.start(CrashWriterMain.class, scratch.resolve("writer-" + run + ".err"), scratch.toString(),
        String.valueOf(run));
  }

}
