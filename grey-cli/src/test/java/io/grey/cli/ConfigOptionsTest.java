package io.grey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.ConfigException;
import io.grey.core.config.GreyConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOptionsTest {
  private static CliEnvironment env(Map<String, String> variables) {
    return new CliEnvironment(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()), variables, false);
  }

  @Test
  void theEmbeddedDefaultExportsTracesToGreyOtelEndpointWhenItIsSet() {
    GreyConfig config = new ConfigOptions().load(env(Map.of("GREY_OTEL_ENDPOINT", "http://127.0.0.1:4318")));

    assertThat(config.monitoring().opentelemetry().endpoint()).as("the endpoint from GREY_OTEL_ENDPOINT")
        .isEqualTo("http://127.0.0.1:4318");
    assertThat(config.monitoring().opentelemetry().sampleRate()).as("the default sample rate").isEqualTo(0.1);
  }

  @Test
  void theEmbeddedDefaultExportsNothingWithoutGreyOtelEndpoint() {
    GreyConfig config = new ConfigOptions().load(env(Map.of()));

    assertThat(config.monitoring().opentelemetry().endpoint()).as("no exporter").isEmpty();
  }

  @Test
  void aMalformedGreyOtelEndpointIsAConfigError() {
    assertThatThrownBy(() -> new ConfigOptions().load(env(Map.of("GREY_OTEL_ENDPOINT", "not a url"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("monitoring.opentelemetry.endpoint");
  }
}
