package io.edgesync.shared.kafka;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the public contract: its name, serdes and the configuration it is created with.
 * See docs/topics.md.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {
}
