package io.grey.server;

import io.grey.core.Tenant;
import java.util.Objects;

/**
 * Who an authenticated request acts as.
 *
 * @param tenant the only tenant whose paths the request may touch
 * @param actor the name audit entries and traces record for the request; identifies the token without
 *     revealing it
 */
record Principal(Tenant tenant, String actor) {
  Principal {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(actor, "actor");
  }
}
