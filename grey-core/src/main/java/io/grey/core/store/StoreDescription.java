package io.grey.core.store;

import java.util.Objects;

/**
 * What a configured store would be, as {@code grey config validate} prints it. Never holds a secret: credential
 * sources are named ("account key from config"), their values are not shown. Immutable.
 *
 * @param kind the provider kind ({@code s3})
 * @param section the config section it was read from ({@code aws.s3})
 * @param target where objects would go, for example {@code bucket grey-artifacts in us-east-1}
 * @param credentials the credential source that would be used, for example
 *     {@code SDK default chain (env AWS_ACCESS_KEY_ID set)}; "none" for stores without credentials
 */
public record StoreDescription(String kind, String section, String target, String credentials) {
  public StoreDescription {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(credentials, "credentials");
  }
}
