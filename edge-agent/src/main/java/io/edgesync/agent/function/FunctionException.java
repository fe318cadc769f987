package io.edgesync.agent.function;

/** A function call or load that failed, classified by {@link Kind} (a type, never matched by message). */
public final class FunctionException extends Exception {
    /** Why a function failed; bounded, so it can tag a meter. */
    public enum Kind { INVALID_MODULE, TRAP, TIMEOUT, MEMORY_LIMIT, INVALID_OUTPUT }

    private final Kind kind;

    public FunctionException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
