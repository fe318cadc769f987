package io.edgesync.dispatcher;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.util.List;

/**
 * How group commands fan out (part of {@link DispatcherConfig}).
 *
 * @param batchSize  devices per database transaction while fanning out or cancelling
 * @param maxDevices most devices one group command may select
 */
public record CommandGroupPolicy(int batchSize, int maxDevices) {

    public static final Setting<Integer> BATCH_SIZE = Setting.integer("dispatcher.command-group-batch-size", 500, 1,
            10_000, "Devices per transaction when a group command fans out into commands, or is cancelled.");
    public static final Setting<Integer> MAX_DEVICES = Setting.integer("dispatcher.command-group-max-devices", 100_000,
            1, 10_000_000, "Most devices one group command may select; a selector matching more is 400.");

    public static final List<Setting<?>> SETTINGS = List.of(BATCH_SIZE, MAX_DEVICES);

    public static CommandGroupPolicy from(ConfigSource source) {
        return new CommandGroupPolicy(source.get(BATCH_SIZE), source.get(MAX_DEVICES));
    }
}
