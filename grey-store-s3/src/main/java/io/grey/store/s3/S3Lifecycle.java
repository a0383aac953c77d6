package io.grey.store.s3;

import io.grey.core.InvalidRequestException;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.TransitionConfig;
import io.grey.core.lifecycle.NativeLifecycle;
import io.grey.core.store.StoreContext;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Grey's {@code lifecycle:} rules as an S3 bucket lifecycle configuration. Each Grey rule becomes one S3 rule with
 * ID {@code grey-<n>-<prefix>}, a {@code Filter/Prefix} of {@code aws.s3.prefix} followed by the rule's prefix
 * (so it covers exactly the objects the S3 store writes under that Grey prefix), status {@code Enabled}, one
 * {@code Transition} per configured transition and an {@code Expiration} after {@code expiration_days}.
 *
 * <p>Storage classes: the generic names map to S3's as {@code INFREQUENT_ACCESS -> STANDARD_IA},
 * {@code COLD -> GLACIER_IR} and {@code ARCHIVE -> GLACIER} (Glacier Flexible Retrieval, not Deep Archive: its
 * restores take minutes to hours instead of 12-48 hours and its minimum storage charge is 90 days instead of
 * 180, which suits artifacts someone may still ask for; write {@code DEEP_ARCHIVE} to get that class). S3's own
 * transition classes ({@code STANDARD_IA}, {@code ONEZONE_IA}, {@code INTELLIGENT_TIERING}, {@code GLACIER_IR},
 * {@code GLACIER}, {@code DEEP_ARCHIVE}) pass through; names are matched without regard to case. Rules S3 itself
 * would refuse are refused here first, naming the rule: an unknown class, the same class twice, a transition to
 * a warmer class than an earlier one, an IA class before day 30, and a move out of an IA class less than 30 days
 * after the move into it.
 *
 * <p>The document {@link #render} prints and the request {@link #apply} sends are both made from one SDK model
 * ({@link BucketLifecycleConfiguration}), so they cannot disagree. Stateless and thread-safe.
 */
public final class S3Lifecycle implements NativeLifecycle {
  /** The namespace of S3's XML documents. */
  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  private static final Map<String, TransitionStorageClass> GENERIC = Map.of(
      "INFREQUENT_ACCESS", TransitionStorageClass.STANDARD_IA,
      "COLD", TransitionStorageClass.GLACIER_IR,
      "ARCHIVE", TransitionStorageClass.GLACIER);
  // S3's transition waterfall: an object only ever moves down this list.
  private static final List<TransitionStorageClass> COLDNESS = List.of(
      TransitionStorageClass.STANDARD_IA, TransitionStorageClass.INTELLIGENT_TIERING,
      TransitionStorageClass.ONEZONE_IA, TransitionStorageClass.GLACIER_IR, TransitionStorageClass.GLACIER,
      TransitionStorageClass.DEEP_ARCHIVE);
  private static final Set<TransitionStorageClass> INFREQUENT =
      Set.of(TransitionStorageClass.STANDARD_IA, TransitionStorageClass.ONEZONE_IA);
  private static final int IA_MINIMUM_DAYS = 30;
  private static final int MAX_ID_LENGTH = 255;

  /** Used by {@link java.util.ServiceLoader}. */
  public S3Lifecycle() {}

  @Override
  public String kind() {
    return "s3";
  }

  @Override
  public String format() {
    return "S3 LifecycleConfiguration XML";
  }

  /**
   * The {@code LifecycleConfiguration} XML document that {@code PutBucketLifecycleConfiguration} takes as its body
   * (and {@code aws s3api put-bucket-lifecycle-configuration} after conversion), for the bucket {@code section}
   * (the {@code aws} section) configures.
   */
  @Override
  public String render(List<LifecycleRuleConfig> rules, ConfigSection section) {
    S3Config config = S3Config.read(section, scratch());
    return xml(configuration(rules, config.prefix()));
  }

  /**
   * Replaces the lifecycle configuration of the configured bucket with the rendered rules through
   * {@code PutBucketLifecycleConfiguration}.
   *
   * @throws InvalidRequestException if the server does not implement bucket lifecycle configuration (s3proxy
   *     answers 501 NotImplemented) or refuses the rules
   */
  @Override
  public String apply(List<LifecycleRuleConfig> rules, ConfigSection section, StoreContext context) {
    return apply(rules, section, context, List.of());
  }

  /** As {@link #apply(List, ConfigSection, StoreContext)}, with SDK interceptors on the request (for tests). */
  String apply(List<LifecycleRuleConfig> rules, ConfigSection section, StoreContext context,
      List<ExecutionInterceptor> interceptors) {
    S3Config config = S3Config.read(section, context.dataDir().resolve("tmp").resolve("s3"));
    BucketLifecycleConfiguration lifecycle = configuration(rules, config.prefix());
    String operation = "put lifecycle configuration of bucket " + config.bucket();
    try (S3Client client = client(config, interceptors)) {
      client.putBucketLifecycleConfiguration(b -> b.bucket(config.bucket()).lifecycleConfiguration(lifecycle));
    } catch (SdkException e) {
      if (e instanceof AwsServiceException service && service.statusCode() == 501) {
        throw new InvalidRequestException("store '" + config.name() + "': " + operation + ": the S3 server at "
            + (config.endpoint().isEmpty() ? "AWS" : config.endpoint()) + " does not implement bucket lifecycle"
            + " configuration (HTTP 501 NotImplemented); install the rules with that server's own tools, from the"
            + " document `grey lifecycle apply --dry-run` prints", e);
      }
      throw S3Errors.map(config.name(), operation, e);
    }
    return "bucket " + config.bucket() + ": lifecycle configuration of " + lifecycle.rules().size()
        + (lifecycle.rules().size() == 1 ? " rule" : " rules") + " installed, replacing any earlier one ("
        + String.join(", ", lifecycle.rules().stream().map(LifecycleRule::id).toList()) + ")";
  }

  /** The SDK model of {@code rules} under the store's {@code bucketPrefix}; the one source of both outputs. */
  static BucketLifecycleConfiguration configuration(List<LifecycleRuleConfig> rules, String bucketPrefix) {
    if (rules.isEmpty()) {
      throw new InvalidRequestException("no lifecycle rules to install: S3 needs at least one rule");
    }
    List<LifecycleRule> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      LifecycleRuleConfig rule = rules.get(i);
      String id = id(i, rule.prefix());
      List<Transition> transitions = new ArrayList<>();
      Set<TransitionStorageClass> seen = new HashSet<>();
      TransitionStorageClass previous = null;
      int previousDays = 0;
      for (TransitionConfig t : rule.transitions()) {
        TransitionStorageClass target = storageClass(id, t.storageClass());
        if (!seen.add(target)) {
          throw new InvalidRequestException("lifecycle rule " + id + ": two transitions to " + target
              + "; S3 allows one per storage class");
        }
        if (previous != null && COLDNESS.indexOf(target) < COLDNESS.indexOf(previous)) {
          throw new InvalidRequestException("lifecycle rule " + id + ": a transition to " + target + " after "
              + t.days() + " days follows one to " + previous + ", which S3 never moves objects out of to "
              + target);
        }
        if (INFREQUENT.contains(target) && t.days() < IA_MINIMUM_DAYS) {
          throw new InvalidRequestException("lifecycle rule " + id + ": S3 moves objects to " + target
              + " no earlier than " + IA_MINIMUM_DAYS + " days after creation, got " + t.days());
        }
        if (previous != null && INFREQUENT.contains(previous) && t.days() - previousDays < IA_MINIMUM_DAYS) {
          throw new InvalidRequestException("lifecycle rule " + id + ": S3 keeps objects in " + previous + " for "
              + IA_MINIMUM_DAYS + " days before a further transition; the transition to " + target + " after "
              + t.days() + " days comes " + (t.days() - previousDays) + " days after it");
        }
        transitions.add(Transition.builder().days(t.days()).storageClass(target).build());
        previous = target;
        previousDays = t.days();
      }
      out.add(LifecycleRule.builder()
          .id(id)
          .filter(LifecycleRuleFilter.builder().prefix(bucketPrefix + rule.prefix()).build())
          .status(ExpirationStatus.ENABLED)
          .transitions(transitions)
          .expiration(LifecycleExpiration.builder().days(rule.expirationDays()).build())
          .build());
    }
    return BucketLifecycleConfiguration.builder().rules(out).build();
  }

  /** The S3 transition class for a configured {@code storage_class}: a generic name or one of S3's own. */
  static TransitionStorageClass storageClass(String ruleId, String configured) {
    String name = configured.toUpperCase(Locale.ROOT);
    TransitionStorageClass generic = GENERIC.get(name);
    if (generic != null) {
      return generic;
    }
    TransitionStorageClass s3 = TransitionStorageClass.fromValue(name);
    if (s3 == null || s3 == TransitionStorageClass.UNKNOWN_TO_SDK_VERSION) {
      throw new InvalidRequestException("lifecycle rule " + ruleId + ": storage class '" + configured
          + "' has no S3 equivalent; use INFREQUENT_ACCESS, COLD, ARCHIVE or one of S3's transition classes "
          + String.join(", ", COLDNESS.stream().map(TransitionStorageClass::toString).toList()));
    }
    return s3;
  }

  /** {@code grey-<n>-<prefix>}, the prefix reduced to characters that read well in the S3 console. */
  static String id(int index, String prefix) {
    String readable = prefix.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    String id = "grey-" + (index + 1) + (readable.isEmpty() ? "" : "-" + readable);
    return id.length() > MAX_ID_LENGTH ? id.substring(0, MAX_ID_LENGTH) : id;
  }

  /** The XML body of {@code configuration}, element by element from the model's fields. */
  static String xml(BucketLifecycleConfiguration configuration) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      Document doc = factory.newDocumentBuilder().newDocument();
      Element root = doc.createElementNS(NAMESPACE, "LifecycleConfiguration");
      doc.appendChild(root);
      for (LifecycleRule rule : configuration.rules()) {
        Element r = child(root, "Rule");
        text(r, "ID", rule.id());
        text(child(r, "Filter"), "Prefix", rule.filter().prefix());
        text(r, "Status", rule.statusAsString());
        for (Transition t : rule.transitions()) {
          Element transition = child(r, "Transition");
          text(transition, "Days", Integer.toString(t.days()));
          text(transition, "StorageClass", t.storageClassAsString());
        }
        if (rule.expiration() != null) {
          text(child(r, "Expiration"), "Days", Integer.toString(rule.expiration().days()));
        }
      }
      TransformerFactory transformers = TransformerFactory.newInstance();
      transformers.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      transformers.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
      Transformer transformer = transformers.newTransformer();
      transformer.setOutputProperty(OutputKeys.INDENT, "yes");
      transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
      // The platform writes standalone="no" into its own declaration; this one is plainer.
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter out = new StringWriter();
      transformer.transform(new DOMSource(doc), new StreamResult(out));
      return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + out.toString().strip() + "\n";
    } catch (ParserConfigurationException | TransformerException e) {
      throw new IllegalStateException("the platform's XML writer failed", e);
    }
  }

  private static Element child(Element parent, String name) {
    Element element = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
    parent.appendChild(element);
    return element;
  }

  private static void text(Element parent, String name, String value) {
    child(parent, name).setTextContent(value);
  }

  private static S3Client client(S3Config config, List<ExecutionInterceptor> interceptors) {
    AwsCredentialsProvider credentials = switch (config.credentials()) {
      case S3Credentials.DefaultChain chain -> DefaultCredentialsProvider.builder().build();
      case S3Credentials.Static pair ->
          StaticCredentialsProvider.create(AwsBasicCredentials.create(pair.accessKeyId(), pair.secretAccessKey()));
    };
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(config.forcePathStyle())
        // As in S3Store: a checksum only where the operation requires one (this one does), in a header.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(o -> {
          // One call made by an operator, who sees the error and can run it again.
          o.retryStrategy(AwsRetryStrategy.doNotRetry());
          interceptors.forEach(o::addExecutionInterceptor);
        });
    config.endpointUri().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** A spill directory for reading the section; rendering writes nothing there. */
  private static Path scratch() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
