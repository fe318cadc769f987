package io.edgesync.shared.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key, declared once with its type, default and meaning. The environment
 * variable is derived from the key: {@code gateway.port} is {@code EDGESYNC_GATEWAY_PORT}.
 * Secret settings are masked wherever configuration is printed.
 */
public record Setting<T>(String key, String defaultValue, String description, boolean secret,
                         String accepted, Function<String, T> parser) {

    public Setting {
        Objects.requireNonNull(key);
        Objects.requireNonNull(parser);
    }

    public String envName() {
        return "EDGESYNC_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static Setting<String> string(String key, String defaultValue, String description) {
        return new Setting<>(key, defaultValue, description, false, "text", s -> s);
    }

    public static Setting<String> secret(String key, String defaultValue, String description) {
        return new Setting<>(key, defaultValue, description, true, "text", s -> s);
    }

    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String description) {
        String accepted = "an integer from " + min + " to " + max;
        return new Setting<>(key, Integer.toString(defaultValue), description, false, accepted, s -> {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        });
    }

    public static Setting<Long> longValue(String key, long defaultValue, long min, String description) {
        return new Setting<>(key, Long.toString(defaultValue), description, false, "an integer >= " + min, s -> {
            long v = Long.parseLong(s.trim());
            if (v < min) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        });
    }

    /** A duration as ISO-8601 ({@code PT5S}) or a number with a unit suffix: ms, s, m, h, d. */
    public static Setting<Duration> duration(String key, String defaultValue, String description) {
        return new Setting<>(key, defaultValue, description, false, "a duration such as 500ms, 5s, 2m, 7d or PT5S",
                Setting::parseDuration);
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Setting<>(key, Boolean.toString(defaultValue), description, false, "true or false", s -> {
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(s);
            }
            throw new IllegalArgumentException("not a boolean");
        });
    }

    public static <E extends Enum<E>> Setting<E> oneOf(String key, E defaultValue, Class<E> type, String description) {
        String accepted = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .collect(java.util.stream.Collectors.joining(", "));
        Function<String, E> parse = s -> Enum.valueOf(type, s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        return new Setting<>(key, defaultValue.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                description, false, accepted, parse);
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or an ISO-8601 duration. */
    public static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.startsWith("pt") || v.startsWith("p")) {
            return Duration.parse(s.trim().toUpperCase(java.util.Locale.ROOT));
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unknown unit");
        };
    }
}
