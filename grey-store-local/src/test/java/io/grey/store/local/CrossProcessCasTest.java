package io.grey.store.local;

import io.grey.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.PutOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs increment one counter by compare-and-swap on the same root; no update may be lost. */
class CrossProcessCasTest {
  @TempDir Path scratch;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void twoProcessesIncrementingByIfVersionLoseNoUpdate() throws Exception {
    Path root = scratch.resolve("objects");
    ObjectKey counter = ObjectKey.of("state/default/counter");
    try (LocalStore store = LocalStore.open(LocalStoreOptions.of(root))) {
      store.put(counter, new ByteArrayInputStream(new byte[] {'0'}), PutOptions.ofLength(1));
    }
    try (ChildJvm a = ChildJvm.start(CasCounterMain.class, scratch.resolve("a.err"), root.toString(),
            counter.value(), "100");
        ChildJvm b = ChildJvm.start(CasCounterMain.class, scratch.resolve("b.err"), root.toString(),
            counter.value(), "100")) {
      assertThat(a.nextLine(30_000)).as("first child started; stderr: %s", a.stderrText()).isEqualTo("READY");
      assertThat(b.nextLine(30_000)).as("second child started; stderr: %s", b.stderrText()).isEqualTo("READY");
      a.send("GO");
      b.send("GO");
      List<String> outA = a.awaitExit(60);
      List<String> outB = b.awaitExit(60);

      assertThat(a.process().exitValue()).as("first child exit; stderr: %s", a.stderrText()).isZero();
      assertThat(b.process().exitValue()).as("second child exit; stderr: %s", b.stderrText()).isZero();
      assertThat(outA).as("first child finished its increments").anyMatch(l -> l.startsWith("DONE 100 "));
      assertThat(outB).as("second child finished its increments").anyMatch(l -> l.startsWith("DONE 100 "));
    }
    try (LocalStore store = LocalStore.open(LocalStoreOptions.of(root))) {
      String value = new String(store.get(counter).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(value).as("200 increments, none lost").isEqualTo("200");
    }
  }
}
