package io.grey.store.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.util.Map;

/**
 * The Azure AD side of the store: which token credential to build for a config without a shared key, and how
 * {@code grey config validate} names it. Tokens are fetched by the SDK on the first request and refreshed by it;
 * neither a token nor a secret of the chain ever reaches Grey's logs or errors.
 */
final class AzureAdCredentials {
  private AzureAdCredentials() {}

  /**
   * The managed identity alone when {@code use_managed_identity} is set, otherwise azure-identity's
   * DefaultAzureCredential (environment service principal, workload identity, managed identity, Azure CLI, ...),
   * both over Grey's HTTP client.
   */
  static TokenCredential tokenCredential(AzureBlobConfig config, HttpClient http) {
    if (config.useManagedIdentity()) {
      ManagedIdentityCredentialBuilder managed = new ManagedIdentityCredentialBuilder().httpClient(http);
      if (!config.managedIdentityClientId().isEmpty()) {
        managed.clientId(config.managedIdentityClientId());
      }
      return managed.build();
    }
    DefaultAzureCredentialBuilder chain = new DefaultAzureCredentialBuilder().httpClient(http);
    if (!config.managedIdentityClientId().isEmpty()) {
      chain.managedIdentityClientId(config.managedIdentityClientId());
    }
    return chain.build();
  }

  /**
   * The credential source as {@code grey config validate} shows it: for the chain, the first link that would
   * answer judging from the environment, in the chain's order. Names variables, never their values.
   */
  static String describe(AzureBlobConfig config, Map<String, String> env) {
    String identity = config.managedIdentityClientId().isEmpty() ? "system-assigned"
        : "user-assigned, client id " + config.managedIdentityClientId();
    if (config.useManagedIdentity()) {
      return "Azure AD managed identity (" + identity + "; " + managedIdentityEndpoint(env) + ")";
    }
    return "Azure AD DefaultAzureCredential (" + chainLink(env, identity) + ")";
  }

  private static String chainLink(Map<String, String> env, String identity) {
    if (set(env, "AZURE_TENANT_ID") && set(env, "AZURE_CLIENT_ID")
        && (set(env, "AZURE_CLIENT_SECRET") || set(env, "AZURE_CLIENT_CERTIFICATE_PATH"))) {
      return "environment service principal, env AZURE_TENANT_ID, AZURE_CLIENT_ID and "
          + (set(env, "AZURE_CLIENT_SECRET") ? "AZURE_CLIENT_SECRET" : "AZURE_CLIENT_CERTIFICATE_PATH") + " set";
    }
    if (set(env, "AZURE_FEDERATED_TOKEN_FILE") && set(env, "AZURE_CLIENT_ID") && set(env, "AZURE_TENANT_ID")) {
      return "workload identity, env AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID and AZURE_TENANT_ID set";
    }
    return "managed identity (" + identity + "; " + managedIdentityEndpoint(env) + "), then Azure CLI and the"
        + " other developer logins: no service principal or workload identity in the environment";
  }

  private static String managedIdentityEndpoint(Map<String, String> env) {
    if (set(env, "IDENTITY_ENDPOINT")) {
      return "env IDENTITY_ENDPOINT set";
    }
    if (set(env, "MSI_ENDPOINT")) {
      return "env MSI_ENDPOINT set";
    }
    return "instance metadata service";
  }

  private static boolean set(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }
}
