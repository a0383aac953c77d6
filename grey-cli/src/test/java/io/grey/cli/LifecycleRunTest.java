package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.ObjectKey;
import io.grey.core.audit.AuditLog;
import io.grey.core.store.PutOptions;
import io.grey.store.local.LocalStore;
import io.grey.store.local.LocalStoreOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleRunTest {
  private static final ObjectKey OLD = ObjectKey.of("artifacts/acme/t1/old.bin");
  private static final ObjectKey FRESH = ObjectKey.of("artifacts/acme/t1/fresh.bin");

  @TempDir
  Path work;

  private Path root;
  private Path config;

  @BeforeEach
  void writeObjectsAndConfig() throws IOException {
    Path data = work.resolve("data");
    root = data.resolve("objects");
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(60)), ZoneOffset.UTC);
    put(LocalStoreOptions.of(root).withClock(past), OLD, "written 60 days ago");
    put(LocalStoreOptions.of(root), FRESH, "written now");
    config = Files.writeString(work.resolve("grey.yaml"), """
        server:
          data_dir: %s
        storage:
          local:
            root: %s
        lifecycle:
          - prefix: artifacts/
            expiration_days: 30
        audit:
          enabled: true
          file: %s
        """.formatted(data, root, data.resolve("audit.log")));
  }

  private static void put(LocalStoreOptions options, ObjectKey key, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (LocalStore store = LocalStore.open(options)) {
      store.put(key, new ByteArrayInputStream(bytes), PutOptions.ofLength(bytes.length));
    }
  }

  private boolean exists(ObjectKey key) {
    try (LocalStore store = LocalStore.open(LocalStoreOptions.of(root))) {
      return store.head(key).isPresent();
    }
  }

  @Test
  void runDeletesExpiredObjectsAndKeepsFreshOnes() {
    Cli.Result result = Cli.run("lifecycle", "run", "--config", config.toString());
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out()).startsWith("deleted 1 of 2 objects scanned");
    assertThat(exists(OLD)).as("the 60-day-old object is past its 30-day expiration").isFalse();
    assertThat(exists(FRESH)).as("the fresh object stays").isTrue();
  }

  @Test
  void deletionsAreInTheAuditLog() throws IOException {
    assertThat(Cli.run("lifecycle", "run", "--config", config.toString()).exit()).isZero();
    Path audit = work.resolve("data").resolve("audit.log");
    assertThat(AuditLog.verify(audit).ok()).as("the audit log stays intact").isTrue();
    assertThat(Files.readString(audit)).contains(LifecycleCommand.ACTOR).contains(OLD.value());
  }

  @Test
  void dryRunReportsButDeletesNothing() throws IOException {
    Cli.Result result = Cli.run("lifecycle", "run", "--config", config.toString(), "--dry-run", "-o", "json");
    assertThat(result.exit()).as("%s", result).isZero();
    JsonNode doc = new ObjectMapper().readTree(result.out());
    assertThat(doc.path("dry_run").asBoolean()).isTrue();
    assertThat(doc.path("deleted").asLong()).as("one object would go").isEqualTo(1);
    assertThat(doc.path("scanned").asLong()).isEqualTo(2);
    assertThat(exists(OLD)).as("a dry run deletes nothing").isTrue();
  }

  @Test
  void auditLogHeldByAServerIsReportedAsUnavailable() {
    try (AuditLog held = AuditLog.open(work.resolve("data").resolve("audit.log"), Clock.systemUTC())) {
      Cli.Result result = Cli.run("lifecycle", "run", "--config", config.toString());
      assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(result.err()).contains("in use").contains("--dry-run");
    }
    assertThat(exists(OLD)).as("nothing is deleted when the deletions cannot be audited").isTrue();
  }

  @Test
  void missingStoreRootIsNotFound() throws IOException {
    Path empty = Files.writeString(work.resolve("empty.yaml"), """
        storage:
          local:
            root: %s
        """.formatted(work.resolve("no-such-root")));
    Cli.Result result = Cli.run("lifecycle", "run", "--config", empty.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void aCloudBackendIsRefusedRatherThanSweepingTheLocalDirectory() throws IOException {
    Path s3 = Files.writeString(work.resolve("s3.yaml"), """
        storage:
          backend: s3
        aws:
          region: us-east-1
          s3:
            bucket: grey-artifacts
        lifecycle:
          - prefix: artifacts/
            expiration_days: 1
        """);
    Cli.Result result = Cli.run("lifecycle", "run", "--config", s3.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("storage.backend is 's3'");
    assertThat(exists(OLD)).as("the local store is left alone").isTrue();
  }
}
