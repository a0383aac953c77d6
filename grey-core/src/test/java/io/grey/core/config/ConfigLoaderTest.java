package io.grey.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path BASE = Path.of("/srv/grey");

  @TempDir Path dir;

  private static GreyConfig parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, "grey.yaml", env, BASE);
  }

  @Test
  void anEmptyFileGivesEveryDefault() {
    GreyConfig config = parse("", Map.of());

    assertThat(config).as("an empty file equals the embedded default resolved against the base directory")
        .isEqualTo(GreyConfig.defaults(BASE));
  }

  @Test
  void theServerDefaultsAreLoopbackPort8080AndGreyDataUnderTheBase() {
    ServerConfig server = parse("", Map.of()).server();

    assertThat(server.host()).as("host").isEqualTo("127.0.0.1");
    assertThat(server.port()).as("port").isEqualTo(8080);
    assertThat(server.dataDir()).as("data_dir").isEqualTo(Path.of("/srv/grey/grey-data"));
    assertThat(server.publicUrl()).as("public_url").isEmpty();
    assertThat(server.maxPresignTtl()).as("max_presign_ttl").isEqualTo(Duration.ofDays(7));
    assertThat(server.lifecycleSweepInterval()).as("lifecycle_sweep_interval").isEqualTo(Duration.ofHours(1));
  }

  @Test
  void theOtherSectionDefaultsAreDocumentedValues() {
    GreyConfig config = parse("", Map.of());

    assertThat(config.auth().tokens()).as("no tokens").isEmpty();
    assertThat(config.storage().local().root()).as("storage.local.root")
        .isEqualTo(Path.of("/srv/grey/grey-data/objects"));
    assertThat(config.lifecycle()).as("no lifecycle rules").isEmpty();
    assertThat(config.retry()).as("retry 5/100ms/30s")
        .isEqualTo(new RetryConfig(5, Duration.ofMillis(100), Duration.ofSeconds(30)));
    assertThat(config.monitoring().prometheus().path()).as("prometheus path").isEqualTo("/metrics");
    assertThat(config.monitoring().opentelemetry()).as("no otel endpoint, 10% sampling")
        .isEqualTo(new OpenTelemetryConfig("", 0.1));
    assertThat(config.audit()).as("audit on, under data_dir")
        .isEqualTo(new AuditConfig(true, Path.of("/srv/grey/grey-data/audit.log")));
    assertThat(config.environment()).as("environment").isEqualTo("development");
  }

  @Test
  void defaultsResolveAgainstTheCurrentDirectory() {
    GreyConfig config = GreyConfig.defaults();

    Path cwd = Path.of("").toAbsolutePath();
    assertThat(config.server().dataDir()).as("data_dir under the current directory")
        .isEqualTo(cwd.resolve("grey-data"));
    assertThat(config.storage().local().root()).isEqualTo(cwd.resolve("grey-data/objects"));
    assertThat(config.audit().file()).isEqualTo(cwd.resolve("grey-data/audit.log"));
  }

  @Test
  void storageAndAuditDefaultsFollowAConfiguredDataDir() {
    GreyConfig config = parse("server:\n  data_dir: /var/lib/grey\n", Map.of());

    assertThat(config.storage().local().root()).as("objects under the configured data_dir")
        .isEqualTo(Path.of("/var/lib/grey/objects"));
    assertThat(config.audit().file()).as("audit log under the configured data_dir")
        .isEqualTo(Path.of("/var/lib/grey/audit.log"));
  }

  @Test
  void aMissingKeyInAPresentSectionTakesItsDefault() {
    GreyConfig config = parse("retry:\n  max_retries: 2\nserver:\n  port: 0\n", Map.of());

    assertThat(config.retry()).as("only max_retries changed")
        .isEqualTo(new RetryConfig(2, Duration.ofMillis(100), Duration.ofSeconds(30)));
    assertThat(config.server().port()).as("port 0 means ephemeral and is allowed").isZero();
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void relativePathsInAFileResolveAgainstTheFilesDirectory() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("etc"));
    Path file = sub.resolve("grey.yaml");
    Files.writeString(file, "server:\n  data_dir: ../data\naudit:\n  file: logs/audit.log\n");

    GreyConfig config = ConfigLoader.load(file, Map.of());

    assertThat(config.server().dataDir()).as("data_dir relative to etc/").isEqualTo(dir.resolve("data"));
    assertThat(config.audit().file()).as("audit file relative to etc/").isEqualTo(sub.resolve("logs/audit.log"));
    assertThat(config.storage().local().root()).isEqualTo(dir.resolve("data/objects"));
  }

  @Test
  void aVariableIsReplacedByItsValue() {
    GreyConfig config = parse("server:\n  host: ${GREY_HOST}\n", Map.of("GREY_HOST", "0.0.0.0"));

    assertThat(config.server().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void anUnsetVariableTakesItsDefault() {
    GreyConfig config = parse("server:\n  port: ${GREY_PORT:-9090}\n", Map.of());

    assertThat(config.server().port()).as("the default after :-").isEqualTo(9090);
  }

  @Test
  void aSetVariableWinsOverItsDefault() {
    GreyConfig config = parse("server:\n  port: ${GREY_PORT:-9090}\n", Map.of("GREY_PORT", "7070"));

    assertThat(config.server().port()).isEqualTo(7070);
  }

  @Test
  void anEmptyDefaultGivesAnEmptyValue() {
    GreyConfig config = parse("monitoring:\n  opentelemetry:\n    endpoint: ${GREY_OTEL_ENDPOINT:-}\n", Map.of());

    assertThat(config.monitoring().opentelemetry().endpoint()).as("empty endpoint").isEmpty();
  }

  @Test
  void severalVariablesOnOneLineAreAllReplaced() {
    GreyConfig config = parse("server:\n  public_url: https://${H}:${P:-443}/grey\n", Map.of("H", "grey.example"));

    assertThat(config.server().publicUrl()).isEqualTo("https://grey.example:443/grey");
  }

  @Test
  void aDoubledDollarIsALiteralDollarBrace() {
    GreyConfig config = parse("auth:\n  tokens:\n    - token: abc$${NOT_A_VAR}defghijklmnop\n      tenant: a\n",
        Map.of());

    assertThat(config.auth().tokens().getFirst().token()).as("$${ kept as a literal ${")
        .isEqualTo("abc${NOT_A_VAR}defghijklmnop");
  }

  @Test
  void commentsMayMentionUnsetVariables() {
    GreyConfig config = parse("# set ${GREY_UNSET} to taste\nenvironment: staging  # or ${OTHER}\n", Map.of());

    assertThat(config.environment()).isEqualTo("staging");
  }

  @Test
  void isoDurationsAreAccepted() {
    GreyConfig config = parse("retry:\n  base_delay: PT0.25S\n  max_delay: PT1M\n", Map.of());

    assertThat(config.retry().baseDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.retry().maxDelay()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void withServerMovesDefaultPathsToTheNewDataDir() {
    GreyConfig config = GreyConfig.defaults(BASE).withServer(
        ServerConfig.defaults(BASE).withDataDir(Path.of("/tmp/g")).withPort(0));

    assertThat(config.storage().local().root()).as("default root follows data_dir")
        .isEqualTo(Path.of("/tmp/g/objects"));
    assertThat(config.audit().file()).as("default audit file follows data_dir")
        .isEqualTo(Path.of("/tmp/g/audit.log"));
  }

  @Test
  void withServerKeepsExplicitPaths() {
    GreyConfig config = GreyConfig.defaults(BASE)
        .withStorage(new StorageConfig(new LocalStorageConfig(Path.of("/mnt/objects"))))
        .withServer(ServerConfig.defaults(BASE).withDataDir(Path.of("/tmp/g")));

    assertThat(config.storage().local().root()).as("explicit root kept").isEqualTo(Path.of("/mnt/objects"));
  }

  @Test
  void theExampleConfigLoadsWithEveryKeySet() throws URISyntaxException {
    Path example = Path.of(getClass().getResource("/config/grey.example.yaml").toURI());

    assertExample(ConfigLoader.load(example, Map.of()), example.getParent());
  }

  @Test
  void theDocumentedExampleConfigIsTheTestedOne() throws IOException, URISyntaxException {
    Path docs = Path.of("../docs/grey.example.yaml").toAbsolutePath().normalize();
    Path tested = Path.of(getClass().getResource("/config/grey.example.yaml").toURI());

    assertThat(Files.readString(docs)).as("docs/grey.example.yaml equals the tested example")
        .isEqualTo(Files.readString(tested));
    assertExample(ConfigLoader.load(docs, Map.of()), docs.getParent());
  }

  @Test
  void theExampleTakesTokensFromTheEnvironment() throws URISyntaxException {
    Path example = Path.of(getClass().getResource("/config/grey.example.yaml").toURI());

    GreyConfig config = ConfigLoader.load(example,
        Map.of("GREY_TOKEN_ACME", "acme-secret-from-env-0001", "GREY_OTEL_ENDPOINT", "http://collector:4317"));

    assertThat(config.auth().tokens().getFirst().token()).isEqualTo("acme-secret-from-env-0001");
    assertThat(config.monitoring().opentelemetry().endpoint()).isEqualTo("http://collector:4317");
  }

  private static void assertExample(GreyConfig config, Path dir) {
    assertThat(config.server()).isEqualTo(new ServerConfig("127.0.0.1", 8080, dir.resolve("grey-data"), "",
        Duration.ofDays(7), Duration.ofHours(1)));
    assertThat(config.auth().tokens()).containsExactly(
        new TokenConfig("change-me-acme-0123456789", "acme"),
        new TokenConfig("change-me-globex-0123456789", "globex"));
    assertThat(config.storage().local().root()).isEqualTo(dir.resolve("grey-data/objects"));
    assertThat(config.storage().backend()).isEqualTo("local");
    assertThat(config.backendSections()).as("the cloud sections are comments only").isEmpty();
    assertThat(config.lifecycle()).containsExactly(new LifecycleRuleConfig("artifacts/", 365, List.of(
        new TransitionConfig(30, "INFREQUENT_ACCESS"), new TransitionConfig(90, "ARCHIVE"))));
    assertThat(config.retry()).isEqualTo(new RetryConfig(5, Duration.ofMillis(100), Duration.ofSeconds(30)));
    assertThat(config.monitoring()).isEqualTo(
        new MonitoringConfig(new PrometheusConfig("/metrics"), new OpenTelemetryConfig("", 0.1)));
    assertThat(config.audit()).isEqualTo(new AuditConfig(true, dir.resolve("grey-data/audit.log")));
    assertThat(config.environment()).isEqualTo("production");
  }
}
