package io.grey.server;

import io.grey.core.artifact.ArtifactStore;
import io.grey.core.store.BlobStore;
import io.grey.store.local.LocalPresigner;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP edge calls once the node is assembled.
 *
 * @param artifacts the artifact and proof API
 * @param store the layered store the artifact API runs on, for tags and presigned reads
 * @param presigner checks presigned URLs
 * @param authenticator maps bearer tokens to tenants
 * @param maxPresignTtl the longest TTL a presigned URL may be given
 * @param overview what the dashboard shows
 * @param clock the node's clock, for timestamps of answers
 */
record Node(
    ArtifactStore artifacts,
    BlobStore store,
    LocalPresigner presigner,
    TokenAuthenticator authenticator,
    Duration maxPresignTtl,
    OverviewSource overview,
    Clock clock) {
  Node {
    Objects.requireNonNull(artifacts, "artifacts");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(presigner, "presigner");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(maxPresignTtl, "maxPresignTtl");
    Objects.requireNonNull(overview, "overview");
    Objects.requireNonNull(clock, "clock");
  }
}
