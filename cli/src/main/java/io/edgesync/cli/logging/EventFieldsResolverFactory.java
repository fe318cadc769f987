package io.edgesync.cli.logging;

import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;

/**
 * JsonTemplateLayout resolver {@code edgesyncEventFields}: the {@code key=value} pairs of the message
 * ({@link KeyValues}) as fields of the log line's own JSON object, so
 * {@code event=sink_started port=7072} becomes {@code "event":"sink_started","port":"7072"}. A key
 * that the template already uses gets a {@code field_} prefix.
 */
@Plugin(name = "EventFieldsResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class EventFieldsResolverFactory implements EventResolverFactory {
    private static final EventFieldsResolverFactory INSTANCE = new EventFieldsResolverFactory();
    private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "thread", "message",
            "exception", "stack_trace");

    private EventFieldsResolverFactory() {
    }

    @PluginFactory
    public static EventFieldsResolverFactory getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return "edgesyncEventFields";
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
        return new Resolver();
    }

    private static final class Resolver implements EventResolver {
        @Override
        public boolean isFlattening() {
            return true;
        }

        @Override
        public boolean isResolvable(LogEvent event) {
            return event.getMessage() != null && event.getMessage().getFormattedMessage().indexOf('=') > 0;
        }

        @Override
        public void resolve(LogEvent event, JsonWriter writer) {
            resolve(event, writer, false);
        }

        @Override
        public void resolve(LogEvent event, JsonWriter writer, boolean succeedingEntry) {
            boolean separator = succeedingEntry;
            for (Map.Entry<String, String> e : KeyValues.parse(event.getMessage().getFormattedMessage()).entrySet()) {
                if (separator) {
                    writer.writeSeparator();
                }
                writer.writeObjectKey(RESERVED.contains(e.getKey()) ? "field_" + e.getKey() : e.getKey());
                writer.writeString(e.getValue());
                separator = true;
            }
        }
    }
}
