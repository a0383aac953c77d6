package io.grey.core.lifecycle;

import io.grey.core.config.ConfigSection;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.store.StoreContext;
import java.util.List;

/**
 * One cloud's translation of Grey's {@code lifecycle:} rules (transitions after N days, expiry) into that cloud's
 * own lifecycle configuration, and the call that installs it. A backend module lists its implementation in
 * {@code META-INF/services/io.grey.core.lifecycle.NativeLifecycle}; {@code grey lifecycle apply} finds it by
 * {@link #kind()}. Implementations are stateless and thread-safe.
 */
public interface NativeLifecycle {
  /** The store kind this translation is for: {@code s3}, {@code gcs} or {@code azure}. */
  String kind();

  /** The name of the native format, for example {@code S3 LifecycleConfiguration XML}. */
  String format();

  /**
   * The native lifecycle document for {@code rules}, exactly as the cloud's API or CLI accepts it, scoped to the
   * bucket, prefix and containers that {@code section} (the backend's config section) configures. Pure: contacts
   * no service.
   *
   * @throws io.grey.core.InvalidRequestException if a rule uses a storage class this cloud has no equivalent of
   * @throws io.grey.core.ConfigException if {@code section} is invalid
   */
  String render(List<LifecycleRuleConfig> rules, ConfigSection section);

  /**
   * Installs {@link #render the document} on the configured bucket or account, replacing the lifecycle
   * configuration there, and says what was done. Idempotent.
   *
   * @throws io.grey.core.InvalidRequestException if this cloud's lifecycle cannot be set through its storage
   *     API (the message says how the operator installs the rendered document instead)
   * @throws io.grey.core.StoreUnavailableException if the service cannot be reached
   * @throws io.grey.core.AccessDeniedException if the credentials may not change the lifecycle configuration
   */
  String apply(List<LifecycleRuleConfig> rules, ConfigSection section, StoreContext context);
}
