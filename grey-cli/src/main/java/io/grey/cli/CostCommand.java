package io.grey.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grey.core.NotFoundException;
import io.grey.core.Tenant;
import io.grey.core.config.GreyConfig;
import io.grey.cost.BudgetStatus;
import io.grey.cost.Comparison;
import io.grey.cost.CostReport;
import io.grey.cost.CostService;
import io.grey.cost.Forecast;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code grey cost}: reports, budgets, forecasts and comparisons from the metering database
 * ({@code <data_dir>/metering.db}) of the configuration, read directly (no server needed; SQLite in WAL mode lets
 * it read while a server writes, so figures lag a running server by at most {@code cost.flush_interval}).
 */
@Command(name = "cost", mixinStandardHelpOptions = true,
    description = "Cost attribution from the metering database under the configuration's data_dir.",
    subcommands = {CostCommand.Report.class, CostCommand.Budget.class, CostCommand.ForecastCommand.class,
        CostCommand.Compare.class})
final class CostCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: report, budget, forecast or compare");
  }

  /** Opens the metering database of {@code config} for reading; it must exist. */
  static CostService open(GreyConfig config) {
    if (!Files.exists(CostService.dbFile(config))) {
      throw new NotFoundException("no metering database at " + CostService.dbFile(config)
          + ": a server with cost.enabled (the default) writes it under server.data_dir");
    }
    return CostService.openReader(config, Clock.systemUTC());
  }

  static String tenant(String value) {
    return value == null || value.isEmpty() ? "" : new Tenant(value).value();
  }

  /** The formats of {@code grey cost report}. */
  enum ReportFormat {
    TABLE, JSON, CSV;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code grey cost report}. */
  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Costs of a tenant over whole UTC days, from and to included, with a breakdown.")
  static final class Report implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--tenant", description = "Tenant (default: every tenant).")
    String tenant;
    @Option(names = "--from", paramLabel = "DAY", description = "First day, e.g. 2026-11-01 (default: first of"
        + " this month).")
    LocalDate from;
    @Option(names = "--to", paramLabel = "DAY", description = "Last day, included (default: today).")
    LocalDate to;
    @Option(names = "--by", defaultValue = "service",
        description = "Breakdown: cloud, service, task or day (default: ${DEFAULT-VALUE}).")
    String by;
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      CostReport.Breakdown breakdown = CostReport.Breakdown.parse(by);
      try (CostService cost = open(configOptions.load(env))) {
        LocalDate today = cost.today();
        CostReport report = cost.report(tenant(tenant), from == null ? today.withDayOfMonth(1) : from,
            to == null ? today : to, breakdown);
        switch (format) {
          case JSON -> OutputOptions.printJson(env.out(), report.toJson());
          case CSV -> {
            env.out().print(report.toCsv());
            env.out().flush();
          }
          case TABLE -> {
            List<String> services = new ArrayList<>(new TreeMap<>(report.byService()).keySet());
            List<List<String>> rows = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of(breakdown.toString().toUpperCase(Locale.ROOT)));
            services.forEach(s -> header.add(s.toUpperCase(Locale.ROOT)));
            header.add("TOTAL");
            rows.add(header);
            for (CostReport.Group g : report.groups()) {
              List<String> row = new ArrayList<>(List.of(g.key()));
              services.forEach(s -> row.add(CostReport.display(g.byService().getOrDefault(s, BigDecimal.ZERO))));
              row.add(CostReport.display(g.amount()));
              rows.add(row);
            }
            List<String> total = new ArrayList<>(List.of("total"));
            services.forEach(s -> total.add(CostReport.display(report.byService().get(s))));
            total.add(CostReport.display(report.total()));
            rows.add(total);
            env.out().println((report.tenant().isEmpty() ? "all tenants" : "tenant " + report.tenant()) + ", "
                + report.from() + " to " + report.to() + ", " + report.currency());
            OutputOptions.printTable(env.out(), rows);
          }
          default -> throw new IllegalStateException(format.toString());
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code grey cost budget}. */
  @Command(name = "budget", mixinStandardHelpOptions = true, description = "Budgets.",
      subcommands = Budget.Status.class)
  static final class Budget implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      throw new ParameterException(spec.commandLine(), "missing subcommand: status");
    }

    /** {@code grey cost budget status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Spending of each configured budget in its current month and the thresholds crossed.")
    static final class Status implements Callable<Integer> {
      @Spec
      CommandSpec spec;
      @Mixin
      ConfigOptions configOptions;
      @Mixin
      OutputOptions output;

      @Override
      public Integer call() {
        CliEnvironment env = GreyCli.environment(spec);
        try (CostService cost = open(configOptions.load(env))) {
          List<BudgetStatus> statuses = cost.budgetStatus();
          if (output.json()) {
            ArrayNode list = GreyClient.JSON.createArrayNode();
            for (BudgetStatus s : statuses) {
              ObjectNode n = list.addObject().put("budget", s.budget().name())
                  .put("tenant", s.budget().tenant().isEmpty() ? "*" : s.budget().tenant())
                  .put("period", s.period()).put("amount", s.budget().amount())
                  .put("currency", s.budget().currency()).put("spent", CostReport.exact(s.spent()))
                  .put("used_ratio", s.usedRatio());
              ArrayNode crossed = n.putArray("alerts_crossed");
              s.crossed().forEach(crossed::add);
            }
            OutputOptions.printJson(env.out(), GreyClient.JSON.createObjectNode().set("budgets", list));
          } else if (statuses.isEmpty()) {
            env.out().println("no budgets configured (cost.budgets)");
          } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("BUDGET", "TENANT", "PERIOD", "SPENT", "AMOUNT", "USED", "ALERTS CROSSED"));
            for (BudgetStatus s : statuses) {
              rows.add(List.of(s.budget().name(), s.budget().tenant().isEmpty() ? "*" : s.budget().tenant(),
                  s.period(), CostReport.display(s.spent()), s.budget().amount().toPlainString() + " "
                      + s.budget().currency(), String.format(Locale.ROOT, "%.1f%%", s.usedRatio() * 100),
                  s.crossed().isEmpty() ? "-" : s.crossed().toString()));
            }
            OutputOptions.printTable(env.out(), rows);
          }
        }
        return ExitCodes.OK;
      }
    }
  }

  /** {@code grey cost forecast}. */
  @Command(name = "forecast", mixinStandardHelpOptions = true,
      description = {"Forecast of the next days' cost with an 80% interval: least squares on the daily cost"
          + " series, linear trend plus weekday offsets (weekly seasonality) when at least 14 days are measured."})
  static final class ForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--days", defaultValue = "30", description = "Days to forecast (default: ${DEFAULT-VALUE}).")
    int days;
    @Option(names = "--history", defaultValue = "90",
        description = "Complete days before today to fit on (default: ${DEFAULT-VALUE}).")
    int history;
    @Option(names = "--tenant", description = "Tenant (default: every tenant).")
    String tenant;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      try (CostService cost = open(configOptions.load(env))) {
        Forecast f = cost.forecast(tenant(tenant), days, history);
        String currency = cost.config().currency();
        if (output.json()) {
          OutputOptions.printJson(env.out(), f.toJson(tenant(tenant), currency));
        } else {
          env.out().println("next " + days + " days: " + Forecast.cents(f.total()) + " " + currency + " (80% interval "
              + Forecast.cents(f.totalLower()) + " to " + Forecast.cents(f.totalUpper()) + "), from "
              + f.historyDays() + " days of history");
          env.out().println("method: " + f.method());
          env.out().flush();
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code grey cost compare}. */
  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "What a tenant's measured usage would cost per month on each catalog cloud and storage class,"
          + " cheapest first, with recommendations.")
  static final class Compare implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--tenant", required = true, description = "Tenant.")
    String tenant;
    @Option(names = "--window", defaultValue = "30",
        description = "Days of measured usage, up to today, to base it on (default: ${DEFAULT-VALUE}).")
    int window;

    @Override
    public Integer call() {
      CliEnvironment env = GreyCli.environment(spec);
      try (CostService cost = open(configOptions.load(env))) {
        Comparison c = cost.compare(tenant(tenant), window);
        if (output.json()) {
          OutputOptions.printJson(env.out(), c.toJson());
          return ExitCodes.OK;
        }
        env.out().println("tenant " + c.tenant() + ", usage of " + c.from() + " to " + c.to()
            + " as a month; now " + CostReport.display(c.current()) + " " + c.currency() + " per month");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("CLOUD", "REGION", "CLASS", "PER MONTH", "PRICES FROM"));
        for (Comparison.Option o : c.options()) {
          rows.add(List.of(o.cloud(), o.region(), o.storageClass(), CostReport.display(o.monthly()),
              o.date()));
        }
        OutputOptions.printTable(env.out(), rows);
        for (Comparison.Recommendation r : c.recommendations()) {
          env.out().println("recommendation: " + r.text());
        }
        env.out().flush();
      }
      return ExitCodes.OK;
    }
  }
}
