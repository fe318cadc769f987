package io.edgesync.shared.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The meter registry of one EdgeSync service, with the meters every service has: JVM memory, GC,
 * threads, class loading, process CPU, uptime and file descriptors (Micrometer's binders:
 * {@code jvm_*}, {@code process_*}, {@code system_*}). Each service adds its own, its HTTP server's
 * ({@code http_server_requests_seconds}), its Kafka clients' and its connection pool's.
 */
public final class ServiceMeters {
    private ServiceMeters() {
    }

    public static PrometheusMeterRegistry registry() {
        return new Registry();
    }

    /** Closing the registry also detaches the GC listener. */
    private static final class Registry extends PrometheusMeterRegistry {
        private final JvmGcMetrics gc = new JvmGcMetrics();

        Registry() {
            super(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(this);
            gc.bindTo(this);
            new JvmThreadMetrics().bindTo(this);
            new ClassLoaderMetrics().bindTo(this);
            new ProcessorMetrics().bindTo(this);
            new UptimeMetrics().bindTo(this);
            new FileDescriptorMetrics().bindTo(this);
        }

        @Override
        public void close() {
            gc.close();
            super.close();
        }
    }
}
