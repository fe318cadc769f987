package io.edgesync.cli.replay;

import io.edgesync.shared.db.DatabaseTimeouts;
import io.edgesync.shared.db.DatabaseTls;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.cli.Logging;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.db.Database;
import io.edgesync.sink.SinkConfig;
import io.edgesync.sink.archive.ArchiveConfig;
import io.edgesync.sink.archive.RawArchive;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgesync replay}: re-decides a window of {@code telemetry.raw} in an isolated application into
 * shadow topics and a shadow table, then prints how the shadow differs from the live table. Subcommands
 * print the report again, promote the shadow into the live table, or drop it. See docs/operations.md.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replays telemetry.raw (from an offset or a time, optionally to a time, for some devices) "
                + "through the processor's decisions into replay.<name>.telemetry.* and telemetry_data_replay_<name>, "
                + "never writing the live topics or tables, and reports the differences from telemetry_data.",
        subcommands = {ReplayCommand.Report.class, ReplayCommand.Promote.class, ReplayCommand.Drop.class})
public final class ReplayCommand implements Callable<Integer> {
    /** Where to connect, and which replay. */
    static final class Target {
        @Option(names = "--config", description = "YAML configuration file (kafka.bootstrap-servers, database.jdbc-url).")
        Path configFile;

        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (overrides the configuration).")
        String bootstrap;

        @Option(names = "--jdbc-url", description = "JDBC URL of the database (overrides the configuration).")
        String jdbcUrl;

        // checked in name(), not by picocli: a required option of the parent would be required by every subcommand
        @Option(names = "--name",
                description = "The replay's name: 1-30 of a-z, 0-9, _. It names the shadow topics and tables.")
        String name;

        ConfigSource config() {
            ConfigSource c = ConfigSource.load(configFile, System.getenv());
            if (bootstrap != null) {
                c = c.with("kafka.bootstrap-servers", bootstrap);
            }
            if (jdbcUrl != null) {
                c = c.with("database.jdbc-url", jdbcUrl);
            }
            return c;
        }

        String name() {
            if (name == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "Missing required option: '--name'");
            }
            try {
                return ReplayPlan.checkName(name);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
        }
    }

    /** The window and scope of a replay. */
    static final class Window {
        @Option(names = "--from-offset", description = "First offset: N for every partition, or P:N[,P:N...].")
        String fromOffset;

        @Option(names = "--from-time", description = "First record time (ISO-8601 instant, the gateway's write time).")
        String fromTime;

        @Option(names = "--to-time", description = "End of the time range, exclusive (ISO-8601 instant).")
        String toTime;

        @Option(names = "--device", description = "Only this device (repeatable).")
        List<String> devices = List.of();

        Map<Integer, Long> offsets() {
            Map<Integer, Long> out = new HashMap<>();
            if (fromOffset == null) {
                return out;
            }
            try {
                for (String part : fromOffset.split(",")) {
                    String[] pn = part.strip().split(":");
                    if (pn.length == 1) {
                        out.put(-1, nonNegative(Long.parseLong(pn[0])));
                    } else if (pn.length == 2) {
                        out.put(Integer.parseInt(pn[0]), nonNegative(Long.parseLong(pn[1])));
                    } else {
                        throw new NumberFormatException(part);
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--from-offset is N or P:N[,P:N...] with whole numbers >= 0: "
                        + fromOffset);
            }
            return out;
        }

        static Instant instant(String option, String value) {
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(option + " is an ISO-8601 instant such as 2026-01-01T00:00:00Z: "
                        + value);
            }
        }

        private static long nonNegative(long n) {
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        }
    }

    @Mixin
    Target target = new Target();

    @Mixin
    Window window = new Window();

    @Option(names = "--dry-run", description = "Print what would be read and written, and stop.")
    boolean dryRun;

    /** What a replay reads. */
    enum Source { topic, archive }

