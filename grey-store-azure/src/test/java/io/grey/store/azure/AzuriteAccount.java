package io.grey.store.azure;

import io.grey.testkit.AzuriteServer;

/** Store configurations for Azurite's development account, for the tests of this module. */
final class AzuriteAccount {
  private AzuriteAccount() {}

  /** A store config for the development account at {@code server}, other keys at their defaults. */
  static AzureBlobConfig config(AzuriteServer server) {
    return AzureBlobConfig.of(AzuriteServer.ACCOUNT, AzuriteServer.KEY).withEndpoint(server.endpoint());
  }
}
