package io.edgesync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * POSIX signals to processes a test started itself, by PID (with {@code kill}, as Java sends only
 * SIGTERM and SIGKILL to its own children): SIGKILL, and SIGSTOP/SIGCONT to make a server stop
 * answering without closing its connections.
 */
public final class Signals {
    private Signals() {
    }

    /** SIGKILL to a process and every descendant of it (e.g. the PostgreSQL postmaster and its backends). */
    public static void killTree(long pid) {
        send("KILL", tree(pid));
    }

    /** SIGSTOP to a process and its descendants: they keep their sockets open and answer nothing. */
    public static void stopTree(long pid) {
        send("STOP", tree(pid));
    }

    /** SIGCONT to a process and its descendants. */
    public static void continueTree(long pid) {
        send("CONT", tree(pid));
    }

    private static List<Long> tree(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    private static void send(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " did not finish");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signal + " to " + pids, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + signal);
        }
    }
}
