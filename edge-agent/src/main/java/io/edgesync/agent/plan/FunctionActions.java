package io.edgesync.agent.plan;

import java.util.List;

/**
 * The function half of a sync plan: deploying and removing edge functions on this device, implemented
 * by {@code io.edgesync.agent.function.EdgeFunctions}. {@link #UNSUPPORTED} fails every function action
 * permanently ("functions not supported"), for runners built without functions.
 */
public interface FunctionActions {
    /** A function installed on this device, as reported in a sync acknowledgement's state (with its order). */
    record Installed(String id, String name, String version, String hash, int order) {
    }

    /** A function action that did not succeed; {@code retryable} false for a bad module. */
    final class Failed extends Exception {
        private final boolean retryable;

        public Failed(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    /**
     * Downloads the module from {@code url}, checks it against {@code hash} and installs it, to run in
     * ascending {@code order} (ties by name); it replaces a function of the same name.
     */
    void deploy(String id, String name, String version, String hash, String url, int order) throws Failed;

    void remove(String id) throws Failed;

    /** The functions installed now (from local state, not memory). */
    List<Installed> installed();

    FunctionActions UNSUPPORTED = new FunctionActions() {
        @Override
        public void deploy(String id, String name, String version, String hash, String url, int order)
                throws Failed {
            throw new Failed("functions not supported by this agent (deploy " + name + " " + version + ")", false,
                    null);
        }

        @Override
        public void remove(String id) throws Failed {
            throw new Failed("functions not supported by this agent (remove " + id + ")", false, null);
        }

        @Override
        public List<Installed> installed() {
            return List.of();
        }
    };
}
