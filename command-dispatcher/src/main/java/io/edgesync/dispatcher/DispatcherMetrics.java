package io.edgesync.dispatcher;

/** Meter names of the dispatcher. No meter is tagged by device. */
public final class DispatcherMetrics {
    public static final String LONG_POLLS_WAITING = "edgesync.dispatcher.long.polls.waiting";
    public static final String COMMANDS_EXPIRED = "edgesync.dispatcher.commands.expired";
    public static final String POLL_QUEUE = "edgesync.dispatcher.poll.queue";

    private DispatcherMetrics() {
    }
}
