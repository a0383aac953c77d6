package io.grey.store.local;

import io.grey.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.ObjectContent;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PutOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing child JVM with SIGKILL at random moments and checks that no acknowledged put is lost. */
class CrashSafetyTest {
  private static final int RUNS = 20;

  @TempDir Path scratch;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void sigkillAtAnyMomentLosesNoAcknowledgedPutAndLeavesNoPartialObject() throws Exception {
    Path root = scratch.resolve("objects");
    Random random = new Random(20261202L);
    Map<String, Long> acked = new HashMap<>();
    Set<String> keys = new HashSet<>();
    IntStream.range(0, CrashWriterMain.KEYS).forEach(i -> keys.add(CrashWriterMain.key(i)));
    long totalAcks = 0;
    // The next child starts while the previous run is checked, so JVM start-up does not add up.
    ChildJvm next = startWriter(root, 0);
    for (int run = 0; run < RUNS; run++) {
      try (ChildJvm child = next) {
        assertThat(child.nextLine(30_000)).as("child %d started; stderr: %s", run, child.stderrText())
            .isEqualTo("READY");
        child.send("GO");
        long delay = 100 + random.nextInt(500);
        assertThat(child.process().waitFor(delay, TimeUnit.MILLISECONDS))
            .as("child %d still writing when killed; stderr: %s", run, child.stderrText()).isFalse();
        List<String> lines = child.kill();
        for (String line : lines) {
          String[] parts = line.split(" ");
          if (parts.length == 3 && parts[0].equals("ACK")) {
            acked.merge(parts[1], Long.parseLong(parts[2]), Math::max);
            totalAcks++;
          }
        }
      }
      next = run + 1 < RUNS ? startWriter(root, run + 1) : null;
      checkStore(root, run, acked, keys);
    }
    assertThat(totalAcks).as("the children acknowledged puts before being killed").isGreaterThan(RUNS);
  }

  private ChildJvm startWriter(Path root, int run) throws Exception {
    return ChildJvm.start(CrashWriterMain.class, scratch.resolve("writer-" + run + ".err"), root.toString(),
        String.valueOf((run + 1) * 1_000_000_000L), String.valueOf(run));
  }

  private static void checkStore(Path root, int run, Map<String, Long> acked, Set<String> keys)
      throws Exception {
    try (LocalStore store = LocalStore.open(LocalStoreOptions.of(root))) {
      Set<String> present = new HashSet<>();
      for (String key : keys) {
        var info = store.head(ObjectKey.of(key));
        if (info.isEmpty()) {
          assertThat(acked).as("run %d: acknowledged key %s is missing", run, key).doesNotContainKey(key);
          continue;
        }
        present.add(key);
        try (ObjectContent content = store.get(ObjectKey.of(key)); InputStream in = content.stream()) {
          CrashBody.Header header = CrashBody.readHeader(in);
          assertThat(header.key()).as("run %d: body of %s names its key", run, key).isEqualTo(key);
          assertThat(header.seq()).as("run %d: %s is at least at its last acknowledged put", run, key)
              .isGreaterThanOrEqualTo(acked.getOrDefault(key, 0L));
          // Reading to the end also verifies size and SHA-256.
          assertThat(CrashBody.fillerMatches(header, in)).as("run %d: %s body intact", run, key).isTrue();
        }
      }
      List<String> listed = store.list(new io.grey.core.store.ListRequest("crash/", "", 1000)).objects().stream()
          .map(ObjectInfo::key).map(ObjectKey::value).toList();
      assertThat(listed).as("run %d: listing shows exactly the present keys, no temp files", run)
          .containsExactlyInAnyOrderElementsOf(present);
      ObjectKey probe = ObjectKey.of("probe/run-" + run);
      store.put(probe, new ByteArrayInputStream(new byte[] {1, 2, 3}), PutOptions.ofLength(3));
      assertThat(store.get(probe).readAllBytes()).as("run %d: the store keeps working", run)
          .containsExactly(1, 2, 3);
    }
  }
}
