package io.grey.core.config;

/**
 * The {@code monitoring.opentelemetry:} section.
 *
 * @param endpoint the OTLP collector URL ({@code endpoint}; "" exports no spans, the default)
 * @param sampleRate the fraction of traces kept ({@code sample_rate}, 0-1, default 0.1)
 * @throws io.grey.core.ConfigException naming the key that is out of range
 */
public record OpenTelemetryConfig(String endpoint, double sampleRate) {
  public OpenTelemetryConfig {
    Check.endpoint("monitoring.opentelemetry.endpoint", endpoint);
    Check.fraction("monitoring.opentelemetry.sample_rate", sampleRate);
  }

  /** No exporter, 10% sampling. */
  public static OpenTelemetryConfig defaults() {
    return new OpenTelemetryConfig("", 0.1);
  }

  static OpenTelemetryConfig read(ConfigSection s) {
    OpenTelemetryConfig d = defaults();
    String endpoint = s.string("endpoint", d.endpoint(), Check::endpoint);
    double rate = s.decimal("sample_rate", d.sampleRate(), Check::fraction);
    return s.build(() -> new OpenTelemetryConfig(endpoint, rate));
  }
}
