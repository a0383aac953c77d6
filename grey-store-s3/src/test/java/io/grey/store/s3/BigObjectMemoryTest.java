package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large object moves through the store in constant memory: a child JVM with a 256 MiB heap puts and reads back
 * an object larger than its heap (512 MiB by default; {@code -Dgrey.s3.bigObjectMiB=2048} for the 2 GiB run),
 * against s3proxy keeping its files on disk in this JVM.
 */
class BigObjectMemoryTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void objectLargerThanTheHeapRoundTripsInAChildJvmWithA256MibHeap(@TempDir Path dir) throws Exception {
    long size = Long.getLong("grey.s3.bigObjectMiB", 512) * MIB;
    Path serverRoot = Files.createDirectories(dir.resolve("server"));
    Path spill = Files.createDirectories(dir.resolve("spill"));
    Path output = dir.resolve("child.out");
    try (S3ProxyServer server = S3ProxyServer.start(serverRoot)) {
      String bucket = server.newBucket();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"), BigObjectRoundTrip.class.getName(),
          server.endpoint().toString(), bucket, Long.toString(size), spill.toString()))
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      long timeout = Long.getLong("grey.s3.bigObjectTimeoutSeconds", 280);
      boolean exited = child.waitFor(timeout, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly().waitFor();
      }
      String report = Files.readString(output, StandardCharsets.UTF_8);
      System.out.println("big object " + (size / MIB) + " MiB: " + report);
      assertThat(exited).as("child finished within %d s; output: %s", timeout, report).isTrue();
      assertThat(child.exitValue()).as("child exit status; output: %s", report).isZero();
      assertThat(report).as("child report").contains("read=" + size);
      assertThat(server.admin().listMultipartUploads(b -> b.bucket(bucket)).uploads())
          .as("uploads left after the big put").isEmpty();
    }
    try (var left = Files.list(spill)) {
      assertThat(left.map(Path::toString).toList()).as("spill files left by the child").isEmpty();
    }
  }
}
