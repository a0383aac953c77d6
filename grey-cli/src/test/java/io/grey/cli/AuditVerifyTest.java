package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grey.core.audit.AuditEntry;
import io.grey.core.audit.AuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyTest {
  @TempDir
  Path work;

  private Path writeLog(Path file, int entries) {
    try (AuditLog log = AuditLog.open(file, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC))) {
      for (int i = 1; i <= entries; i++) {
        log.append(AuditEntry.ok("tester", "put", "local", "artifacts/acme/t1/f" + i, Map.of()));
      }
    }
    return file;
  }

  @Test
  void intactLogVerifies() {
    Path log = writeLog(work.resolve("audit.log"), 3);
    Cli.Result result = Cli.run("audit", "verify", log.toString());
    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(result.out()).startsWith("ok: ").contains("3 entries");
  }

  @Test
  void editedLineIsNamed() throws IOException {
    Path log = writeLog(work.resolve("audit.log"), 3);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.set(1, lines.get(1).replace("artifacts/acme/t1/f2", "artifacts/acme/t1/fX"));
    Files.write(log, lines);
    Cli.Result result = Cli.run("audit", "verify", log.toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(result.err()).as("names the edited line").startsWith("grey: integrity mismatch").contains("line 2");
  }

  @Test
  void defaultFileIsTheDataDirectorysAuditLog() {
    Path dataDir = work.resolve("data");
    writeLog(dataDir.resolve("audit.log"), 2);
    Cli.Result result = Cli.run("audit", "verify", "--data-dir", dataDir.toString(), "-o", "json");
    assertThat(result.exit()).as("%s", result).isZero();
  }

  @Test
  void jsonReportsTheFirstBadLine() throws IOException {
    Path log = writeLog(work.resolve("audit.log"), 4);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.remove(2);
    Files.write(log, lines);
    Cli.Result result = Cli.run("audit", "verify", log.toString(), "--output", "json");
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.INTEGRITY);
    JsonNode doc = new ObjectMapper().readTree(result.out());
    assertThat(doc.path("ok").asBoolean(true)).isFalse();
    assertThat(doc.path("first_bad_line").asLong()).isEqualTo(3);
    assertThat(doc.path("entries_checked").asLong()).isEqualTo(2);
  }

  @Test
  void missingLogIsNotFound() {
    Cli.Result result = Cli.run("audit", "verify", work.resolve("nope.log").toString());
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCodes.NOT_FOUND);
  }
}
