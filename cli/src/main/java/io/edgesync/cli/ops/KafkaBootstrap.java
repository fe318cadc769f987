package io.edgesync.cli.ops;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.KafkaClients;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Where {@code edgesync dlq} finds Kafka: {@code --kafka}, else {@code kafka.bootstrap-servers} read as
 * the services read it ({@code EDGESYNC_KAFKA_BOOTSTRAP_SERVERS} or its {@code _FILE}), else the
 * deprecated {@code EDGESYNC_KAFKA_BOOTSTRAP} (with a warning on stderr), else the setting's default.
 */
final class KafkaBootstrap {
    static final String DEPRECATED_ENV = "EDGESYNC_KAFKA_BOOTSTRAP";

    private KafkaBootstrap() {
    }

    static String resolve(String option, Map<String, String> env, PrintWriter err) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        boolean current = env.containsKey(KafkaClients.BOOTSTRAP.envName())
                || env.containsKey(ConfigSource.fileEnvName(KafkaClients.BOOTSTRAP));
        String old = env.get(DEPRECATED_ENV);
        if (!current && old != null && !old.isBlank()) {
            err.println("warning: " + DEPRECATED_ENV + " is deprecated and will be removed; set "
                    + KafkaClients.BOOTSTRAP.envName() + " (kafka.bootstrap-servers, as the services do)");
            err.flush();
            return old;
        }
        return ConfigSource.load(null, env).get(KafkaClients.BOOTSTRAP);
    }
}
