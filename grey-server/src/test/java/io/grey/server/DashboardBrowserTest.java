package io.grey.server;

import static io.grey.server.TestNodes.TOKEN_A;
import static io.grey.server.TestNodes.get;
import static io.grey.server.TestNodes.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web dashboard at / in headless Chromium (Debian chromium and chromium-driver, installed when missing; the
 * system chromedriver, nothing downloaded): after a token is entered it shows what GET /api/v1/overview
 * answers, number for number, and follows it as it changes without a reload.
 */
class DashboardBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static ChromeDriverService service;
  private static ChromeDriver browser;

  @TempDir Path dataDir;
  private GreyServer node;

  @BeforeAll
  static void startBrowser() {
    Path chromium = DebianTools.require("chromium", "chromium");
    Path driver = DebianTools.require("chromedriver", "chromium-driver");
    service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    // --no-sandbox: the build may run as root, where Chromium's sandbox refuses to start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--no-first-run", "--window-size=1280,900");
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
  }

  @BeforeEach
  void startNode() {
    OverviewSource.Parts parts = new OverviewSource.Parts(
        () -> List.of(new OverviewSource.ReplicationRow("gcp-west", 7, 42.25),
            new OverviewSource.ReplicationRow("azure-eu", 0, 0)),
        () -> List.of(new OverviewSource.TenantRow("acme", 812.345, OptionalDouble.of(0.8125)),
            new OverviewSource.TenantRow("globex", 3, OptionalDouble.of(1.5))));
    node = GreyServer.start(TestNodes.config(dataDir), java.time.Clock.systemUTC(), parts);
  }

  @AfterEach
  void stopNode() {
    node.close();
  }

  private void traffic(int puts) {
    for (int i = 0; i < puts; i++) {
      assertThat(put(node, "/v1/artifacts/acme/t/a" + i, TOKEN_A, "body " + i).statusCode()).as("put").isEqualTo(200);
    }
  }

  private JsonNode overview() throws Exception {
    return JSON.readTree(get(node, "/api/v1/overview", TOKEN_A).body());
  }

  private void open(String token) {
    browser.get(node.baseUri() + "/?refresh=1");
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("connect")).click();
  }

  /** What toFixed(digits) shows for {@code value * scale}, or the dash of an absent figure. */
  private static String shown(JsonNode value, int digits, double scale) {
    if (value.isNull()) {
      return "\u2014";
    }
    return new BigDecimal(value.asDouble() * scale).setScale(digits, RoundingMode.HALF_UP).toPlainString();
  }

  private List<List<String>> rows(String table) {
    List<List<String>> rows = new ArrayList<>();
    for (WebElement row : browser.findElements(By.cssSelector("#" + table + " tbody tr"))) {
      rows.add(row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList());
    }
    return rows;
  }

  private void assertPageShows(JsonNode overview) {
    List<List<String>> stores = new ArrayList<>();
    for (JsonNode s : overview.path("stores")) {
      stores.add(List.of(s.path("name").asText(), s.path("status").asText(), shown(s.path("latency_p50_ms"), 2, 1),
          shown(s.path("latency_p99_ms"), 2, 1), shown(s.path("error_rate"), 2, 100)));
    }
    List<List<String>> replication = new ArrayList<>();
    for (JsonNode r : overview.path("replication")) {
      replication.add(List.of(r.path("target").asText(), String.valueOf(r.path("queue_depth").asLong()),
          shown(r.path("lag_seconds"), 1, 1)));
    }
    List<List<String>> tenants = new ArrayList<>();
    for (JsonNode t : overview.path("tenants")) {
      tenants.add(List.of(t.path("tenant").asText(), shown(t.path("month_to_date_usd"), 2, 1),
          shown(t.path("budget_used_ratio"), 1, 100)));
    }
    assertThat(rows("stores")).as("stores table").isEqualTo(stores);
    assertThat(rows("replication")).as("replication table").isEqualTo(replication);
    assertThat(rows("tenants")).as("cost table").isEqualTo(tenants);
    for (JsonNode s : overview.path("stores")) {
      if (!s.path("latency_p99_ms").isNumber()) {
        continue;
      }
      String raw = browser.findElement(By.cssSelector("#stores tr[data-store='" + s.path("name").asText()
          + "'] td:nth-child(4)")).getAttribute("data-value");
      assertThat(Double.parseDouble(raw)).as("p99 behind the rounded figure").isEqualTo(s.path("latency_p99_ms").asDouble());
    }
  }

  @Test
  void theDashboardShowsTheOverviewsFiguresNumberForNumber() throws Exception {
    traffic(5);
    JsonNode expected = overview();
    assertThat(expected.path("stores").get(0).path("latency_p99_ms").isNumber()).as("a latency to show").isTrue();

    open(TOKEN_A);

    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertPageShows(expected));
    assertThat(rows("tenants")).as("only acme's cost for acme's token").hasSize(1);
    assertThat(browser.findElement(By.cssSelector("#tenants tr[data-tenant='acme']")).getAttribute("class"))
        .as("a budget 81% used is marked as a warning").isEqualTo("budget-warning");
    assertThat(browser.findElement(By.id("state")).getText()).as("connection state").isEqualTo("Connected.");
  }

  @Test
  void theDashboardFollowsTheNodeWithoutAReload() throws Exception {
    open(TOKEN_A);
    JsonNode before = overview();
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertPageShows(before));
    assertThat(before.path("stores").get(0).path("latency_p50_ms").isNull()).as("no calls yet").isTrue();
    Object page = ((JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;");

    traffic(3);
    JsonNode after = overview();

    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertPageShows(after));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;"))
        .as("the same page, not a reload").isEqualTo(page);
  }

  @Test
  void aRefusedTokenIsReportedAndTheTablesStayEmpty() {
    open("not-a-valid-token");

    await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.findElement(By.id("state")).getText())
        .as("state after a refused token").contains("the token was refused"));
    assertThat(rows("stores")).as("no store rows without a valid token").isEmpty();
  }

  @Test
  void thePageLoadsNothingFromAnotherOrigin() {
    open(TOKEN_A);
    await().atMost(PATIENCE).until(() -> browser.findElement(By.id("state")).getText().equals("Connected."));

    @SuppressWarnings("unchecked")
    List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
        "return window.performance.getEntriesByType('resource').map(function (e) { return e.name; });");

    assertThat(loaded).as("resources the page fetched").isNotEmpty()
        .allSatisfy(url -> assertThat(url).startsWith(node.baseUri().toString()));
  }
}
