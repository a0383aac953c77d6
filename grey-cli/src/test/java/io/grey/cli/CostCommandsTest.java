package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grey.core.ObjectKey;
import io.grey.core.config.ConfigLoader;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.cost.CostService;
import io.grey.testkit.MemoryBlobStore;
import io.grey.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grey cost ...} reading a metering database written by the metering layer. */
class CostCommandsTest {
  @TempDir
  Path dir;
  Path configFile;
  LocalDate today;

  @BeforeEach
  void meterTwentyDaysOfWrites() throws Exception {
    configFile = dir.resolve("grey.yaml");
    Files.writeString(configFile, """
        server:
          data_dir: ./data
        cost:
          prices:
            - {cloud: local, storage_class: STANDARD, write_per_1000: 1000, source: test, date: 2026-11-01}
          budgets:
            - {name: acme-monthly, amount: 1000, alerts: [50, 80, 100], tenant: acme}
        """);
    var config = ConfigLoader.load(configFile, Map.of());
    today = LocalDate.now(ZoneOffset.UTC);
    // Twenty days ending yesterday, one write (1 USD at the test price) per day plus one more on Wednesdays.
    MutableClock clock = new MutableClock(today.minusDays(20).atStartOfDay().toInstant(ZoneOffset.UTC));
    try (CostService cost = CostService.open(config, clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("local", clock));
      for (int day = 0; day < 20; day++) {
        LocalDate date = today.minusDays(20 - day);
        int writes = date.getDayOfWeek().getValue() == 3 ? 2 : 1;
        for (int i = 0; i < writes; i++) {
          store.put(ObjectKey.of("artifacts/acme/task-" + day + "/o" + i), new ByteArrayInputStream(new byte[0]),
              PutOptions.defaults());
        }
        clock.advance(Duration.ofDays(1));
      }
    }
  }

  private Cli.Result cost(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "cost";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--config";
    all[args.length + 2] = configFile.toString();
    return Cli.run(all);
  }

  private int wednesdays() {
    int n = 0;
    for (int day = 0; day < 20; day++) {
      if (today.minusDays(20 - day).getDayOfWeek().getValue() == 3) {
        n++;
      }
    }
    return n;
  }

  @Test
  void reportPrintsTotalsAsJsonCsvAndTable() throws Exception {
    String from = today.minusDays(30).toString();
    String to = today.toString();
    Cli.Result json = cost("report", "--tenant", "acme", "--from", from, "--to", to, "--by", "day", "-o", "json");
    assertThat(json.exit()).as(json.toString()).isZero();
    JsonNode doc = GreyClient.JSON.readTree(json.out());
    assertThat(doc.path("total").decimalValue()).as("one USD per write")
        .isEqualByComparingTo(String.valueOf(20 + wednesdays()));
    assertThat(doc.path("groups")).as("one group per day with usage").hasSize(20);

    Cli.Result csv = cost("report", "--tenant", "acme", "--from", from, "--to", to, "--by", "task", "-o", "csv");
    assertThat(csv.out()).startsWith("task,service,amount_usd\n").contains("acme/task-0,requests,1.0000000000")
        .endsWith("total,," + (20 + wednesdays()) + ".0000000000\n");

    Cli.Result table = cost("report", "--tenant", "acme", "--from", from, "--to", to, "--by", "cloud");
    assertThat(table.out()).contains("CLOUD").contains("local").contains((20 + wednesdays()) + ".00");
  }

  @Test
  void budgetStatusShowsTheMonthsSpend() throws Exception {
    Cli.Result result = cost("budget", "status", "-o", "json");
    assertThat(result.exit()).as(result.toString()).isZero();
    JsonNode budget = GreyClient.JSON.readTree(result.out()).path("budgets").get(0);
    assertThat(budget.path("budget").asText()).isEqualTo("acme-monthly");
    assertThat(budget.path("period").asText()).isEqualTo(today.toString().substring(0, 7));
  }

  @Test
  void forecastUsesTheWeeklyModelOnTwentyDays() throws Exception {
    Cli.Result result = cost("forecast", "--days", "7", "--tenant", "acme", "-o", "json");
    assertThat(result.exit()).as(result.toString()).isZero();
    JsonNode doc = GreyClient.JSON.readTree(result.out());
    assertThat(doc.path("method").asText()).contains("weekly");
    assertThat(doc.path("history_days").asInt()).isEqualTo(20);
    // The series is exactly 1 a day plus 1 on Wednesdays, so a week ahead costs 8.
    assertThat(doc.path("total").decimalValue()).isEqualByComparingTo("8.00");
  }

  @Test
  void compareListsEveryCatalogRowCheapestFirst() throws Exception {
    Cli.Result result = cost("compare", "--tenant", "acme");
    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out()).contains("CLOUD").contains("aws").contains("GLACIER").contains("azure");
    assertThat(result.out().indexOf("aws")).as("the test-priced local disk is the dearest, so listed last")
        .isLessThan(result.out().lastIndexOf("local"));
  }

  @Test
  void aConfigurationWithoutAMeteringDatabaseIsNotFound() throws Exception {
    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "server:\n  data_dir: ./nothing-here\n");
    Cli.Result result = Cli.run("cost", "report", "--config", other.toString());
    assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).contains("metering database");
    assertThat(Files.exists(dir.resolve("nothing-here/metering.db"))).as("nothing created").isFalse();
  }

  @Test
  void configValidateRefusesABadCostSectionWithItsLine() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "cost:\n  budgets:\n    - {name: b, amount: ten}\n");
    Cli.Result result = Cli.run("config", "validate", bad.toString());
    assertThat(result.exit()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("bad.yaml:3").contains("cost.budgets[0].amount");
  }
}
