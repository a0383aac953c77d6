package io.grey.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.testkit.GcsEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large object moves through the store in constant memory: a child JVM with a 256 MiB heap puts and reads back
 * an object larger than its heap (512 MiB by default; {@code -Dgrey.gcs.bigObjectMiB=2048} for the 2 GiB run)
 * through the resumable upload and the rewrite, against the emulator in this JVM keeping bodies on disk.
 */
class BigObjectMemoryTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void objectLargerThanTheHeapRoundTripsInAChildJvmWithA256MibHeap(@TempDir Path dir) throws Exception {
    long size = Long.getLong("grey.gcs.bigObjectMiB", 512) * MIB;
    Path output = dir.resolve("child.out");
    try (GcsEmulator emulator = GcsEmulator.start(dir.resolve("bodies"), Clock.systemUTC())) {
      String bucket = emulator.newBucket();
      Path key = emulator.writeServiceAccountKey(dir.resolve("sa.json"));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"), BigObjectRoundTrip.class.getName(),
          emulator.endpoint().toString(), bucket, key.toString(), Long.toString(size)))
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      long timeout = Long.getLong("grey.gcs.bigObjectTimeoutSeconds", 280);
      boolean exited = child.waitFor(timeout, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly().waitFor();
      }
      String report = Files.readString(output, StandardCharsets.UTF_8);
      System.out.println("big object " + (size / MIB) + " MiB: " + report);
      assertThat(exited).as("child finished within %d s; output: %s", timeout, report).isTrue();
      assertThat(child.exitValue()).as("child exit status; output: %s", report).isZero();
      assertThat(report).as("child report").contains("read=" + size);
      assertThat(emulator.objectNames(bucket)).as("objects left: the big one, no staging object")
          .containsExactly("big/object");
    }
  }
}
