package io.edgesync.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and every dashboard expression parse (promtool), the alerts fire when they should
 * (promtool test rules), and they cover the operators' questions. That they name metrics the services
 * expose is {@link MetricsExposedIT}.
 */
class PrometheusRulesTest {
    private static final Path ALERTS = DeployFiles.root().resolve("compose/prometheus/alerts.yml");

    @Test
    void alertRulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
        Promtool.Result check = Promtool.run("check", "rules", ALERTS.toString());
        assertEquals(0, check.exit(), check.output());
        Promtool.Result test = Promtool.run("test", "rules",
                DeployFiles.root().resolve("compose/prometheus/alerts.test.yml").toString());
        assertEquals(0, test.exit(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }

    @Test
    void theAlertsTheIssueAsksForExist() {
        Set<String> alerts = new java.util.TreeSet<>();
        PromQl.ruleExpressions(ALERTS).keySet().forEach(k -> alerts.add(k.substring(0, k.indexOf('#'))));
        assertTrue(alerts.containsAll(List.of("EdgeSyncSinkPaused", "EdgeSyncConsumerLagGrowing",
                "EdgeSyncDeadLettersGrowing", "EdgeSyncGatewayServerErrors", "EdgeSyncGatewayUnavailable",
                "EdgeSyncSyncLatencyHigh", "EdgeSyncDevicesOffline", "EdgeSyncProcessorNotRunning")), alerts.toString());
    }

    @Test
    void operationsDocsSayWhatEveryAlertMeans() throws Exception {
        String operations = Files.readString(DeployFiles.root().resolve("docs/operations.md"));
        for (String key : PromQl.ruleExpressions(ALERTS).keySet()) {
            String alert = key.substring(0, key.indexOf('#'));
            assertTrue(operations.contains("\n### " + alert + "\n"), "docs/operations.md has no section ### " + alert);
        }
        Map<String, Object> rules = DeployFiles.yaml(ALERTS);
        for (Object group : DeployFiles.list(rules.get("groups"))) {
            for (Object rule : DeployFiles.list(DeployFiles.map(group).get("rules"))) {
                Map<String, Object> r = DeployFiles.map(rule);
                String runbook = (String) DeployFiles.map(r.get("annotations")).get("runbook");
                assertEquals("docs/operations.md#" + ((String) r.get("alert")).toLowerCase(java.util.Locale.ROOT), runbook);
            }
        }
    }

    @Test
    void everyDashboardExpressionParses(@TempDir Path dir) throws Exception {
        Map<String, String> expressions = PromQl.dashboardExpressions("compose/grafana/dashboards");
        assertTrue(expressions.size() >= 30, "dashboard expressions: " + expressions.size());
        // promtool parses expressions in rule files: each expression becomes a recording rule
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        int n = 0;
        for (String expr : expressions.values()) {
            rules.append("      - record: dashboard:expr_").append(++n).append("\n        expr: ")
                    .append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expr)).append('\n');
        }
        Path file = dir.resolve("dashboards.rules.yml");
        Files.writeString(file, rules);
        Promtool.Result check = Promtool.run("check", "rules", file.toString());
        assertEquals(0, check.exit(), check.output() + "\n" + rules);
        assertTrue(check.output().contains("SUCCESS: " + n + " rules found"), check.output());
    }

    @Test
    void threeDashboardsAreProvisioned() throws Exception {
        List<Path> dashboards = DeployFiles.files("compose/grafana/dashboards", ".json");
        assertEquals(List.of("database.json", "fleet.json", "pipeline.json"),
                dashboards.stream().map(p -> p.getFileName().toString()).toList());
        for (Path d : dashboards) {
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.toFile());
            assertTrue(json.path("uid").asText().startsWith("edgesync-"), d.toString());
            json.path("panels").forEach(p -> assertEquals("prometheus", p.path("datasource").path("uid").asText(),
                    d + ": " + p.path("title")));
        }
    }

    @Test
    void metricNamesAreFoundInExpressions() {
        assertEquals(Set.of("a_bucket"), PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(a_bucket{since=\"gateway\", x=~\"a|b\"}[5m]))) > 5"));
        assertEquals(Set.of("x", "y", "up"), PromQl.metricNames(
                "max(x) == 0 or absent(y) and on (job) up{service=\"sink\"} == 0"));
        assertEquals(Set.of("m"), PromQl.metricNames("deriv(max by (stage) (m{stage=~\"p|s\"})[10m:1m]) > 0"));
    }
}
