package io.grey.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.InvalidRequestException;
import io.grey.core.ObjectKey;
import io.grey.core.PreconditionFailedException;
import io.grey.core.audit.AuditLog;
import io.grey.core.audit.AuditRecord;
import io.grey.core.context.CallContext;
import io.grey.core.store.BlobStore;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectInfo;
import io.grey.core.store.PresignRequest;
import io.grey.core.store.PutOptions;
import io.grey.core.store.WriteCondition;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLayerTest {
  private static final ObjectKey KEY = ObjectKey.of("artifacts/acme/task-1/report.json");

  @TempDir Path dir;
  private Path file;
  private AuditLog log;
  private final InMemoryStore memory = new InMemoryStore("aws");
  private BlobStore store;

  @BeforeEach
  void openLog() {
    file = dir.resolve("audit.jsonl");
    log = AuditLog.open(file, Clock.fixed(Instant.parse("2026-11-05T10:00:00Z"), ZoneOffset.UTC));
    store = new AuditLayer(log).wrap(memory);
  }

  @AfterEach
  void closeLog() {
    log.close();
  }

  private List<AuditRecord> records() {
    try (Stream<AuditRecord> records = AuditLog.read(file)) {
      return records.toList();
    }
  }

  private static ByteArrayInputStream body(int size) {
    return new ByteArrayInputStream(new byte[size]);
  }

  @Test
  void aPutIsRecordedWithTheActorFromTheCallContextAndWhatWasStored() {
    ObjectInfo info = CallContext.callAs("alice", () -> store.put(KEY, body(5), PutOptions.ofLength(5)));

    AuditRecord record = records().getFirst();
    assertThat(record.entry().actor()).as("who").isEqualTo("alice");
    assertThat(record.entry().action()).as("what").isEqualTo("put");
    assertThat(record.entry().store()).as("where: store").isEqualTo("aws");
    assertThat(record.entry().key()).as("where: key").isEqualTo(KEY.value());
    assertThat(record.entry().result()).as("result").isEqualTo("ok");
    assertThat(record.entry().details()).as("details").containsEntry("size", "5")
        .containsEntry("version", info.version()).containsEntry("sha256", info.sha256())
        .containsEntry("condition", "none");
    assertThat(record.time()).as("when").isEqualTo(Instant.parse("2026-11-05T10:00:00Z"));
  }

  @Test
  void aFailedPutIsRecordedWithItsErrorCode() {
    store.put(KEY, body(1), PutOptions.ofLength(1));

    assertThatThrownBy(() -> store.put(KEY, body(1), PutOptions.ofLength(1).withCondition(WriteCondition.ifAbsent())))
        .isInstanceOf(PreconditionFailedException.class);

    AuditRecord record = records().get(1);
    assertThat(record.entry().result()).as("result of the refused put").isEqualTo("precondition_failed");
    assertThat(record.entry().details()).as("details").containsEntry("condition", "if_absent")
        .doesNotContainKey("version");
  }

  @Test
  void deleteSetTagsAndPresignAreRecordedAndReadsAreNot() {
    store.put(KEY, body(1), PutOptions.ofLength(1));
    store.get(KEY).close();
    store.head(KEY);
    store.list(ListRequest.prefix(""));
    store.getTags(KEY);
    store.setTags(KEY, Map.of("team", "ml", "cost", "gpu"));
    store.presign(KEY, PresignRequest.get(Duration.ofMinutes(10)));
    store.delete(KEY);
    store.delete(KEY);

    List<AuditRecord> records = records();
    assertThat(records).as("actions recorded")
        .extracting(r -> r.entry().action())
        .containsExactly("put", "set_tags", "presign", "delete", "delete");
    assertThat(records.get(1).entry().details()).as("set_tags details").containsEntry("tag_count", "2");
    assertThat(records.get(2).entry().details()).as("presign details")
        .containsEntry("method", "GET").containsEntry("ttl_seconds", "600");
    assertThat(records.get(3).entry().details()).as("first delete").containsEntry("existed", "true");
    assertThat(records.get(4).entry().details()).as("second delete").containsEntry("existed", "false");
    assertThat(AuditLog.verify(file).ok()).as("the log verifies").isTrue();
  }

  @Test
  void theDefaultActorIsLocal() {
    store.delete(KEY);

    assertThat(records().getFirst().entry().actor()).as("actor outside any CallContext").isEqualTo("local");
  }

  @Test
  void aSuccessfulCallThatCannotBeAuditedThrowsTheAuditError() {
    log.close();

    assertThatThrownBy(() -> store.put(KEY, body(3), PutOptions.ofLength(3)))
        .as("the caller learns the change is unrecorded")
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("closed");
    assertThat(memory.head(KEY)).as("the put itself took effect").isPresent();
  }

  @Test
  void aFailedCallThatCannotBeAuditedThrowsItsOwnErrorWithTheAuditErrorSuppressed() {
    store.put(KEY, body(1), PutOptions.ofLength(1));
    log.close();

    assertThatThrownBy(() -> store.put(KEY, body(1), PutOptions.ofLength(1).withCondition(WriteCondition.ifAbsent())))
        .isInstanceOf(PreconditionFailedException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).as("audit failure attached")
            .singleElement().isInstanceOf(InvalidRequestException.class));
  }
}
