package io.grey.store.azure;

import io.grey.core.config.ConfigSection;
import io.grey.core.store.BlobStore;
import io.grey.core.store.BlobStoreProvider;
import io.grey.core.store.StoreContext;
import io.grey.core.store.StoreDescription;
import java.security.SecureRandom;

/**
 * The {@code azure} backend for {@link io.grey.core.store.BlobStores}: reads the {@code azure} section
 * ({@link AzureBlobConfig#read}) and builds an {@link AzureBlobStore} with the context's clock, which connects
 * and creates missing containers when opened. Its description names the credential source (account key or
 * connection string from the config), never the value. Stateless and thread-safe.
 */
public final class AzureBlobStoreProvider implements BlobStoreProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public AzureBlobStoreProvider() {}

  @Override
  public String kind() {
    return "azure";
  }

  @Override
  public String section() {
    return "azure";
  }

  @Override
  public StoreDescription describe(ConfigSection section, StoreContext context) {
    AzureBlobConfig config = AzureBlobConfig.read(section);
    StringBuilder target = new StringBuilder("account ")
        .append(config.accountName().isEmpty() ? "named by the connection string" : config.accountName())
        .append(", containers ").append(config.artifactsContainer()).append('/').append(config.proofsContainer())
        .append('/').append(config.stateContainer());
    if (!config.endpoint().isEmpty()) {
      target.append(", endpoint ").append(config.endpoint());
    }
    if (!config.accessTier().isEmpty()) {
      target.append(", access tier ").append(config.accessTier());
    }
    if (!config.encryptionScope().isEmpty()) {
      target.append(", encryption scope ").append(config.encryptionScope());
    }
    String credentials = switch (config.credentialSource()) {
      case ACCOUNT_KEY -> "account key from config";
      case CONNECTION_STRING -> "connection string from config";
      case AZURE_AD -> AzureAdCredentials.describe(config, context.environment());
    };
    return new StoreDescription(kind(), "azure.blob_storage", target.toString(), credentials);
  }

  @Override
  public BlobStore open(ConfigSection section, StoreContext context) {
    return AzureBlobStore.create(AzureBlobConfig.read(section), context.clock(), new SecureRandom());
  }
}
