package io.edgesync.agent.store;

/** The store holds {@code agent.store.max-records} unsynced records and the policy is reject-new. */
public final class StoreFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreFullException(String message) {
        super(message, null);
    }
}
