package io.edgesync.dispatcher;

/** Meter names of the dispatcher. No meter is tagged by device. */
public final class DispatcherMetrics {
    public static final String LONG_POLLS_WAITING = "edgesync.dispatcher.long.polls.waiting";
    /** Long-polls refused with 429 because the device already held {@code dispatcher.max-polls-per-device}. */
    public static final String LONG_POLLS_REFUSED = "edgesync.dispatcher.long.polls.refused";
    public static final String COMMANDS_EXPIRED = "edgesync.dispatcher.commands.expired";
    public static final String POLL_QUEUE = "edgesync.dispatcher.poll.queue";

    private DispatcherMetrics() {
    }
}
