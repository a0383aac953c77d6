package io.grey.core.store;

import io.grey.core.ProviderNotAvailableException;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.GreyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds {@link BlobStoreProvider}s with {@link ServiceLoader} and opens or describes the stores a config chooses.
 * Stateless and thread-safe; providers are looked up on the thread's context class loader on every call, so a
 * module added to the class path is seen without restarting anything that caches.
 */
public final class BlobStores {
  /** Every kind Grey knows, with the section it reads and the module that provides it. */
  private record Known(String kind, String section, String module) {}

  private static final List<Known> KNOWN = List.of(
      new Known("local", "storage", "grey-store-local"),
      new Known("s3", "aws", "grey-store-s3"),
      new Known("azure", "azure", "grey-store-azure"),
      new Known("gcs", "gcp", "grey-store-gcs"));

  private BlobStores() {}

  /** The provider of {@code kind}, if its module is on the class path. */
  public static Optional<BlobStoreProvider> find(String kind) {
    for (BlobStoreProvider provider : ServiceLoader.load(BlobStoreProvider.class)) {
      if (provider.kind().equals(kind)) {
        return Optional.of(provider);
      }
    }
    return Optional.empty();
  }

  /**
   * The provider of {@code kind}.
   *
   * @throws ProviderNotAvailableException "provider 'gcs' not available: add grey-store-gcs" when its module is
   *     not on the class path
   */
  public static BlobStoreProvider provider(String kind) {
    return find(kind).orElseThrow(() -> new ProviderNotAvailableException(notAvailable(kind)));
  }

  /**
   * Opens the bare store of {@code kind} from its section of {@code context.config()}; the caller stacks layers on
   * it and closes it.
   *
   * @throws ProviderNotAvailableException when the kind's module is not on the class path
   */
  public static BlobStore open(String kind, StoreContext context) {
    BlobStoreProvider provider = provider(kind);
    return provider.open(section(provider.section(), context.config()), context);
  }

  /** Checks and describes the store of {@code kind} as {@code context.config()} sets it, contacting nothing. */
  public static StoreDescription describe(String kind, StoreContext context) {
    BlobStoreProvider provider = provider(kind);
    return provider.describe(section(provider.section(), context.config()), context);
  }

  /**
   * Describes the server's store ({@code storage.backend}) first, then the store of every other backend section
   * the config has, in the file's order.
   *
   * @throws ProviderNotAvailableException when one of them has no module on the class path
   */
  public static List<StoreDescription> describeAll(StoreContext context) {
    GreyConfig config = context.config();
    List<StoreDescription> out = new ArrayList<>();
    String backend = config.storage().backend();
    out.add(describe(backend, context));
    for (String section : config.backendSections()) {
      String kind = kindReading(section);
      if (!kind.equals(backend)) {
        out.add(describe(kind, context));
      }
    }
    return out;
  }

  /** The kind whose provider reads the top-level {@code section} ({@code aws} is read by {@code s3}). */
  public static String kindReading(String section) {
    return KNOWN.stream().filter(k -> k.section().equals(section)).findFirst()
        .map(Known::kind).orElseThrow(() -> new IllegalArgumentException("no kind reads section " + section));
  }

  /** The top-level section the provider of {@code kind} reads ({@code s3} reads {@code aws}). */
  public static String sectionOf(String kind) {
    return KNOWN.stream().filter(k -> k.kind().equals(kind)).findFirst()
        .map(Known::section).orElseThrow(() -> new IllegalArgumentException("unknown store kind " + kind));
  }

  /** The message for a kind whose module is missing, naming the module to add. */
  public static String notAvailable(String kind) {
    String module = KNOWN.stream().filter(k -> k.kind().equals(kind)).findFirst().map(Known::module)
        .orElse("a module providing it");
    return "provider '" + kind + "' not available: add " + module;
  }

  private static ConfigSection section(String name, GreyConfig config) {
    return config.providerSection(name).orElseGet(() -> ConfigSection.empty(name));
  }
}
