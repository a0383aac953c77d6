package io.grey.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grey.core.InvalidRequestException;
import io.grey.core.config.ConfigLoader;
import io.grey.core.config.ConfigSection;
import io.grey.core.config.GreyConfig;
import io.grey.core.config.LifecycleRuleConfig;
import io.grey.core.config.TransitionConfig;
import io.grey.core.lifecycle.NativeLifecycle;
import io.grey.core.store.StoreContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Grey's lifecycle rules as an S3 LifecycleConfiguration: the rendered XML has the shape of AWS's documented
 * examples, the request {@code apply} sends carries exactly that document, and s3proxy (which does not implement
 * bucket lifecycle configuration) makes {@code apply} fail with a typed error that says so.
 */
class S3LifecycleTest {
  /**
   * The shape of AWS's documented lifecycle example ("Examples of S3 Lifecycle configurations", S3 User Guide):
   * objects under {@code tax/} move to Glacier Flexible Retrieval after 365 days and expire after 3650 days.
   */
  private static final String AWS_EXAMPLE = """
      <LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Rule>
          <ID>grey-1-tax</ID>
          <Filter>
            <Prefix>tax/</Prefix>
          </Filter>
          <Status>Enabled</Status>
          <Transition>
            <Days>365</Days>
            <StorageClass>GLACIER</StorageClass>
          </Transition>
          <Expiration>
            <Days>3650</Days>
          </Expiration>
        </Rule>
      </LifecycleConfiguration>
      """;
  private static final List<LifecycleRuleConfig> SEED_RULES = List.of(new LifecycleRuleConfig("artifacts/", 365,
      List.of(new TransitionConfig(30, "INFREQUENT_ACCESS"), new TransitionConfig(90, "ARCHIVE"))));

  private static S3ProxyServer s3;
  private static String bucket;
  private final NativeLifecycle lifecycle = new S3Lifecycle();

  @TempDir
  Path dir;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.startInMemory();
    bucket = s3.newBucket();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  private GreyConfig config(String bucketPrefix) {
    return ConfigLoader.parse("""
        aws:
          region: us-east-1
          credentials:
            access_key_id: %s
            secret_access_key: %s
          s3:
            bucket: %s
            prefix: "%s"
            endpoint: %s
            force_path_style: true
            tags: false
        """.formatted(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, bucket, bucketPrefix, s3.endpoint()),
        "grey.yaml", Map.of(), dir);
  }

  private ConfigSection aws(String bucketPrefix) {
    return config(bucketPrefix).providerSection("aws").orElseThrow();
  }

