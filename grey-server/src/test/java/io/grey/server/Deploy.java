package io.grey.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the operator files under deploy/: the alert rules and the Grafana dashboard, and the metric names they use. */
final class Deploy {
  /** The repository root (the tests run in the grey-server module directory). */
  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  /** The deploy directory. */
  static final Path DIR = REPO.resolve("deploy");

  private static final Pattern METRIC = Pattern.compile("\\bgrey_[a-z0-9_]+\\b");

  private Deploy() {}

  /** One alerting rule. */
  record Rule(String alert, String expr, Map<String, String> labels, Map<String, String> annotations) {}

  /** The alerting rules of deploy/prometheus/alerts.yaml. */
  static List<Rule> alertRules() {
    JsonNode root = read(new ObjectMapper(new YAMLFactory()), DIR.resolve("prometheus/alerts.yaml"));
    List<Rule> rules = new ArrayList<>();
    for (JsonNode group : root.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.add(new Rule(rule.path("alert").asText(), rule.path("expr").asText(), strings(rule.path("labels")),
            strings(rule.path("annotations"))));
      }
    }
    return rules;
  }

  /** Every PromQL expression of the Grafana dashboard's panels (rows' nested panels included). */
  static List<String> dashboardExpressions() {
    JsonNode root = read(new ObjectMapper(), DIR.resolve("grafana/grey.json"));
    List<String> exprs = new ArrayList<>();
    collectTargets(root.path("panels"), exprs);
    for (JsonNode variable : root.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        exprs.add(variable.path("query").isObject()
            ? variable.path("query").path("query").asText() : variable.path("query").asText());
      }
    }
    return exprs;
  }

  /** The grey_* metric names {@code expressions} mention. */
  static Set<String> metricNames(List<String> expressions) {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  private static void collectTargets(JsonNode panels, List<String> exprs) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          exprs.add(target.path("expr").asText());
        }
      }
      collectTargets(panel.path("panels"), exprs);
    }
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
