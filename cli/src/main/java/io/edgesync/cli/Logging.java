package io.edgesync.cli;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Logging of {@code serve}, {@code local} and {@code demo}: the format (text lines, or one JSON object
 * per line with timestamp, level, logger and the message's {@code key=value} event fields), the level
 * of EdgeSync's own loggers and per-logger levels. Each comes from its setting ({@code log.*}: YAML or
 * {@code EDGESYNC_LOG_*}) or, above those, a {@code -Dedgesync.log.format|level|levels} flag (e.g. in
 * {@code EDGESYNC_JAVA_OPTS}).
 */
public final class Logging {
    enum Format { TEXT, JSON }

    static final Setting<Format> FORMAT = Setting.oneOf("log.format", Format.TEXT, Format.class,
            "Log output on stderr: text lines, or json, one object per line (timestamp, level, logger, thread, the "
                + "message's key=value fields such as event, message, exception). -Dedgesync.log.format overrides it.");
    static final Setting<Level> LEVEL = new Setting<>("log.level", "info",
            "Level of EdgeSync's own loggers (io.edgesync): start-up and lifecycle events are info, retries and "
                + "refused input warn. edgesync demo shows warn unless this is set. -Dedgesync.log.level overrides it.",
            false, "trace, debug, info, warn, error or off", Logging::parseLevel);
    static final Setting<Map<String, Level>> LEVELS = new Setting<>("log.levels", "",
            "Per-logger levels, applied last: logger=level pairs separated by commas, e.g. "
                + "org.apache.kafka=warn,io.edgesync.sink=debug (libraries log errors only by default). "
                + "-Dedgesync.log.levels overrides it.",
            false, "logger=level pairs separated by commas", Logging::levels);
    static final List<Setting<?>> SETTINGS = List.of(FORMAT, LEVEL, LEVELS);

    private Logging() {
    }

    /** Applies the settings (and -D flags) to the running Log4j configuration. */
    public static void apply(ConfigSource config) {
        apply(config, null);
    }

    /**
     * As above; {@code quietDefault}, when not null, is the EdgeSync level unless a flag names one (demo,
     * when the environment sets no level, keeps its output to the story it tells).
     */
    static void apply(ConfigSource config, Level quietDefault) {
        Format format = get(config, FORMAT);
        System.setProperty("edgesync.log.appender", format.name().toLowerCase(Locale.ROOT));
        if (LogManager.getContext(false) instanceof LoggerContext context) {
            context.reconfigure();
        }
        Level level = get(config, LEVEL);
        if (quietDefault != null && System.getProperty(flag(LEVEL)) == null) {
            level = quietDefault;
        }
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put("io.edgesync", level);
        levels.putAll(get(config, LEVELS));
        Configurator.setLevel(levels);
    }

    /** The -D flag wins over the setting's file and environment values. */
    private static <T> T get(ConfigSource config, Setting<T> setting) {
        String flag = System.getProperty(flag(setting));
        if (flag == null) {
            return config.get(setting);
        }
        try {
            return setting.parser().apply(flag);
        } catch (RuntimeException e) {
            throw new ConfigException("invalid flag -D" + flag(setting) + ": '" + flag + "'; accepted: "
                    + setting.accepted());
        }
    }

    private static String flag(Setting<?> setting) {
        return "edgesync." + setting.key();
    }

    static Level parseLevel(String text) {
        Level level = Level.getLevel(text.trim().toUpperCase(Locale.ROOT));
        if (level == null || !List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(level.name())) {
            throw new IllegalArgumentException("not a level");
        }
        return level;
    }

    static Map<String, Level> levels(String text) {
        Map<String, Level> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not logger=level");
            }
            out.put(pair.substring(0, eq).trim(), parseLevel(pair.substring(eq + 1)));
        }
        return out;
    }
}
