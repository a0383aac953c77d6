package io.grey.cost;

import io.grey.core.ConfigException;
import java.util.Locale;

/**
 * Where a named store's usage is priced: its cloud, region and storage class in the catalog.
 *
 * @param store the store name as metered (the backend's name, for example {@code local} or {@code aws})
 * @param cloud the catalog cloud (aws, gcp, azure, local, ...)
 * @param region the catalog region; "" for the cloud's first row
 * @param storageClass the catalog storage class
 */
public record StoreBinding(String store, String cloud, String region, String storageClass) {
  /** @throws ConfigException if the store, cloud or class is blank */
  public StoreBinding {
    if (store == null || store.isBlank() || cloud == null || cloud.isBlank() || storageClass == null
        || storageClass.isBlank()) {
      throw new ConfigException("cost.stores: store, cloud and storage_class must not be empty");
    }
    cloud = cloud.toLowerCase(Locale.ROOT);
    storageClass = storageClass.toUpperCase(Locale.ROOT);
    region = region == null ? "" : region;
  }
}
