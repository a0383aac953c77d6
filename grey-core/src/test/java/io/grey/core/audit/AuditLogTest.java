package io.grey.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.InvalidRequestException;
import io.grey.core.store.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path dir;

  private final Clock clock = new SteppingClock(Instant.parse("2026-11-05T10:00:00Z"));

  private Path file() {
    return dir.resolve("audit.jsonl");
  }

  private static AuditEntry entry(int n) {
    return AuditEntry.ok("alice", "put", "aws", "artifacts/acme/task-1/f" + n, Map.of("size", Integer.toString(n)));
  }

  /** Writes {@code count} entries to a fresh log and closes it. */
  private void writeLog(int count) {
    try (AuditLog log = AuditLog.open(file(), clock)) {
      for (int i = 1; i <= count; i++) {
        log.append(entry(i));
      }
    }
  }

  private List<String> lines() throws IOException {
    return new ArrayList<>(Files.readAllLines(file(), StandardCharsets.UTF_8));
  }

  private void rewrite(List<String> lines) throws IOException {
    Files.write(file(), lines, StandardCharsets.UTF_8);
  }

  private List<AuditRecord> records() {
    try (Stream<AuditRecord> records = AuditLog.read(file())) {
      return records.toList();
    }
  }

  @Test
  void theFirstLineChainsToGenesisAndEachNextLineToTheBytesOfThePrevious() throws IOException {
    writeLog(3);

    List<String> lines = lines();
    List<AuditRecord> records = records();
    assertThat(records.get(0).prev()).as("prev of the first line").isEqualTo(AuditLog.GENESIS).hasSize(64);
    assertThat(records.get(1).prev()).as("prev of line 2")
        .isEqualTo(Digests.sha256Hex(lines.get(0).getBytes(StandardCharsets.UTF_8)));
    assertThat(records.get(2).prev()).as("prev of line 3")
        .isEqualTo(Digests.sha256Hex(lines.get(1).getBytes(StandardCharsets.UTF_8)));
    assertThat(records).extracting(AuditRecord::seq).as("sequence numbers").containsExactly(1L, 2L, 3L);
  }

  @Test
  void eachLineIsJsonWithTheFieldsInAFixedOrder() throws IOException {
    writeLog(1);

    String line = lines().getFirst();
    assertThat(line).as("the line")
        .startsWith("{\"seq\":1,\"time\":\"2026-11-05T10:00:00Z\",\"actor\":\"alice\",\"action\":\"put\","
            + "\"store\":\"aws\",\"key\":\"artifacts/acme/task-1/f1\",\"result\":\"ok\",\"details\":{\"size\":\"1\"},"
            + "\"prev\":\"" + AuditLog.GENESIS + "\",\"hash\":\"")
        .endsWith("\"}");
  }

  @Test
  void timesComeFromTheInjectedClock() {
    writeLog(2);

    assertThat(records()).extracting(AuditRecord::time).as("times")
        .containsExactly(Instant.parse("2026-11-05T10:00:00Z"), Instant.parse("2026-11-05T10:00:01Z"));
  }

  @Test
  void anUntouchedLogVerifies() {
    writeLog(5);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result).as("verification").isEqualTo(new AuditVerification(true, 5, 0, ""));
  }

  @Test
  void anEmptyLogVerifies() {
    writeLog(0);

    assertThat(AuditLog.verify(file()).ok()).as("empty log ok").isTrue();
  }

  @Test
  void anEditedLineIsFound() throws IOException {
    writeLog(4);
    List<String> lines = lines();
    lines.set(1, lines.get(1).replace("\"alice\"", "\"bob\""));
    rewrite(lines);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.ok()).as("ok").isFalse();
    assertThat(result.firstBadLine()).as("first bad line").isEqualTo(2);
    assertThat(result.entriesChecked()).as("lines intact before it").isEqualTo(1);
    assertThat(result.reason()).as("reason").contains("edited");
  }

  @Test
  void aLineReformattedWithoutChangingItsContentIsFound() throws IOException {
    writeLog(3);
    List<String> lines = lines();
    lines.set(1, lines.get(1).replace("\"seq\":2,", "\"seq\": 2,"));
    rewrite(lines);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.firstBadLine()).as("the reformatted line").isEqualTo(2);
    assertThat(result.reason()).as("reason").contains("not in canonical form");
  }

  @Test
  void aLineLongerThanTheLimitIsFound() throws IOException {
    writeLog(1);
    Files.writeString(file(), "x".repeat(AuditLog.MAX_LINE_BYTES + 10) + "\n", StandardOpenOption.APPEND);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.firstBadLine()).as("the long line").isEqualTo(2);
    assertThat(result.reason()).as("reason").contains("longer than");
  }

  @Test
  void anEditedLineWithARecomputedHashIsFoundAtTheNextLine() throws IOException {
    writeLog(4);
    List<String> lines = lines();
    AuditRecord original = records().get(1);
    AuditEntry forged = AuditEntry.ok("bob", "put", "aws", original.entry().key(), original.entry().details());
    String hash = AuditLines.hashOf(original.seq(), original.time(), forged, original.prev());
    lines.set(1, new String(AuditLines.line(new AuditRecord(original.seq(), original.time(), forged, original.prev(), hash)),
        StandardCharsets.UTF_8));
    rewrite(lines);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.firstBadLine()).as("the line after the forged one").isEqualTo(3);
    assertThat(result.reason()).as("reason").contains("prev is not the SHA-256 of line 2");
  }

  @Test
  void aLineRemovedFromTheMiddleIsFound() throws IOException {
    writeLog(5);
    List<String> lines = lines();
    lines.remove(2);
    rewrite(lines);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.ok()).as("ok").isFalse();
    assertThat(result.firstBadLine()).as("where the gap is").isEqualTo(3);
    assertThat(result.reason()).as("reason").contains("seq is 4 where 3 was expected");
  }

  @Test
  void aLineRemovedFromTheEndIsFoundThroughTheAnchor() throws IOException {
    writeLog(5);
    List<String> lines = lines();
    lines.removeLast();
    rewrite(lines);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.ok()).as("ok").isFalse();
    assertThat(result.entriesChecked()).as("the remaining lines are intact").isEqualTo(4);
    assertThat(result.firstBadLine()).as("the missing line's place").isEqualTo(5);
    assertThat(result.reason()).as("reason").contains("removed from the end");
  }

  @Test
  void aLineInsertedIsFound() throws IOException {
    writeLog(4);
    List<String> lines = lines();
    lines.add(2, lines.get(1));
    rewrite(lines);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.ok()).as("ok").isFalse();
    assertThat(result.firstBadLine()).as("the inserted copy").isEqualTo(3);
  }

  @Test
  void reorderedLinesAreFound() throws IOException {
    writeLog(4);
    List<String> lines = lines();
    Collections.swap(lines, 1, 2);
    rewrite(lines);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.ok()).as("ok").isFalse();
    assertThat(result.firstBadLine()).as("the first moved line").isEqualTo(2);
    assertThat(result.reason()).as("reason").contains("seq is 3 where 2 was expected");
  }

  @Test
  void aReplacedLastLineIsFoundThroughTheAnchor() throws IOException {
    writeLog(3);
    List<String> lines = lines();
    AuditRecord last = records().getLast();
    AuditEntry forged = AuditEntry.ok("bob", "delete", "aws", last.entry().key(), Map.of());
    String hash = AuditLines.hashOf(last.seq(), last.time(), forged, last.prev());
    lines.set(2, new String(AuditLines.line(new AuditRecord(last.seq(), last.time(), forged, last.prev(), hash)),
        StandardCharsets.UTF_8));
    rewrite(lines);

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.firstBadLine()).as("last line").isEqualTo(3);
    assertThat(result.reason()).as("reason").contains("was replaced");
  }

  @Test
  void aMissingAnchorIsReported() throws IOException {
    writeLog(2);
    Files.delete(AuditLog.headFile(file()));

    AuditVerification result = AuditLog.verify(file());

    assertThat(result.ok()).as("ok").isFalse();
    assertThat(result.reason()).as("reason").contains("anchor").contains("missing");
  }

  @Test
  void aMissingLogIsReported() {
    AuditVerification result = AuditLog.verify(dir.resolve("nothing.jsonl"));

    assertThat(result.ok()).as("ok").isFalse();
    assertThat(result.reason()).as("reason").contains("does not exist");
  }

  @Test
  void reopeningResumesTheChain() {
    writeLog(2);

    try (AuditLog log = AuditLog.open(file(), clock)) {
      assertThat(log.lastSeq()).as("last seq found on open").isEqualTo(2);
      AuditRecord third = log.append(entry(3));
      assertThat(third.seq()).as("seq of the next append").isEqualTo(3);
    }

    assertThat(AuditLog.verify(file())).as("verification").isEqualTo(new AuditVerification(true, 3, 0, ""));
  }

  @Test
  void anAppendThatDidNotFinishIsCutOffOnReopen() throws IOException {
    writeLog(2);
    Files.writeString(file(), "{\"seq\":3,\"time\":\"2026-11", StandardOpenOption.APPEND);
    assertThat(AuditLog.verify(file()).reason()).as("before reopening").contains("an append did not finish");

    try (AuditLog log = AuditLog.open(file(), clock)) {
      log.append(entry(3));
    }

    assertThat(AuditLog.verify(file())).as("after reopening").isEqualTo(new AuditVerification(true, 3, 0, ""));
  }

  @Test
  void anAnchorOneAppendBehindIsBroughtUpToDateOnReopen() throws IOException {
    writeLog(2);
    byte[] anchorAfterTwo = Files.readAllBytes(AuditLog.headFile(file()));
    try (AuditLog log = AuditLog.open(file(), clock)) {
      log.append(entry(3));
    }
    // As if the process died between writing line 3 and its anchor.
    Files.write(AuditLog.headFile(file()), anchorAfterTwo);

    try (AuditLog log = AuditLog.open(file(), clock)) {
      assertThat(log.lastSeq()).as("no entry added on reopen").isEqualTo(3);
    }

    assertThat(AuditLog.verify(file()).ok()).as("verifies after the repair").isTrue();
  }

  @Test
  void reopeningATruncatedLogRecordsTheMismatchAndVerifyKeepsReportingIt() throws IOException {
    writeLog(4);
    List<String> lines = lines();
    lines.removeLast();
    rewrite(lines);

    try (AuditLog log = AuditLog.open(file(), clock)) {
      log.append(entry(99));
    }

    List<AuditRecord> records = records();
    assertThat(records.get(3).entry().action()).as("the line the log wrote on reopening")
        .isEqualTo(AuditLog.ANCHOR_MISMATCH);
    AuditVerification result = AuditLog.verify(file());
    assertThat(result.ok()).as("ok").isFalse();
    assertThat(result.firstBadLine()).as("the mismatch entry").isEqualTo(4);
    assertThat(result.reason()).as("reason").contains("did not match its anchor").contains("seq 4");
  }

  @Test
  void aSecondOpenOfTheSameFileIsRefused() {
    try (AuditLog log = AuditLog.open(file(), clock)) {
      assertThatThrownBy(() -> AuditLog.open(file(), clock))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already open");
    }
  }

  @Test
  void appendsAfterCloseAreRefused() {
    AuditLog log = AuditLog.open(file(), clock);
    log.close();

    assertThatThrownBy(() -> log.append(entry(1)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("closed");
  }

  @Test
  void concurrentAppendsFromVirtualThreadsFormOneUnbrokenChain() throws InterruptedException {
    int threads = 8;
    int perThread = 50;
    try (AuditLog log = AuditLog.open(file(), clock, false)) {
      List<Thread> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        started.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < perThread; i++) {
            log.append(entry(id * 1000 + i));
          }
        }));
      }
      for (Thread thread : started) {
        thread.join();
      }
      assertThat(log.lastSeq()).as("last seq").isEqualTo(threads * perThread);
    }

    assertThat(AuditLog.verify(file()))
        .as("verification").isEqualTo(new AuditVerification(true, threads * perThread, 0, ""));
  }

  @Test
  void anchorIsTheShaOfTheLastLine() throws IOException {
    try (AuditLog log = AuditLog.open(file(), clock)) {
      assertThat(log.anchor()).as("anchor of an empty log").isEqualTo(AuditLog.GENESIS);
      log.append(entry(1));
      assertThat(log.anchor()).as("anchor after one line")
          .isEqualTo(Digests.sha256Hex(lines().getFirst().getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void blankEntryFieldsAreRejected() {
    assertThatThrownBy(() -> AuditEntry.ok(" ", "put", "aws", "k", Map.of()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("actor");
    assertThatThrownBy(() -> AuditEntry.failed("alice", "put", "aws", "k", "", Map.of()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("result");
  }

  @Test
  void anEntryTooLongForOneLineIsRejectedAndNothingIsWritten() throws IOException {
    try (AuditLog log = AuditLog.open(file(), clock)) {
      AuditEntry huge = AuditEntry.ok("alice", "put", "aws", "k", Map.of("note", "x".repeat(AuditLog.MAX_LINE_BYTES)));
      assertThatThrownBy(() -> log.append(huge))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most");
      assertThat(log.lastSeq()).as("seq unchanged").isZero();
    }
    assertThat(Files.size(file())).as("file size").isZero();
  }

  /** Starts at {@code start} and moves one second forward on every reading. */
  private static final class SteppingClock extends Clock {
    private final AtomicLong seconds;

    SteppingClock(Instant start) {
      this.seconds = new AtomicLong(start.getEpochSecond());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds.getAndIncrement());
    }
  }
}
