package io.grey.core.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of config error is refused with the file, the exact line and column, and the full key path. */
class ConfigLoaderErrorTest {

  private static void parse(String yaml) {
    ConfigLoader.parse(yaml, "grey.yaml", Map.of());
  }

  @Test
  void anUnknownKeyNamesItsLineColumnPathAndTheKnownKeys() {
    String yaml = """
        # comment
        environment: test

        server:
          host: 0.0.0.0

            # indented comment
          prot: 9000
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .as("the unknown key at line 8, column 3, with the keys that exist")
        .hasMessage("grey.yaml:8:3: unknown key 'server.prot' (known: host, port, data_dir, public_url,"
            + " max_presign_ttl, lifecycle_sweep_interval)");
  }

  @Test
  void anUnknownTopLevelSectionIsRefused() {
    String yaml = """
        server:
          port: 8080
        servre:
          port: 1
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:3:1: unknown key 'servre' (known: server, auth, storage,")
        .hasMessageContaining("environment)");
  }

  @Test
  void anUnknownKeyInsideAListItemNamesTheItemIndex() {
    String yaml = """
        lifecycle:
          - prefix: artifacts/
            expiration_days: 30
          - prefix: state/
            expiration_dayz: 30
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:5:5: unknown key 'lifecycle[1].expiration_dayz' (known: prefix,");
  }

  @Test
  void aWordWhereAnIntegerBelongsNamesTheValuesPosition() {
    String yaml = """
        server:
          host: 127.0.0.1
          port: abc
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:9: server.port: expected an integer, got 'abc'");
  }

  @Test
  void aWordWhereABooleanBelongsIsRefused() {
    String yaml = """
        audit:
          enabled: sometimes
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:12: audit.enabled: expected true or false, got 'sometimes'");
  }

  @Test
  void aWordWhereANumberBelongsIsRefused() {
    String yaml = """
        monitoring:
          opentelemetry:
            sample_rate: lots
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:18: monitoring.opentelemetry.sample_rate: expected a number, got 'lots'");
  }

  @Test
  void aValueWhereASectionBelongsIsRefused() {
    String yaml = """
        environment: test
        retry: 5
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:8: retry: expected a mapping (key: value lines), got '5'");
  }

  @Test
  void aMappingWhereAListBelongsIsRefused() {
    String yaml = """
        lifecycle:
          prefix: artifacts/
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:3: lifecycle: expected a list, got a mapping");
  }

  @Test
  void aListWhereASingleValueBelongsIsRefused() {
    String yaml = """
        server:
          host: [a, b]
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:9: server.host: expected a single value, got a list");
  }

  @Test
  void aPortOutOfRangeIsRefusedAtItsLine() {
    String yaml = """
        server:
          port: 70000
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:9: server.port: must be 0-65535 (0 picks a free port), got 70000");
  }

  @Test
  void aGarbageDurationIsRefusedWithTheAcceptedForms() {
    String yaml = """
        retry:
          base_delay: soon
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:2:15: retry.base_delay: 'soon' is not a duration")
        .hasMessageContaining("100ms, 30s, 5m, 1h, 7d");
  }

  @Test
  void aNegativeDurationIsRefused() {
    String yaml = """
        server:
          lifecycle_sweep_interval: -5m
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:29: server.lifecycle_sweep_interval: duration '-5m' is negative");
  }

  @Test
  void aZeroSweepIntervalIsRefused() {
    String yaml = """
        server:
          lifecycle_sweep_interval: 0s
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:29: server.lifecycle_sweep_interval: must be a positive duration, got PT0S");
  }

  @Test
  void aPresignTtlLongerThanSevenDaysIsRefused() {
    String yaml = """
        server:
          max_presign_ttl: 8d
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:20: server.max_presign_ttl: must be between 1s and 7d, got PT192H");
  }

  @Test
  void aPublicUrlThatIsNotHttpIsRefused() {
    String yaml = """
        server:
          public_url: ftp://files.example.com
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:2:15: server.public_url: must be \"\" or an absolute http(s) URL");
  }

  @Test
  void aShortTokenIsRefused() {
    String yaml = """
        auth:
          tokens:
            - token: short
              tenant: acme
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:14: auth.tokens[0].token: must be at least 16 characters, got 5");
  }

  @Test
  void anEmptyTokenIsRefused() {
    String yaml = """
        auth:
          tokens:
            - token: ""
              tenant: acme
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:14: auth.tokens[0].token: must not be empty");
  }

  @Test
  void aTokenListedTwiceIsRefused() {
    String yaml = """
        auth:
          tokens:
            - token: aaaaaaaaaaaaaaaaaaaa
              tenant: acme
            - token: aaaaaaaaaaaaaaaaaaaa
              tenant: globex
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:3: auth.tokens[1].token: the same token is listed twice"
            + " (each token must be unique)");
  }

