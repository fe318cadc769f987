package io.edgesync.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table for people: a header row and left-aligned columns padded to their widest cell. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(cell(c));
        }
        rows.add(r);
        return this;
    }

    /** A JSON value as a cell: text as is, null or missing as "-", anything else as compact JSON. */
    static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof JsonNode n) {
            if (n.isMissingNode() || n.isNull()) {
                return "-";
            }
            return n.isValueNode() ? n.asText() : n.toString();
        }
        return v.toString();
    }

    @Override
    public String toString() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        for (List<String> r : rows) {
            line(out, r, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            l.append(i == cells.size() - 1 ? cells.get(i) : pad(cells.get(i), widths[i] + 2));
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
