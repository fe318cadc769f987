package io.edgesync.dispatcher.command;

import java.util.Locale;

/** pending → delivered → executed | failed; pending or delivered → expired | cancelled. */
public enum CommandStatus {
    PENDING, DELIVERED, EXECUTED, FAILED, EXPIRED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean open() {
        return this == PENDING || this == DELIVERED;
    }

    /** @return null when the text names no status */
    public static CommandStatus parse(String text) {
        for (CommandStatus s : values()) {
            if (s.wire().equals(text)) {
                return s;
            }
        }
        return null;
    }
}
