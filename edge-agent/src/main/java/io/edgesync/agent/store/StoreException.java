package io.edgesync.agent.store;

/** The edge store could not complete an operation; nothing of it was applied. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
