package io.grey.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.grey.core.ObjectKey;
import io.grey.core.store.BlobStore;
import io.grey.core.store.PutOptions;
import io.grey.testkit.DeterministicBody;
import io.grey.testkit.MemoryBlobStore;
import io.grey.testkit.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparerTest {
  @TempDir
  Path dir;

  @Test
  void optionsAreCheapestFirstAndOldArtifactsGetAnInfrequentAccessRecommendation() {
    MutableClock clock = new MutableClock(Instant.parse("2026-10-01T00:00:00Z"));
    String yaml = "stores:\n  - {store: s3, cloud: aws, region: us-east-1, storage_class: STANDARD}\n";
    try (CostService cost = CostService.open(CostFixture.config(dir, yaml), clock)) {
      BlobStore store = cost.meteringLayer().wrap(MemoryBlobStore.create("s3", clock));
      long size = 1L << 20;
      store.put(ObjectKey.of("artifacts/acme/t/old"), DeterministicBody.of(1, size).open(), PutOptions.defaults());
      clock.advance(Duration.ofDays(40));
      store.put(ObjectKey.of("artifacts/acme/t/new"), DeterministicBody.of(2, size).open(), PutOptions.defaults());

      Comparison c = cost.compare("acme", 30);

      assertThat(c.options()).as("one option per catalog row").hasSize(cost.catalog().rows().size());
      assertThat(c.options()).as("cheapest first").isSortedAccordingTo(
          java.util.Comparator.comparing(Comparison.Option::monthly));
      Comparison.Recommendation ia = c.recommendations().stream()
          .filter(r -> r.toClass().equals("STANDARD_IA")).findFirst().orElseThrow();
      assertThat(ia.objects()).as("only the artifact older than 30 days").isEqualTo(1);
      // 1 MiB = 1/1024 GB; (0.023 - 0.0125) / 1024 per month.
      assertThat(ia.monthlySaving()).isEqualByComparingTo(
          new BigDecimal("0.0105").divide(BigDecimal.valueOf(1024)));
      assertThat(ia.text()).contains("STANDARD_IA").contains("saves 0.00 USD per month");
      assertThat(c.recommendations()).as("nothing is 90 days old yet")
          .noneMatch(r -> r.toClass().equals("GLACIER"));
    }
  }
}
