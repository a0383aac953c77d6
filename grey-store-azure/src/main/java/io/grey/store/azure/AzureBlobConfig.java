package io.grey.store.azure;

import io.grey.core.ConfigException;
import io.grey.core.DataClass;
import io.grey.core.config.ConfigSection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach one Azure storage account, mirroring the {@code azure.blob_storage} keys of Grey's config
 * ({@code account_name}, {@code account_key}, {@code endpoint}, {@code artifacts_container},
 * {@code proofs_container}, {@code state_container}, {@code access_tier}, {@code block_size},
 * {@code max_parallel_blocks}, {@code presign_max_ttl}, {@code encryption_scope}) plus {@code connection_string}
 * as the other way to give the shared key; with neither, Grey authenticates with Azure AD ({@code azure.azure_ad}:
 * {@code use_managed_identity}, {@code client_id}). Immutable; the compact constructor rejects every invalid
 * value with a {@link ConfigException} naming the key (and never echoing the account key or connection string).
 *
 * <p>Each Grey data class has its own container: a key {@code artifacts/...} is stored in
 * {@code artifactsContainer} under a blob named exactly like the key, and so on; a key whose first segment is
 * not a data class goes to {@code stateContainer}. Containers may be shared between classes.
 *
 * @param accountName the storage account (3-24 lower-case letters and digits); may be empty when
 *     {@code connectionString} names it
 * @param accountKey the account's base64 shared key, or "" when {@code connectionString} is given
 * @param connectionString an Azure connection string with {@code AccountName} and {@code AccountKey}, or ""
 * @param endpoint the blob service URL, for example {@code http://127.0.0.1:10000/devstoreaccount1} for Azurite;
 *     "" means {@code https://<account>.blob.core.windows.net} (or the connection string's endpoint)
 * @param artifactsContainer the container of {@code artifacts/...} keys
 * @param proofsContainer the container of {@code proofs/...} keys
 * @param stateContainer the container of {@code state/...} keys and of keys outside the data classes
 * @param accessTier the tier new blobs are written in ({@code Hot}, {@code Cool} or {@code Cold}), or "" for
 *     the account default
 * @param blockSize bytes per staged block of an upload (64 KiB to 256 MiB: blocks are buffered in memory);
 *     also the largest body sent in a single Put Blob
 * @param maxParallelBlocks blocks of one upload in flight at once (1-64); an upload buffers at most this many
 *     blocks plus the one being read
 * @param presignMaxTtl the longest validity a presigned URL may have (1 second to 7 days)
 * @param encryptionScope the account's encryption scope new blobs are encrypted with (for example one backed by
 *     a customer-managed Key Vault key), or "" for the account's default encryption
 * @param useManagedIdentity with neither key nor connection string: authenticate as the managed identity only
 *     ({@code azure.azure_ad.use_managed_identity}); false means the whole DefaultAzureCredential chain
 * @param managedIdentityClientId the client id of a user-assigned managed identity, or "" for the
 *     system-assigned one ({@code azure.azure_ad.client_id})
 */
public record AzureBlobConfig(
    String accountName,
    String accountKey,
    String connectionString,
    String endpoint,
    String artifactsContainer,
    String proofsContainer,
    String stateContainer,
    String accessTier,
    int blockSize,
    int maxParallelBlocks,
    Duration presignMaxTtl,
    String encryptionScope,
    boolean useManagedIdentity,
    String managedIdentityClientId) {

  /** The default {@code block_size}: 8 MiB. */
  public static final int DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;
  /** The default {@code max_parallel_blocks}. */
  public static final int DEFAULT_MAX_PARALLEL_BLOCKS = 4;
  /** The default and largest {@code presign_max_ttl}: 7 days, Azure's limit for a shared-key SAS in Grey. */
  public static final Duration DEFAULT_PRESIGN_MAX_TTL = Duration.ofDays(7);

  static final int MIN_BLOCK_SIZE = 64 * 1024;
  static final int MAX_BLOCK_SIZE = 256 * 1024 * 1024;
  private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{1,61}[A-Za-z0-9]");
  private static final Pattern CLIENT_ID = Pattern.compile("[0-9a-fA-F-]{36}");
  private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");

  public AzureBlobConfig {
    accountName = orEmpty(accountName);
    accountKey = orEmpty(accountKey);
    connectionString = orEmpty(connectionString);
    endpoint = orEmpty(endpoint).strip();
    accessTier = orEmpty(accessTier).strip();
    Objects.requireNonNull(presignMaxTtl, "presign_max_ttl");
    encryptionScope = orEmpty(encryptionScope).strip();
    managedIdentityClientId = orEmpty(managedIdentityClientId).strip();
    if (!accountKey.isEmpty() && !connectionString.isEmpty()) {
      throw new ConfigException("azure.blob_storage: give at most one of account_key and connection_string");
    }
    if (!accountKey.isEmpty()) {
      if (!ACCOUNT.matcher(accountName).matches()) {
        throw new ConfigException("azure.blob_storage.account_name '" + accountName
            + "' must be 3-24 lower-case letters and digits");
      }
      try {
        Base64.getDecoder().decode(accountKey);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("azure.blob_storage.account_key is not valid base64 (value not shown)");
      }
    } else if (!connectionString.isEmpty()) {
      if (!connectionString.contains("AccountKey=")) {
        throw new ConfigException("azure.blob_storage.connection_string has no AccountKey (value not shown); a"
            + " shared key is required in a connection string (leave both out to use Azure AD)");
      }
      if (!accountName.isEmpty() && !ACCOUNT.matcher(accountName).matches()) {
        throw new ConfigException("azure.blob_storage.account_name '" + accountName
            + "' must be 3-24 lower-case letters and digits");
      }
    } else if (!ACCOUNT.matcher(accountName).matches()) {
      throw new ConfigException("azure.blob_storage.account_name '" + accountName + "' must be 3-24 lower-case"
          + " letters and digits (with Azure AD credentials the account name is required)");
    }
    if ((useManagedIdentity || !managedIdentityClientId.isEmpty())
        && (!accountKey.isEmpty() || !connectionString.isEmpty())) {
      throw new ConfigException("azure.azure_ad applies only without account_key and connection_string: give one"
          + " way to authenticate");
    }
    if (!managedIdentityClientId.isEmpty() && !CLIENT_ID.matcher(managedIdentityClientId).matches()) {
      throw new ConfigException("azure.azure_ad.client_id '" + managedIdentityClientId
          + "' must be a client id (a GUID such as 00000000-0000-0000-0000-000000000000)");
    }
    if (!encryptionScope.isEmpty() && !SCOPE.matcher(encryptionScope).matches()) {
      throw new ConfigException("azure.blob_storage.encryption_scope '" + encryptionScope
          + "' must be 3-63 letters, digits and hyphens, starting and ending with a letter or digit");
    }
    if (!endpoint.isEmpty()) {
      try {
        URI uri = new URI(endpoint);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new ConfigException("azure.blob_storage.endpoint '" + endpoint + "' must be an http(s) URL");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException("azure.blob_storage.endpoint '" + endpoint + "' is not a URL: " + e.getReason());
      }
    }
    container("artifacts_container", artifactsContainer);
    container("proofs_container", proofsContainer);
    container("state_container", stateContainer);
    if (!accessTier.isEmpty()) {
      accessTier = switch (accessTier.toLowerCase(Locale.ROOT)) {
        case "hot" -> "Hot";
        case "cool" -> "Cool";
        case "cold" -> "Cold";
        case "archive" -> throw new ConfigException("azure.blob_storage.access_tier Archive is not allowed for"
            + " new blobs: they could not be read until rehydrated; use a lifecycle rule instead");
        default -> throw new ConfigException("azure.blob_storage.access_tier '" + accessTier
            + "' must be Hot, Cool or Cold (or empty for the account default)");
      };
    }
    if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
      throw new ConfigException("azure.blob_storage.block_size " + blockSize + " must be between "
          + MIN_BLOCK_SIZE + " and " + MAX_BLOCK_SIZE + " bytes");
    }
    if (maxParallelBlocks < 1 || maxParallelBlocks > 64) {
      throw new ConfigException(
          "azure.blob_storage.max_parallel_blocks " + maxParallelBlocks + " must be between 1 and 64");
    }
    if (presignMaxTtl.compareTo(Duration.ofSeconds(1)) < 0 || presignMaxTtl.compareTo(DEFAULT_PRESIGN_MAX_TTL) > 0) {
      throw new ConfigException(
          "azure.blob_storage.presign_max_ttl " + presignMaxTtl + " must be between 1 second and 7 days");
    }
  }

  /**
   * A config for {@code accountName} authenticated by its shared {@code accountKey}, with containers
   * {@code artifacts}, {@code proofs} and {@code state} and every other key at its default.
   */
  public static AzureBlobConfig of(String accountName, String accountKey) {
    return new AzureBlobConfig(accountName, accountKey, "", "", "artifacts", "proofs", "state", "",
        DEFAULT_BLOCK_SIZE, DEFAULT_MAX_PARALLEL_BLOCKS, DEFAULT_PRESIGN_MAX_TTL, "", false, "");
  }

  /** A config authenticated by a connection string, otherwise as {@link #of(String, String)}. */
  public static AzureBlobConfig ofConnectionString(String connectionString) {
    return new AzureBlobConfig("", "", connectionString, "", "artifacts", "proofs", "state", "",
        DEFAULT_BLOCK_SIZE, DEFAULT_MAX_PARALLEL_BLOCKS, DEFAULT_PRESIGN_MAX_TTL, "", false, "");
  }

  /** This config with the blob service at {@code newEndpoint} (for example Azurite's). */
  public AzureBlobConfig withEndpoint(String newEndpoint) {
    return new AzureBlobConfig(accountName, accountKey, connectionString, newEndpoint, artifactsContainer,
        proofsContainer, stateContainer, accessTier, blockSize, maxParallelBlocks, presignMaxTtl, encryptionScope,
        useManagedIdentity, managedIdentityClientId);
  }

  /** This config with the three containers renamed. */
  public AzureBlobConfig withContainers(String artifacts, String proofs, String state) {
    return new AzureBlobConfig(accountName, accountKey, connectionString, endpoint, artifacts, proofs, state,
        accessTier, blockSize, maxParallelBlocks, presignMaxTtl, encryptionScope,
        useManagedIdentity, managedIdentityClientId);
  }

  /** This config writing new blobs in {@code tier}. */
  public AzureBlobConfig withAccessTier(String tier) {
    return new AzureBlobConfig(accountName, accountKey, connectionString, endpoint, artifactsContainer,
        proofsContainer, stateContainer, tier, blockSize, maxParallelBlocks, presignMaxTtl, encryptionScope,
        useManagedIdentity, managedIdentityClientId);
  }

  /** This config staging uploads in blocks of {@code bytes}. */
  public AzureBlobConfig withBlockSize(int bytes) {
    return new AzureBlobConfig(accountName, accountKey, connectionString, endpoint, artifactsContainer,
        proofsContainer, stateContainer, accessTier, bytes, maxParallelBlocks, presignMaxTtl, encryptionScope,
        useManagedIdentity, managedIdentityClientId);
  }

  /** This config with at most {@code blocks} blocks of one upload in flight. */
  public AzureBlobConfig withMaxParallelBlocks(int blocks) {
    return new AzureBlobConfig(accountName, accountKey, connectionString, endpoint, artifactsContainer,
        proofsContainer, stateContainer, accessTier, blockSize, blocks, presignMaxTtl, encryptionScope,
        useManagedIdentity, managedIdentityClientId);
  }

  /** This config encrypting new blobs with the account's encryption scope {@code scope} ("" for the default). */
  public AzureBlobConfig withEncryptionScope(String scope) {
    return new AzureBlobConfig(accountName, accountKey, connectionString, endpoint, artifactsContainer,
        proofsContainer, stateContainer, accessTier, blockSize, maxParallelBlocks, presignMaxTtl, scope,
        useManagedIdentity, managedIdentityClientId);
  }

  /**
   * A config for {@code accountName} authenticated with Azure AD: the DefaultAzureCredential chain, or only the
   * managed identity (user-assigned when {@code clientId} is not empty) when {@code managedIdentityOnly}.
   */
  public static AzureBlobConfig ofAzureAd(String accountName, boolean managedIdentityOnly, String clientId) {
    return new AzureBlobConfig(accountName, "", "", "", "artifacts", "proofs", "state", "", DEFAULT_BLOCK_SIZE,
        DEFAULT_MAX_PARALLEL_BLOCKS, DEFAULT_PRESIGN_MAX_TTL, "", managedIdentityOnly, clientId);
  }

  /** How the store authenticates: the shared key (given alone or in a connection string) or Azure AD. */
  public enum CredentialSource {
    /** {@code account_key}. */
    ACCOUNT_KEY,
    /** {@code connection_string}. */
    CONNECTION_STRING,
    /** Neither: a token from Azure AD; presigned URLs are user delegation SAS. */
    AZURE_AD
  }

  /** Which of the three ways to authenticate this config uses. */
  public CredentialSource credentialSource() {
    if (!accountKey.isEmpty()) {
      return CredentialSource.ACCOUNT_KEY;
    }
    return connectionString.isEmpty() ? CredentialSource.AZURE_AD : CredentialSource.CONNECTION_STRING;
  }

  /** This config limiting presigned URLs to {@code ttl}. */
  public AzureBlobConfig withPresignMaxTtl(Duration ttl) {
    return new AzureBlobConfig(accountName, accountKey, connectionString, endpoint, artifactsContainer,
        proofsContainer, stateContainer, accessTier, blockSize, maxParallelBlocks, ttl, encryptionScope,
        useManagedIdentity, managedIdentityClientId);
  }

  /**
   * Reads the {@code azure:} section of a config file: {@code azure.blob_storage} with one key per field of this
   * record. Keys of Azure features Grey does not implement (Cosmos DB, AKS, soft delete, ...) are refused naming
   * the key, as is an {@code azure} section without {@code blob_storage}.
   *
   * @throws ConfigException naming file, line and key path, never showing the account key or connection string
   */
  static AzureBlobConfig read(ConfigSection azure) {
    String management = "Grey reaches the storage account directly and uses no management-plane settings";
    for (String key : new String[] {"subscription_id", "resource_group", "primary_region", "secondary_region"}) {
      azure.unsupported(key, management);
    }
    azure.unsupported("cosmos_db", "task state lives in Grey's stores");
    azure.unsupported("aks", "Grey does not manage compute");
    azure.unsupported("cost_management", "cost reports and budgets are not implemented");
    azure.unsupported("private_endpoints", "networking is set up outside Grey");
    azure.unsupported("monitor", "metrics are exported to Prometheus at monitoring.prometheus.path");
    if (!azure.has("blob_storage")) {
      throw azure.error("blob_storage", "missing: Grey uses the azure section for Blob Storage only; give"
          + " azure.blob_storage.account_name and account_key at least");
    }
    AzureAd ad = azure.section("azure_ad", AzureBlobConfig::readAzureAd, new AzureAd(false, ""));
    AzureBlobConfig config = azure.section("blob_storage", s -> readBlobStorage(s, ad), null);
    return azure.build(() -> config);
  }

  /** The {@code azure.azure_ad} keys. */
  private record AzureAd(boolean useManagedIdentity, String clientId) {}

  private static AzureAd readAzureAd(ConfigSection ad) {
    boolean managedIdentity = ad.bool("use_managed_identity", false);
    String clientId = ad.string("client_id", "");
    return ad.build(() -> new AzureAd(managedIdentity, clientId));
  }

  private static AzureBlobConfig readBlobStorage(ConfigSection s, AzureAd ad) {
    s.unsupported("replication_type", "redundancy is a property of the storage account, set outside Grey");
    s.unsupported("enable_soft_delete", "soft delete is configured on the account, outside Grey");
    s.unsupported("soft_delete_retention_days", "soft delete is configured on the account, outside Grey");
    s.unsupported("enable_versioning", "blob versioning is configured on the account, outside Grey");
    s.unsupported("lifecycle_rules", "use Grey's top-level lifecycle rules");
    s.unsupported("key_vault_url", "Grey encrypts with an encryption scope: create one on the account backed by the"
        + " Key Vault key and set azure.blob_storage.encryption_scope to its name");
    String accountName = s.string("account_name", "");
    String accountKey = s.string("account_key", "");
    String connectionString = s.string("connection_string", "");
    String endpoint = s.string("endpoint", "");
    String artifacts = s.string("artifacts_container", "artifacts");
    String proofs = s.string("proofs_container", "proofs");
    String state = s.string("state_container", "state");
    String tier = s.string("access_tier", "");
    long blockSize = s.byteSize("block_size", DEFAULT_BLOCK_SIZE);
    int parallel = s.integer("max_parallel_blocks", DEFAULT_MAX_PARALLEL_BLOCKS);
    Duration ttl = s.duration("presign_max_ttl", DEFAULT_PRESIGN_MAX_TTL);
    String scope = s.string("encryption_scope", "");
    return s.build(() -> new AzureBlobConfig(accountName, accountKey, connectionString, endpoint, artifacts, proofs,
        state, tier, (int) Math.min(blockSize, Integer.MAX_VALUE), parallel, ttl, scope, ad.useManagedIdentity(),
        ad.clientId()));
  }

  /** The container that holds keys of {@code dataClass}. */
  public String container(DataClass dataClass) {
    return switch (dataClass) {
      case ARTIFACT -> artifactsContainer;
      case PROOF -> proofsContainer;
      case STATE -> stateContainer;
    };
  }

  /** Never shows the account key or connection string, so a logged config leaks no secret. */
  @Override
  public String toString() {
    return "AzureBlobConfig[accountName=" + accountName + ", accountKey=" + (accountKey.isEmpty() ? "" : "***")
        + ", connectionString=" + (connectionString.isEmpty() ? "" : "***") + ", endpoint=" + endpoint
        + ", artifactsContainer=" + artifactsContainer + ", proofsContainer=" + proofsContainer
        + ", stateContainer=" + stateContainer + ", accessTier=" + accessTier + ", blockSize=" + blockSize
        + ", maxParallelBlocks=" + maxParallelBlocks + ", presignMaxTtl=" + presignMaxTtl + ", encryptionScope="
        + encryptionScope + ", useManagedIdentity=" + useManagedIdentity + ", managedIdentityClientId="
        + managedIdentityClientId + "]";
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  private static void container(String key, String name) {
    if (name == null || !CONTAINER.matcher(name).matches()) {
      throw new ConfigException("azure.blob_storage." + key + " '" + name + "' must be 3-63 characters of"
          + " lower-case letters, digits and single hyphens, starting and ending with a letter or digit");
    }
  }
}
