package io.edgesync.dispatcher.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Named SQL statements from a resource file: each starts with a line {@code -- name: some-name}
 * and ends at the next such line. Written once for CockroachDB and PostgreSQL.
 */
public final class Sql {
    private final String resource;
    private final Map<String, String> statements;

    private Sql(String resource, Map<String, String> statements) {
        this.resource = resource;
        this.statements = Map.copyOf(statements);
    }

    /** @param resource a class-path resource next to this class, e.g. {@code commands.sql} */
    public static Sql load(String resource) {
        try (InputStream in = Sql.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + resource);
            }
            return new Sql(resource, parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("-- name:")) {
                put(out, name, body);
                name = trimmed.substring("-- name:".length()).strip();
                body.setLength(0);
            } else if (name != null && !trimmed.startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        put(out, name, body);
        return out;
    }

    private static void put(Map<String, String> out, String name, StringBuilder body) {
        if (name != null) {
            String sql = body.toString().strip();
            out.put(name, sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql);
        }
    }

    public String get(String name) {
        String sql = statements.get(name);
        if (sql == null) {
            throw new IllegalArgumentException("no statement " + name + " in " + resource);
        }
        return sql;
    }
}
