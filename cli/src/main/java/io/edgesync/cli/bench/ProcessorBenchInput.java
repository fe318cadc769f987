package io.edgesync.cli.bench;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's input on {@code telemetry.raw}, as the gateway writes it: readings of many devices,
 * with resends (duplicates) and edge corrections (higher versions) mixed in.
 *
 * @param expectedClean how many records the processor must write to {@code telemetry.clean}
 */
record ProcessorBenchInput(int records, long expectedClean) {

    static ProcessorBenchInput preload(String bootstrap, int records, int devices, double duplicateShare,
                                       double correctionShare, long seed) {
        Random random = new Random(seed);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback check = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        long clean = 0;
        int nextId = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.of(bootstrap).producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")), new StringSerializer(), new ByteArraySerializer())) {
            int sent = 0;
            while (sent < records) {
                double roll = random.nextDouble();
                if (nextId > 0 && roll < duplicateShare) {
                    producer.send(record(reading(random.nextInt(nextId), devices, 1)), check);
                    sent++;
                } else if (roll < duplicateShare + correctionShare) {
                    // a reading corrected at the edge: version 1, then version 2
                    int id = nextId++;
                    producer.send(record(reading(id, devices, 1)), check);
                    producer.send(record(reading(id, devices, 2)), check);
                    sent += 2;
                    clean += 2;
                } else {
                    producer.send(record(reading(nextId++, devices, 1)), check);
                    sent++;
                    clean++;
                }
            }
            records = sent;
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading " + Topics.TELEMETRY_RAW.name() + " lost records: "
                    + failure.get(), failure.get());
        }
        return new ProcessorBenchInput(records, clean);
    }

    private static ProducerRecord<String, byte[]> record(TelemetryRecord r) {
        return new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), r.deviceId(), Json.toBytes(r));
    }

    /** Reading {@code n}: deterministic, so a resend of n is byte-for-byte the same record. */
    private static TelemetryRecord reading(int n, int devices, int version) {
        long ts = 1_767_225_600_000L + n * 1_000L;
        return new TelemetryRecord("r-" + n, "device-" + (n % devices), "sensor-" + (n % 7), ts, "temperature",
                20.0 + (n % 100) / 10.0 + version, "C", null, version, ts + 250, "batch-" + n / 100);
    }
}
