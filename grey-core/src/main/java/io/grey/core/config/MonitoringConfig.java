package io.grey.core.config;

import java.util.Objects;

/**
 * The {@code monitoring:} section: metrics and tracing.
 *
 * @param prometheus the scrape endpoint ({@code prometheus})
 * @param opentelemetry the trace exporter ({@code opentelemetry})
 */
public record MonitoringConfig(PrometheusConfig prometheus, OpenTelemetryConfig opentelemetry) {
  public MonitoringConfig {
    Objects.requireNonNull(prometheus, "prometheus");
    Objects.requireNonNull(opentelemetry, "opentelemetry");
  }

  /** /metrics, no trace exporter, 10% sampling. */
  public static MonitoringConfig defaults() {
    return new MonitoringConfig(PrometheusConfig.defaults(), OpenTelemetryConfig.defaults());
  }

  static MonitoringConfig read(ConfigSection s) {
    PrometheusConfig prometheus = s.section("prometheus", PrometheusConfig::read, PrometheusConfig.defaults());
    OpenTelemetryConfig otel =
        s.section("opentelemetry", OpenTelemetryConfig::read, OpenTelemetryConfig.defaults());
    return s.build(() -> new MonitoringConfig(prometheus, otel));
  }
}