  @Test
  void aTokenWithoutTenantIsRefused() {
    String yaml = """
        auth:
          tokens:
            - token: aaaaaaaaaaaaaaaaaaaa
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:7: auth.tokens[0]: missing key 'tenant'");
  }

  @Test
  void anInvalidTenantIsRefusedWithTheTenantRule() {
    String yaml = """
        auth:
          tokens:
            - token: aaaaaaaaaaaaaaaaaaaa
              tenant: Acme Corp
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:4:15: auth.tokens[0].tenant: tenant 'Acme Corp' must match");
  }

  @Test
  void anEmptyLifecyclePrefixIsRefused() {
    String yaml = """
        lifecycle:
          - prefix: ""
            expiration_days: 30
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:13: lifecycle[0].prefix: must not be empty");
  }

  @Test
  void aNonPositiveExpirationIsRefused() {
    String yaml = """
        lifecycle:
          - prefix: artifacts/
            expiration_days: 0
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:22: lifecycle[0].expiration_days: must be a positive number of days, got 0");
  }

  @Test
  void aNonPositiveTransitionDayIsRefused() {
    String yaml = """
        lifecycle:
          - prefix: artifacts/
            transitions:
              - days: -1
                storage_class: ARCHIVE
            expiration_days: 30
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:4:15: lifecycle[0].transitions[0].days: must be a positive number of days,"
            + " got -1");
  }

  @Test
  void aTransitionAfterTheExpirationIsRefused() {
    String yaml = """
        lifecycle:
          - prefix: artifacts/
            transitions:
              - days: 400
                storage_class: ARCHIVE
            expiration_days: 365
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:5: lifecycle.transitions: a transition after 400 days comes at or after the"
            + " expiration after 365 days");
  }

  @Test
  void aSampleRateAboveOneIsRefused() {
    String yaml = """
        monitoring:
          opentelemetry:
            sample_rate: 1.5
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:18: monitoring.opentelemetry.sample_rate: must be between 0 and 1, got 1.5");
  }

  @Test
  void retryValuesFollowTheRetryPolicyRules() {
    String yaml = """
        retry:
          base_delay: 1m
          max_delay: 30s
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:3: retry base_delay PT1M must not exceed max_delay PT30S");
  }

  @Test
  void tooManyRetriesAreRefused() {
    String yaml = """
        retry:
          max_retries: 101
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:2:16: retry.max_retries: must be 0-100, got 101");
  }

  @Test
  void anEnvironmentThatCannotBeATagIsRefused() {
    String yaml = """
        environment: "prod*"
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:1:14: environment: 'prod*' must be 1-256 letters");
  }

  @Test
  void aDuplicateKeyIsRefused() {
    String yaml = """
        server:
          port: 1
          port: 2
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:3:3: duplicate key 'port' (first at line 2)");
  }

  @Test
  void brokenYamlNamesTheLine() {
    String yaml = """
        server:
          port: 1
          host: [unclosed
        environment: x
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:4:")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void aTopLevelListIsRefused() {
    assertThatThrownBy(() -> parse("- a\n- b\n")).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:1:1: (top level): expected a mapping (key: value lines), got a list");
  }

  @Test
  void anUndefinedVariableWithoutDefaultNamesFileLineAndVariable() {
    String yaml = """
        server:
          host: 127.0.0.1

          public_url: https://${GREY_HOST}/
        """;
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:4:23: environment variable 'GREY_HOST' is not set and has no default"
            + " (write ${GREY_HOST:-default})");
  }

  @Test
  void anUnterminatedVariableIsRefused() {
    assertThatThrownBy(() -> parse("environment: ${OOPS\n")).isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:1:14: unterminated '${' (write '$${' for a literal '${')");
  }

  @Test
  void aMalformedVariableNameIsRefused() {
    assertThatThrownBy(() -> parse("\nenvironment: ${1X}\n")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("grey.yaml:2:14: '${1X}' is not a variable reference");
  }

  @Test
  void aVariableWithALineBreakIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.parse("environment: ${E}\n", "grey.yaml", Map.of("E", "a\nb: c")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("grey.yaml:1:14: value of environment variable 'E' contains a line break");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(java.nio.file.Path.of("/nonexistent/grey.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("/nonexistent/grey.yaml: config file not found");
  }
}
