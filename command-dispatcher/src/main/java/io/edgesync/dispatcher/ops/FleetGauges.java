package io.edgesync.dispatcher.ops;

import io.edgesync.dispatcher.command.CommandStatus;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet as gauges, read from the database by {@link #refresh()} (the dispatcher calls it every
 * 15 s), so a scrape never waits for a query: {@code edgesync_dispatcher_devices{presence}}
 * (registered, online, offline; revoked devices are not counted), {@code
 * edgesync_dispatcher_pending_records{presence}} (records the devices' last heartbeats reported as not
 * yet uploaded) and {@code edgesync_dispatcher_commands{status}}. Every dispatcher instance reports the
 * same fleet: aggregate with {@code max}, not {@code sum}.
 */
public final class FleetGauges {
    public static final String DEVICES = "edgesync.dispatcher.devices";
    public static final String PENDING_RECORDS = "edgesync.dispatcher.pending.records";
    public static final String COMMANDS = "edgesync.dispatcher.commands";
    public static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final List<String> PRESENCE = List.of("registered", "online", "offline");
    private static final Sql SQL = Sql.load("fleet.sql");

    private final Transactions tx;
    private final Clock clock;
    private final Duration offlineAfter;
    private final Map<String, AtomicLong> devices = new HashMap<>();
    private final Map<String, AtomicLong> pending = new HashMap<>();
    private final Map<String, AtomicLong> commands = new HashMap<>();

    public FleetGauges(Transactions tx, Clock clock, Duration offlineAfter, MeterRegistry registry) {
        this.tx = Objects.requireNonNull(tx);
        this.clock = Objects.requireNonNull(clock);
        this.offlineAfter = Objects.requireNonNull(offlineAfter);
        for (String presence : PRESENCE) {
            devices.put(presence, gauge(registry, DEVICES, "presence", presence, "Devices by presence"));
            pending.put(presence, gauge(registry, PENDING_RECORDS, "presence", presence,
                    "Unsynced records the devices' last heartbeats reported"));
        }
        for (CommandStatus status : CommandStatus.values()) {
            commands.put(status.wire(), gauge(registry, COMMANDS, "status", status.wire(), "Commands by status"));
        }
    }

    private static AtomicLong gauge(MeterRegistry registry, String name, String tag, String value, String description) {
        AtomicLong holder = new AtomicLong();
        Gauge.builder(name, holder, AtomicLong::get).tag(tag, value).description(description).register(registry);
        return holder;
    }

    /** Reads the figures from the database; values not seen are zero. */
    public void refresh() throws SQLException {
        Map<String, long[]> byPresence = new HashMap<>();
        Map<String, Long> byStatus = new HashMap<>();
        tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("devices-by-presence"))) {
                Columns.setInstant(ps, 1, clock.instant().minus(offlineAfter));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byPresence.put(rs.getString("presence"), new long[] {rs.getLong("devices"), rs.getLong("pending")});
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SQL.get("commands-by-status"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byStatus.put(rs.getString("status"), rs.getLong("commands"));
                }
            }
            return null;
        });
        devices.forEach((presence, holder) -> holder.set(byPresence.getOrDefault(presence, new long[2])[0]));
        pending.forEach((presence, holder) -> holder.set(byPresence.getOrDefault(presence, new long[2])[1]));
        commands.forEach((status, holder) -> holder.set(byStatus.getOrDefault(status, 0L)));
    }
}