  private static Document parse(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setIgnoringElementContentWhitespace(true);
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("not well-formed XML:\n" + xml, e);
    }
  }

  /** The element tree as text: names with namespaces and trimmed texts, without indentation. */
  private static String tree(Node node) {
    return tree(node, false);
  }

  /**
   * The element tree with the children of each element in sorted order: S3 reads the elements of a rule in any
   * order, and the SDK writes them in its model's order (Expiration first).
   */
  private static String unordered(Node node) {
    return tree(node, true);
  }

  private static String tree(Node node, boolean sorted) {
    List<String> parts = new ArrayList<>();
    for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element e) {
        parts.add("{" + e.getNamespaceURI() + "}" + e.getLocalName() + "(" + tree(e, sorted) + ")");
      } else if (child.getNodeType() == Node.TEXT_NODE && !child.getTextContent().isBlank()) {
        parts.add(child.getTextContent().strip());
      }
    }
    if (sorted) {
      parts.sort(null);
    }
    return String.join("", parts);
  }

  private static List<String> texts(Document doc, String element) {
    List<String> out = new ArrayList<>();
    var nodes = doc.getElementsByTagNameNS(S3Lifecycle.NAMESPACE, element);
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent().strip());
    }
    return out;
  }

  @Test
  void aRuleLikeAwsDocumentedExampleRendersToThatExactDocument() {
    String xml = lifecycle.render(
        List.of(new LifecycleRuleConfig("tax/", 3650, List.of(new TransitionConfig(365, "GLACIER")))), aws(""));
    assertThat(tree(parse(xml))).as("rendered:\n%s", xml).isEqualTo(tree(parse(AWS_EXAMPLE)));
  }

  @Test
  void theSeedRuleGetsFilterPrefixTransitionsAndExpirationUnderTheBucketPrefix() {
    Document doc = parse(lifecycle.render(SEED_RULES, aws("team-a/")));
    assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("LifecycleConfiguration");
    assertThat(texts(doc, "ID")).containsExactly("grey-1-artifacts");
    assertThat(texts(doc, "Prefix")).as("aws.s3.prefix followed by the rule's prefix, as S3Store lays out keys")
        .containsExactly("team-a/artifacts/");
    assertThat(texts(doc, "Status")).containsExactly("Enabled");
    assertThat(texts(doc, "StorageClass")).as("INFREQUENT_ACCESS and ARCHIVE in S3's names")
        .containsExactly("STANDARD_IA", "GLACIER");
    assertThat(texts(doc, "Days")).as("two transition days, then the expiration's")
        .containsExactly("30", "90", "365");
  }

  @Test
  void genericClassesMapAndS3NamesPassThrough() {
    assertThat(S3Lifecycle.storageClass("r", "INFREQUENT_ACCESS").toString()).isEqualTo("STANDARD_IA");
    assertThat(S3Lifecycle.storageClass("r", "COLD").toString()).isEqualTo("GLACIER_IR");
    assertThat(S3Lifecycle.storageClass("r", "ARCHIVE").toString()).isEqualTo("GLACIER");
    assertThat(S3Lifecycle.storageClass("r", "DEEP_ARCHIVE").toString()).isEqualTo("DEEP_ARCHIVE");
    assertThat(S3Lifecycle.storageClass("r", "onezone_ia").toString()).isEqualTo("ONEZONE_IA");
  }

  @Test
  void aClassS3DoesNotHaveIsRefusedNamingIt() {
    List<LifecycleRuleConfig> rules =
        List.of(new LifecycleRuleConfig("artifacts/", 365, List.of(new TransitionConfig(60, "NEARLINE"))));
    assertThatThrownBy(() -> lifecycle.render(rules, aws("")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'NEARLINE' has no S3 equivalent");
  }

  @Test
  void rulesS3WouldRefuseAreRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> lifecycle.render(List.of(new LifecycleRuleConfig("a/", 365,
        List.of(new TransitionConfig(10, "INFREQUENT_ACCESS")))), aws("")))
        .as("S3 moves nothing to STANDARD_IA before day 30")
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no earlier than 30 days");
    assertThatThrownBy(() -> lifecycle.render(List.of(new LifecycleRuleConfig("a/", 365,
        List.of(new TransitionConfig(30, "ARCHIVE"), new TransitionConfig(60, "INFREQUENT_ACCESS")))), aws("")))
        .as("no move back to a warmer class")
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("follows one to GLACIER");
    assertThatThrownBy(() -> lifecycle.render(List.of(new LifecycleRuleConfig("a/", 365,
        List.of(new TransitionConfig(30, "INFREQUENT_ACCESS"), new TransitionConfig(40, "ARCHIVE")))), aws("")))
        .as("30 days in STANDARD_IA before the next move")
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("comes 10 days after it");
  }

  @Test
  void theProviderIsFoundByServiceLoaderUnderKindS3() {
    assertThat(ServiceLoader.load(NativeLifecycle.class).stream().map(p -> p.get().kind()))
        .as("META-INF/services lists S3Lifecycle").contains("s3");
  }

  @Test
  void applyAgainstS3ProxyFailsWithATypedErrorBecauseS3ProxyHasNoLifecycleSupport() {
    // s3proxy 4.1.0 answers every ?lifecycle request with 501 NotImplemented.
    StoreContext context = StoreContext.of(config(""), Map.of());
    assertThatThrownBy(() -> lifecycle.apply(SEED_RULES, aws(""), context))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("does not implement bucket lifecycle configuration (HTTP 501 NotImplemented)")
        .hasMessageContaining(s3.endpoint().toString());
  }

  @Test
  void theBodyApplySendsIsTheDocumentRenderPrints() {
    AtomicReference<String> sent = new AtomicReference<>();
    ExecutionInterceptor capture = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        context.requestBody().ifPresent(body -> {
          try (InputStream in = body.contentStreamProvider().newStream()) {
            sent.set(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    };
    StoreContext context = StoreContext.of(config("team-a/"), Map.of());
    assertThatThrownBy(() -> ((S3Lifecycle) lifecycle).apply(SEED_RULES, aws("team-a/"), context, List.of(capture)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(sent.get()).as("the SDK sent a body").isNotNull();
    assertThat(unordered(parse(sent.get()))).as("the XML the SDK marshalled from the same model:\n%s", sent.get())
        .isEqualTo(unordered(parse(lifecycle.render(SEED_RULES, aws("team-a/")))));
  }
}
