package io.grey.core.store;

import io.grey.core.config.GreyConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link BlobStoreProvider} may use besides its own config section. Immutable.
 *
 * @param config the whole configuration (the local provider reads {@code storage.local} from it)
 * @param publicBaseUrl the base URL clients reach the server at, for stores that presign through the server
 * @param clock the time every store timestamp and presigned expiry comes from
 * @param environment the process environment, consulted only to say which credential source would be used
 */
public record StoreContext(GreyConfig config, URI publicBaseUrl, Clock clock, Map<String, String> environment) {
  public StoreContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
    Objects.requireNonNull(clock, "clock");
    environment = Map.copyOf(environment);
  }

  /**
   * The context of a node running {@code config} that is not listening yet: the base URL is
   * {@code server.public_url}, or {@code http://host:port} when that is empty; the clock is the system's.
   */
  public static StoreContext of(GreyConfig config, Map<String, String> environment) {
    String publicUrl = config.server().publicUrl();
    URI base;
    if (!publicUrl.isBlank()) {
      base = URI.create(publicUrl.replaceAll("/+$", ""));
    } else {
      String host = config.server().host();
      if (host.equals("0.0.0.0") || host.equals("::")) {
        host = "127.0.0.1";
      }
      base = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.server().port());
    }
    return new StoreContext(config, base, Clock.systemUTC(), environment);
  }

  /** The node's data directory ({@code server.data_dir}), where stores keep local state such as staging files. */
  public Path dataDir() {
    return config.server().dataDir();
  }
}
