package io.edgesync.cli.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/** CPU time used by this JVM and by a child process, so rates can also be compared per CPU-second. */
final class CpuClock {
    private CpuClock() {
    }

    /** CPU time of this process so far, in nanoseconds; -1 where the platform does not tell. */
    static long processNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time of a running process so far, in nanoseconds; -1 if unknown. */
    static long childNanos(ProcessHandle child) {
        Optional<Duration> cpu = child.info().totalCpuDuration();
        return cpu.map(Duration::toNanos).orElse(-1L);
    }
}
