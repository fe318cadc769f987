package io.edgesync.sink;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The sink alone in a JVM, for tests that SIGKILL it. Arguments: bootstrap, JDBC URL, group id,
 * batch rows,
 * session timeout. Prints {@code SINK_READY} once consuming; runs until killed.
 */
public final class SinkProcess {
    private SinkProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        CockroachSink.start(Fixtures.config(args[0], args[1], args[2], Map.of("sink.batch-rows", args[3],
                "sink.session-timeout", args[4])));
        System.out.println("SINK_READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
