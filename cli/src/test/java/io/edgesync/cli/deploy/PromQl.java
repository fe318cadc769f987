package io.edgesync.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL expressions of the alert rules and dashboards, and the metric names they select.
 * Syntax is checked by promtool ({@link Promtool}); this only finds the selectors' metric names.
 */
final class PromQl {
    private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group(1);
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean call = next < s.length() && s.charAt(next) == '(';
            if (!call && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Alert name (or record name) to expression, from a Prometheus rule file. */
    static Map<String, String> ruleExpressions(Path ruleFile) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (Object group : DeployFiles.list(DeployFiles.yaml(ruleFile).get("groups"))) {
            for (Object rule : DeployFiles.list(DeployFiles.map(group).get("rules"))) {
                Map<String, Object> r = DeployFiles.map(rule);
                Object name = r.containsKey("alert") ? r.get("alert") : r.get("record");
                out.put(name + "#" + (++n), (String) r.get("expr"));
            }
        }
        return out;
    }

    /** "dashboard / panel / refId" to expression, for every Grafana dashboard JSON under {@code dir}. */
    static Map<String, String> dashboardExpressions(String dir) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path file : DeployFiles.files(dir, ".json")) {
            try {
                JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
                for (JsonNode panel : panels(dashboard)) {
                    for (JsonNode target : panel.path("targets")) {
                        if (target.hasNonNull("expr")) {
                            out.put(file.getFileName() + " / " + panel.path("title").asText() + " / "
                                    + target.path("refId").asText(), target.get("expr").asText());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static List<JsonNode> panels(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : node.path("panels")) {
            out.add(p);
            out.addAll(panels(p)); // rows hold panels
        }
        return out;
    }
}