    @Option(names = "--source", defaultValue = "topic",
            description = "topic (telemetry.raw) or archive (the archive of telemetry.raw, archive.s3.* settings; "
                    + "default: ${DEFAULT-VALUE}).")
    Source source;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String name = target.name();
        Map<Integer, Long> offsets;
        Instant from;
        Instant to;
        try {
            offsets = window.offsets();
            from = Window.instant("--from-time", window.fromTime);
            to = Window.instant("--to-time", window.toTime);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from-time must be before --to-time");
        }
        ConfigSource config = target.config();
        Logging.apply(config);
        KafkaClients kafka = KafkaClients.from(config, config.get(ProcessorConfig.KAFKA));
        Set<String> devices = new LinkedHashSet<>(window.devices);
        ReplayPlan plan = source == Source.archive ? ReplayPlan.forArchive(name, offsets, from, to, devices)
                : ReplayPlan.resolve(kafka, name, offsets, from, to, devices);
        PrintStream out = System.out;
        describe(out, plan);
        RawArchive archive = null;
        if (source == Source.archive) {
            ArchiveConfig a = ArchiveConfig.from(config);
            out.printf("  from the archive %s/%s%s%n", a.endpoint(), a.bucket(), "/" + RawArchive.PREFIX);
            archive = RawArchive.of(a);
        }
        if (dryRun) {
            out.println("dry run: nothing read or written");
            return 0;
        }
        try (HikariDataSource db = Database.pool(config.get(SinkConfig.JDBC_URL), 4, "edgesync-replay",
                DatabaseTimeouts.from(config), DatabaseTls.from(config), null)) {
            Replay replay = new Replay(kafka, db, System.err);
            if (replay.exists(plan)) {
                System.err.println("error: a replay named " + name + " exists; choose another name or remove it with"
                        + " edgesync replay drop --name " + name);
                return 1;
            }
            Replay.Summary s = archive == null ? replay.run(plan, UnaryOperator.identity())
                    : replay.runFromArchive(plan, archive, UnaryOperator.identity());
            out.printf("replayed %,d offsets in %.1f s (%,.0f records/s): %,d rows into %s, %,d conflicts into %s%n",
                    s.offsets(), s.seconds(), s.recordsPerSecond(), s.rowsWritten(), plan.table(),
                    s.conflictsWritten(), plan.conflictTable());
            DiffReport.compute(db, plan).print(out, plan);
        }
        return 0;
    }

    static void describe(PrintStream out, ReplayPlan plan) {
        if (plan.archive()) {
            out.printf("replay %s reads archived telemetry.raw%s%n", plan.name(), plan.start().isEmpty() ? ""
                    : " from offsets " + plan.start());
        } else {
            out.printf("replay %s reads telemetry.raw:", plan.name());
            plan.start().forEach((p, s) -> out.printf(" %d:[%d,%d)", p, s, plan.end().get(p)));
            out.printf(" = %,d offsets%n", plan.records());
        }
        if (plan.from() != null || plan.to() != null) {
            out.printf("  records written from %s to %s%n", plan.from() == null ? "the start" : plan.from(),
                    plan.to() == null ? "the end" : plan.to());
        }
        if (!plan.devices().isEmpty()) {
            out.println("  devices " + String.join(", ", plan.devices()));
        }
        out.printf("  writes topics %s, %s, %s; tables %s, %s; application id %s%n", plan.cleanTopic(),
                plan.conflictsTopic(), plan.dlqTopic(), plan.table(), plan.conflictTable(), plan.applicationId());
        out.println("  live topics and tables are only read");
    }

    /** {@code edgesync replay report}: the differences again (the scope options as for the replay). */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Prints the differences between telemetry_data_replay_<name> and telemetry_data.")
    static final class Report implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Option(names = "--from-time", description = "Scope of the live side: received at or after (ISO-8601).")
        String fromTime;

        @Option(names = "--to-time", description = "Scope of the live side: received before (ISO-8601).")
        String toTime;

        @Option(names = "--device", description = "Scope of the live side: this device (repeatable).")
        List<String> devices = List.of();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String name = target.name();
            Instant from;
            Instant to;
            try {
                from = Window.instant("--from-time", fromTime);
                to = Window.instant("--to-time", toTime);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            ConfigSource config = target.config();
            Logging.apply(config);
            ReplayPlan plan = new ReplayPlan(name, Map.of(), Map.of(), from, to, Set.copyOf(devices));
            try (HikariDataSource db = Database.pool(config.get(SinkConfig.JDBC_URL), 2, "edgesync-replay")) {
                if (!ShadowTables.exist(db, plan)) {
                    System.err.println("error: no replay named " + name + " (no table " + plan.table() + ")");
                    return 1;
                }
                DiffReport.compute(db, plan).print(System.out, plan);
            }
            return 0;
        }
    }

    /** {@code edgesync replay promote}: the shadow table into the live one. */
    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Writes every row of telemetry_data_replay_<name> that is missing from or differs in "
                    + "telemetry_data into telemetry_data, and the replay's conflict log into conflict_log. "
                    + "Rows only in telemetry_data are kept. Without --yes, only prints what it would change.")
    static final class Promote implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Option(names = "--yes", description = "Really write the live table.")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            String name = target.name();
            ConfigSource config = target.config();
            Logging.apply(config);
            ReplayPlan plan = new ReplayPlan(name, Map.of(), Map.of(), null, null, Set.of());
            try (HikariDataSource db = Database.pool(config.get(SinkConfig.JDBC_URL), 2, "edgesync-replay")) {
                if (!ShadowTables.exist(db, plan)) {
                    System.err.println("error: no replay named " + name + " (no table " + plan.table() + ")");
                    return 1;
                }
                DiffReport report = DiffReport.compute(db, plan);
                report.print(System.out, plan);
                if (!yes) {
                    System.out.printf("would write %,d rows into telemetry_data; run again with --yes to promote%n",
                            report.onlyInShadow() + report.differing());
                    return 0;
                }
                Promotion.Result r = Promotion.promote(db, plan);
                System.out.printf("promoted: %,d rows written into telemetry_data, %,d conflicts added to"
                        + " conflict_log%n", r.rowsWritten(), r.conflictsAdded());
            }
            return 0;
        }
    }

    /** {@code edgesync replay drop}: removes a replay. */
    @Command(name = "drop", mixinStandardHelpOptions = true,
            description = "Deletes the replay's shadow topics, tables, consumer group and internal topics.")
    static final class Drop implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Override
        public Integer call() throws Exception {
            String name = target.name();
            ConfigSource config = target.config();
            Logging.apply(config);
            ReplayPlan plan = new ReplayPlan(name, Map.of(), Map.of(), null, null, Set.of());
            try (HikariDataSource db = Database.pool(config.get(SinkConfig.JDBC_URL), 2, "edgesync-replay",
                    DatabaseTimeouts.from(config), DatabaseTls.from(config), null)) {
                new Replay(KafkaClients.from(config, config.get(ProcessorConfig.KAFKA)), db, System.err).drop(plan);
            }
            System.out.println("dropped replay " + name);
            return 0;
        }
    }
}
