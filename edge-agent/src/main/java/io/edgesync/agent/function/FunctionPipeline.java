package io.edgesync.agent.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes validated readings through the deployed edge functions, in order, before they are stored:
 * each function's output readings feed the next one. Every output is validated with the gateway's
 * rules (so a function cannot make the agent store what the gateway would refuse); an output without
 * an {@code id} gets one derived from the input's id, the function and its position, so a replay
 * derives the same ids. When a function traps, times out or answers invalid output, the whole chain
 * is abandoned for that reading, the failure is counted and logged, and the reading is either stored
 * as it came in with {@code metadata.edgeFunctionError = {function, version, kind}} ({@code keep}, the
 * default) or not stored ({@code reject}). Nothing here throws: a function never crashes the agent.
 */
public final class FunctionPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionPipeline.class);
    public static final String ERROR_FLAG = "edgeFunctionError";

    private final Supplier<List<EdgeFunctions.Active>> functions;
    private final FunctionOptions.OnFailure onFailure;
    private final FunctionStats stats;
    private final String deviceId;

    public FunctionPipeline(Supplier<List<EdgeFunctions.Active>> functions, FunctionOptions.OnFailure onFailure,
                            FunctionStats stats, String deviceId) {
        this.functions = Objects.requireNonNull(functions);
        this.onFailure = Objects.requireNonNull(onFailure);
        this.stats = Objects.requireNonNull(stats);
        this.deviceId = deviceId;
    }

    public FunctionStats stats() {
        return stats;
    }

    /** The readings to store for {@code readings}: the functions' outputs, or flagged originals. */
    public List<TelemetryRecord> apply(List<TelemetryRecord> readings) {
        List<EdgeFunctions.Active> chain = functions.get();
        if (chain.isEmpty()) {
            return readings;
        }
        List<TelemetryRecord> out = new ArrayList<>(readings.size());
        for (TelemetryRecord r : readings) {
            out.addAll(applyOne(chain, r));
        }
        return out;
    }

    private List<TelemetryRecord> applyOne(List<EdgeFunctions.Active> chain, TelemetryRecord reading) {
        List<TelemetryRecord> current = List.of(reading);
        for (EdgeFunctions.Active fn : chain) {
            List<TelemetryRecord> next = new ArrayList<>();
            for (TelemetryRecord in : current) {
                stats.called();
                List<ObjectNode> produced;
                try {
                    produced = fn.runtime().process(Json.mapper().valueToTree(in));
                } catch (FunctionException e) {
                    return failed(reading, fn, e.kind(), e.getMessage());
                } catch (RuntimeException e) {
                    return failed(reading, fn, FunctionException.Kind.TRAP, e.toString());
                }
                for (int i = 0; i < produced.size(); i++) {
                    ObjectNode node = produced.get(i);
                    if (!node.hasNonNull("id")) {
                        node.put("id", UUID.nameUUIDFromBytes((in.id() + "/" + fn.name() + "/" + i)
                                .getBytes(StandardCharsets.UTF_8)).toString());
                    }
                    RecordValidator.Result v = RecordValidator.validate(i, node, deviceId);
                    if (!v.ok()) {
                        return failed(reading, fn, FunctionException.Kind.INVALID_OUTPUT,
                                "output " + i + ": " + v.rejection().message());
                    }
                    next.add(v.record());
                }
            }
            current = next;
        }
        return current;
    }

    private List<TelemetryRecord> failed(TelemetryRecord reading, EdgeFunctions.Active fn,
                                         FunctionException.Kind kind, String reason) {
        stats.failed(kind, onFailure);
        LOG.warn("event=function_failed function={} version={} kind={} record={} outcome={} reason=\"{}\"", fn.name(),
                fn.version(), kind.name().toLowerCase(Locale.ROOT), reading.id(),
                onFailure == FunctionOptions.OnFailure.KEEP ? "kept_flagged" : "rejected", reason);
        if (onFailure == FunctionOptions.OnFailure.REJECT) {
            return List.of();
        }
        ObjectNode meta = reading.metadata() == null ? Json.mapper().createObjectNode() : reading.metadata().deepCopy();
        meta.putObject(ERROR_FLAG).put("function", fn.name()).put("version", fn.version())
                .put("kind", kind.name().toLowerCase(Locale.ROOT));
        if (meta.toString().getBytes(StandardCharsets.UTF_8).length > RecordValidator.MAX_METADATA_BYTES) {
            return List.of(reading); // no room for the flag: kept unchanged (the failure is still counted and logged)
        }
        return List.of(new TelemetryRecord(reading.id(), reading.deviceId(), reading.sensorId(), reading.timestamp(),
                reading.dataType(), reading.value(), reading.unit(), meta, reading.version(), reading.receivedAt(),
                reading.batchId()));
    }
}
