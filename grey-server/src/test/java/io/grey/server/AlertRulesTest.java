package io.grey.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alerting rules in deploy/prometheus pass promtool's checks and its unit tests, which fire each
 * alert on synthetic series (promtool comes from the Debian package prometheus, installed when missing).
 */
class AlertRulesTest {
  static final Path RULES_DIR = Deploy.DIR.resolve("prometheus");

  private static Path promtool;

  @BeforeAll
  static void findPromtool() {
    promtool = DebianTools.require("promtool", "prometheus");
  }

  @Test
  void alertRulesAreValidForPrometheus() {
    DebianTools.Run check =
        DebianTools.run(List.of(promtool.toString(), "check", "rules", "alerts.yaml"), RULES_DIR, 120);

    assertThat(check.exitCode()).as("promtool check rules:\n%s", check.output()).isZero();
    assertThat(check.output()).as("promtool's count of rules").contains("SUCCESS: 8 rules found");
  }

  @Test
  void everyAlertFiresOnItsSyntheticSeriesAndOnlyThere() {
    assertThat(Files.isRegularFile(RULES_DIR.resolve("alerts_test.yaml"))).as("the rule tests exist").isTrue();

    DebianTools.Run test =
        DebianTools.run(List.of(promtool.toString(), "test", "rules", "alerts_test.yaml"), RULES_DIR, 120);

    assertThat(test.exitCode()).as("promtool test rules:\n%s", test.output()).isZero();
    assertThat(test.output()).as("promtool's verdict").contains("SUCCESS");
  }

  @Test
  void everyAlertHasASeverityAndAnnotationsAndARunbookSectionInTheOperationsGuide() throws Exception {
    String guide = Files.readString(Deploy.REPO.resolve("docs/operations.md"));
    List<Deploy.Rule> rules = Deploy.alertRules();

    assertThat(rules).as("alert rules in alerts.yaml").hasSize(8);
    for (Deploy.Rule rule : rules) {
      assertThat(rule.labels().get("severity")).as("severity of %s", rule.alert()).isIn("warning", "critical");
      assertThat(rule.annotations()).as("annotations of %s", rule.alert())
          .containsKeys("summary", "description", "runbook");
      String anchor = rule.alert().toLowerCase(java.util.Locale.ROOT);
      assertThat(rule.annotations().get("runbook")).as("runbook of %s", rule.alert())
          .isEqualTo("docs/operations.md#" + anchor);
      assertThat(guide).as("docs/operations.md has a runbook heading for %s", rule.alert())
          .contains("### " + rule.alert() + "\n");
    }
  }
}
