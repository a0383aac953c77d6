package io.grey.core.config;

/**
 * The {@code monitoring.prometheus:} section.
 *
 * @param path the HTTP path of the scrape endpoint ({@code path}, default /metrics)
 * @throws io.grey.core.ConfigException if the path does not start with '/'
 */
public record PrometheusConfig(String path) {
  public PrometheusConfig {
    Check.httpPath("monitoring.prometheus.path", path);
  }

  /** Scrapes at /metrics. */
  public static PrometheusConfig defaults() {
    return new PrometheusConfig("/metrics");
  }

  static PrometheusConfig read(ConfigSection s) {
    String path = s.string("path", defaults().path(), Check::httpPath);
    return s.build(() -> new PrometheusConfig(path));
  }
}
