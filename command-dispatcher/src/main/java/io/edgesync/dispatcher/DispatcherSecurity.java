package io.edgesync.dispatcher;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The security settings of the dispatcher (part of {@link DispatcherConfig}): how registry changes
 * reach Kafka through the outbox.
 *
 * @param publishWait  how long a token change waits for its registry entry to be published before it
 *                     answers anyway (the change is committed; the outbox relay publishes it)
 * @param outboxSweep  how often the outbox relay looks for rows nobody nudged it about
 */
public record DispatcherSecurity(Duration publishWait, Duration outboxSweep) {

    public static final Setting<Duration> PUBLISH_WAIT = Setting.duration("dispatcher.registry-publish-wait", "2s",
            "How long a registration, rotation or revocation waits for its device.registry entry to be "
                    + "published before answering; the change is committed either way and the outbox relay "
                    + "publishes it once Kafka is reachable.");
    public static final Setting<Duration> OUTBOX_SWEEP = Setting.duration("dispatcher.outbox-sweep-interval", "10s",
            "How often the outbox relay reads event_outbox without being nudged (rows left by an instance "
                    + "that stopped between commit and publish).");

    public static final List<Setting<?>> SETTINGS = List.of(PUBLISH_WAIT, OUTBOX_SWEEP);

    public static DispatcherSecurity from(ConfigSource source) {
        return new DispatcherSecurity(nonNegative(source, PUBLISH_WAIT), positive(source, OUTBOX_SWEEP));
    }

    static Duration positive(ConfigSource source, Setting<Duration> setting) {
        Duration d = source.get(setting);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException("invalid key " + setting.key() + ": " + d + "; accepted: a positive duration");
        }
        return d;
    }

    static Duration nonNegative(ConfigSource source, Setting<Duration> setting) {
        Duration d = source.get(setting);
        if (d.isNegative()) {
            throw new ConfigException("invalid key " + setting.key() + ": " + d + "; accepted: a duration >= 0");
        }
        return d;
    }
}
