package io.edgesync.gateway.api;

/** Meter names of the gateway. Tags are bounded: rejection code, back-pressure reason. */
public final class GatewayMetrics {
    public static final String RECORDS_ACCEPTED = "edgesync.gateway.records.accepted";
    public static final String RECORDS_REJECTED = "edgesync.gateway.records.rejected";
    public static final String BATCH_SIZE = "edgesync.gateway.batch.size";
    public static final String PRODUCE_LATENCY = "edgesync.gateway.produce.latency";
    public static final String IN_FLIGHT = "edgesync.gateway.in.flight.records";
    public static final String BACKPRESSURE = "edgesync.gateway.backpressure.rejections";

    private GatewayMetrics() {
    }
}
