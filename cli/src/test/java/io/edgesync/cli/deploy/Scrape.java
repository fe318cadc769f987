package io.edgesync.cli.deploy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus text endpoint: sample names, their label names, and values. */
record Scrape(String body) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    static Scrape of(String baseUrl) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(baseUrl + "/metrics: HTTP " + r.statusCode());
        }
        return new Scrape(r.body());
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        body.lines().filter(l -> !l.startsWith("#")).map(SAMPLE::matcher).filter(Matcher::find)
                .forEach(m -> names.add(m.group(1)));
        return names;
    }

    /** Label names by sample name. */
    Map<String, Set<String>> labels() {
        Map<String, Set<String>> labels = new HashMap<>();
        body.lines().filter(l -> !l.startsWith("#")).map(SAMPLE::matcher).filter(Matcher::find).forEach(m -> {
            Set<String> names = labels.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    names.add(l.group(1));
                }
            }
        });
        return labels;
    }

    /** The sum of every sample of {@code name} whose labels contain {@code labelFragment} (or all). */
    double sum(String name, String labelFragment) {
        double total = 0;
        for (String line : body.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find() && m.group(1).equals(name)
                    && (labelFragment == null || (m.group(3) != null && m.group(3).contains(labelFragment)))) {
                total += Double.parseDouble(m.group(4));
            }
        }
        return total;
    }
}
