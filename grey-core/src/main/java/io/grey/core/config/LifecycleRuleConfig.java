package io.grey.core.config;

import java.util.List;

/**
 * One entry of the top-level {@code lifecycle:} list: objects under {@code prefix} move through
 * {@code transitions} and are deleted {@code expirationDays} after their last write. Immutable.
 *
 * @param prefix the key prefix the rule covers ({@code prefix}, non-empty, e.g. {@code artifacts/})
 * @param expirationDays age in days after which objects are deleted ({@code expiration_days}, positive)
 * @param transitions storage-class changes by age ({@code transitions}), in strictly increasing days, each
 *     earlier than the expiration
 * @throws io.grey.core.ConfigException naming the rule that is broken
 */
public record LifecycleRuleConfig(String prefix, int expirationDays, List<TransitionConfig> transitions) {
  public LifecycleRuleConfig {
    Check.prefix("lifecycle.prefix", prefix);
    Check.positive("lifecycle.expiration_days", expirationDays);
    transitions = List.copyOf(transitions);
    int previous = 0;
    for (TransitionConfig t : transitions) {
      if (t.days() <= previous) {
        throw Check.fail("lifecycle.transitions",
            "days must increase from one transition to the next (" + t.days() + " after " + previous + ")");
      }
      if (t.days() >= expirationDays) {
        throw Check.fail("lifecycle.transitions", "a transition after " + t.days()
            + " days comes at or after the expiration after " + expirationDays + " days");
      }
      previous = t.days();
    }
  }

  static LifecycleRuleConfig read(ConfigSection s) {
    String prefix = s.requiredString("prefix", Check::prefix);
    List<TransitionConfig> transitions = s.list("transitions", TransitionConfig::read, List.of());
    int expiration = s.requiredInteger("expiration_days", Check::positive);
    return s.build(() -> new LifecycleRuleConfig(prefix, expiration, transitions));
  }
}
