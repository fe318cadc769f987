package io.edgesync.dispatcher.deploy;

/** A deployment as the API shows it: which function version, to which selector, in which order. */
public record DeploymentView(String id, String functionId, String name, String version, String hash,
                             Selector selector, int order, String createdAt, String updatedAt) {
    /** {@code type}: device, type or label; {@code value}: a device id, a device type, or key=value. */
    public record Selector(String type, String value) {
    }
}
