package io.edgesync.cli.ops;

import java.util.ArrayList;
import java.util.List;

/** A scrape of a Prometheus text page ({@code /metrics}), summed or maximised by metric name. */
final class Metrics {
    private record Sample(String name, double value) {
    }

    private final List<Sample> samples;

    private Metrics(List<Sample> samples) {
        this.samples = samples;
    }

    static Metrics parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name = (brace > 0 && brace < space ? line.substring(0, brace) : line.substring(0, space)).strip();
            try {
                out.add(new Sample(name, Double.parseDouble(line.substring(space + 1).strip())));
            } catch (NumberFormatException ignored) {
                // a line of another format: not a sample
            }
        }
        return new Metrics(out);
    }

    /** The sum over every series of the metric; null when there is none. */
    Double sum(String name) {
        Double total = null;
        for (Sample s : samples) {
            if (s.name().equals(name) && !Double.isNaN(s.value())) {
                total = (total == null ? 0 : total) + s.value();
            }
        }
        return total;
    }

    /** The largest value of any series of the metric; null when there is none. */
    Double max(String name) {
        Double best = null;
        for (Sample s : samples) {
            if (s.name().equals(name) && !Double.isNaN(s.value())) {
                best = best == null ? s.value() : Math.max(best, s.value());
            }
        }
        return best;
    }
}
