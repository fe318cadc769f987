package io.edgesync.gateway.tables;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.gateway.api.GatewayMetrics;
import io.edgesync.gateway.api.GatewayMetrics.Pressure;
import io.edgesync.gateway.api.RequestGate;
import io.edgesync.gateway.api.UploadReader;
import io.edgesync.gateway.auth.Credentials;
import io.edgesync.gateway.auth.DeviceAuthenticator;
import io.edgesync.gateway.limit.DeviceRateLimiter;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.http.HttpServers;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.Rejection;
import io.edgesync.shared.tables.RowValidator;
import io.edgesync.shared.tables.TableDefinition;
import io.edgesync.shared.tables.TableRow;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import io.edgesync.shared.tls.ClientCertificates;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/sync/tables/{table}}: rows of a registered table (404 otherwise), checked
 * row by row against its definition ({@link RowValidator}), written to {@code table-rows.raw} and
 * answered 200 only after Kafka acknowledged every accepted row. Authentication, size and rate
 * limits, back-pressure and the error shape are the telemetry endpoint's.
 */
public final class TableRowsHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TableRowsHandler.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** The 200 body: as the telemetry endpoint's, rejections naming the row's key as {@code id}. */
    public record UploadResult(String batchId, int accepted, List<Rejection> rejected) {
    }

    /** What the handler shares with the telemetry endpoint. */
    public record Wiring(UploadReader reader, int maxRows, DeviceAuthenticator authenticator,
                         DeviceRateLimiter rateLimiter, RequestGate gate, Semaphore inFlight, Duration produceTimeout,
                         Clock clock, GatewayMetrics metrics, Executor responder, BooleanSupplier kafkaReady) {
    }

    private final Wiring w;
    private final TableRegistryCache registry;
    private final TableRowPublisher publisher;

    public TableRowsHandler(Wiring wiring, TableRegistryCache registry, TableRowPublisher publisher) {
        this.w = Objects.requireNonNull(wiring);
        this.registry = Objects.requireNonNull(registry);
        this.publisher = Objects.requireNonNull(publisher);
    }

    private record Prepared(String hostId, String table, String batchId, List<byte[]> values,
                            List<Rejection> rejected) {
    }

    @Override
    public void handle(Context ctx) {
        if (!w.gate().tryEnter()) {
            w.metrics().pressure(Pressure.SHUTTING_DOWN);
            throw new ApiException(ErrorCode.UNAVAILABLE, "the gateway is shutting down; retry later",
                    Map.of("reason", "shutting_down"), RETRY_AFTER);
        }
        boolean handedOff = false;
        try {
            Prepared prepared = prepare(ctx);
            UploadResult result = new UploadResult(prepared.batchId(), prepared.values().size(), prepared.rejected());
            int n = prepared.values().size();
            if (n == 0) {
                ctx.json(result);
                return;
            }
            if (!w.kafkaReady().getAsBoolean()) {
                throw unavailable(Pressure.KAFKA_UNAVAILABLE, "rows cannot be stored now: Kafka is unreachable");
            }
            if (!w.inFlight().tryAcquire(n)) {
                throw unavailable(Pressure.IN_FLIGHT_FULL, "too many records waiting for Kafka; retry later");
            }
            long start = System.nanoTime();
            CompletableFuture<Void> ack = publisher.publish(prepared.hostId(), prepared.table(), prepared.values())
                    .orTimeout(w.produceTimeout().toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<Void> answered = ack.handleAsync((ok, error) -> {
                try {
                    w.inFlight().release(n);
                    w.metrics().produced(System.nanoTime() - start);
                    if (error == null) {
                        w.metrics().accepted(n);
                        ctx.json(result);
                    } else {
                        LOG.warn("event=table_rows_publish_failed table={} rows={} error={}", prepared.table(), n,
                                error.getClass().getSimpleName());
                        w.metrics().pressure(Pressure.KAFKA_UNAVAILABLE);
                        HttpServers.respond(ctx, new ApiException(ErrorCode.UNAVAILABLE,
                                "rows could not be stored; retry later", Map.of("reason", "kafka_unavailable"),
                                RETRY_AFTER));
                    }
                } finally {
                    w.gate().leave();
                }
                return null;
            }, w.responder());
            handedOff = true;
            ctx.future(() -> answered);
        } finally {
            if (!handedOff) {
                w.gate().leave();
            }
        }
    }

    private Prepared prepare(Context ctx) {
        w.reader().checkContentType(ctx.contentType());
        X509Certificate[] chain = ClientCertificates.chain(ctx);
        String authenticated = w.authenticator().authenticate(new Credentials(ctx.header("Authorization"), chain));
        String tableName = ctx.pathParam("table");
        if (!registry.loaded()) {
            throw unavailable(Pressure.KAFKA_UNAVAILABLE, "the table registry is still loading; retry later");
        }
        TableDefinition table = registry.table(tableName).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "table " + tableName + " is not registered for sync", Map.of("table", tableName), null));
        byte[] json = w.reader().decode(ctx.header("Content-Encoding"), readBody(ctx));
        JsonNode body = parse(json);
        JsonNode rows = body.isArray() ? body : body.get("rows");
        if (rows == null || !rows.isArray()) {
            throw shape("the envelope has no rows array");
        }
        if (rows.size() > w.maxRows()) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "batch has more than " + w.maxRows() + " rows",
                    Map.of("maxRecords", w.maxRows()), null);
        }
        String claimed = body.isObject() ? text(body, "deviceId") : null;
        String hostId = authenticated != null ? authenticated : claimed;
        if (hostId == null || hostId.isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "deviceId is required when authentication is off");
        }
        if (claimed != null && !claimed.equals(hostId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "the envelope names device " + claimed
                    + " but the credentials are for another device", Map.of("deviceId", claimed), null);
        }
        w.metrics().batch(rows.size());
        DeviceRateLimiter.Decision decision = w.rateLimiter().tryAcquire(hostId, rows.size());
        if (!decision.allowed()) {
            w.metrics().pressure(Pressure.RATE_LIMITED);
            throw new ApiException(ErrorCode.RATE_LIMITED, "device " + hostId + " is over its upload rate",
                    Map.of("retryAfterMillis", decision.retryAfter().toMillis()), decision.retryAfter());
        }
        String batchId = body.isObject() && text(body, "batchId") != null ? text(body, "batchId")
                : UUID.randomUUID().toString();
        long receivedAt = w.clock().millis();
        List<byte[]> values = new ArrayList<>(rows.size());
        List<Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            RowValidator.Result r = RowValidator.validate(i, rows.get(i), table, receivedAt);
            if (r.ok()) {
                values.add(Json.toBytes(new TableRow(table.name(), hostId, r.key(), r.version(), batchId, receivedAt,
                        r.values())));
            } else {
                rejected.add(r.rejection());
                w.metrics().rejected(r.rejection().code());
            }
        }
        return new Prepared(hostId, table.name(), batchId, values, rejected);
    }

    private static JsonNode parse(byte[] json) {
        try {
            JsonNode body = Json.mapper().readTree(json);
            if (body == null || !(body.isArray() || body.isObject())) {
                throw shape("body must be a JSON object or array");
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not valid JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw shape(field + " must be a string");
        }
        return v.asText();
    }

    private byte[] readBody(Context ctx) {
        try {
            return w.reader().readBody(ctx.req().getInputStream(), ctx.req().getContentLengthLong());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "the request body could not be read");
        }
    }

    private static ApiException shape(String message) {
        return new ApiException(ErrorCode.MALFORMED_BODY, message
                + "; expected {\"deviceId\", \"batchId\", \"rows\": [{\"version\", \"values\"}, ...]} or an array of rows");
    }

    private ApiException unavailable(Pressure reason, String message) {
        w.metrics().pressure(reason);
        return new ApiException(ErrorCode.UNAVAILABLE, message,
                Map.of("reason", reason.name().toLowerCase(java.util.Locale.ROOT)), RETRY_AFTER);
    }
}
