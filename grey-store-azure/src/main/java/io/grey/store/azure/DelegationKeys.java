package io.grey.store.azure;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.UserDelegationKey;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The user delegation key that signs SAS URLs when the store authenticates with Azure AD. One key, valid for
 * {@code presign_max_ttl} from when it was fetched, serves every URL expiring before it does; a URL that would
 * outlive it fetches a fresh one. Thread-safe.
 */
final class DelegationKeys {
  // Azure may date the key's start a little later than our clock; starting it earlier keeps a new URL valid now.
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final BlobServiceClient service;
  private final Clock clock;
  private final Duration validity;
  private UserDelegationKey current;

  DelegationKeys(BlobServiceClient service, Clock clock, Duration validity) {
    this.service = service;
    this.clock = clock;
    this.validity = validity;
  }

  /** A key valid at least until {@code expiry}, fetched from Azure if the one held expires earlier. */
  synchronized UserDelegationKey keyValidUntil(OffsetDateTime expiry) {
    if (current == null || current.getSignedExpiry().isBefore(expiry)) {
      OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
      try {
        current = service.getUserDelegationKey(now.minus(CLOCK_SKEW), now.plus(validity));
      } catch (RuntimeException e) {
        throw AzureErrors.map("get a user delegation key for", "presigned URLs", e);
      }
    }
    return current;
  }
}
