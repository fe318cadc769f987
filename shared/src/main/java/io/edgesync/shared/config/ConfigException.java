package io.edgesync.shared.config;

/** Invalid configuration: the message names the key and the accepted values. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
