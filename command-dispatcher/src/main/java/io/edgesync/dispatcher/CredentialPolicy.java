package io.edgesync.dispatcher;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * How long the dispatcher's credentials live (part of {@link DispatcherConfig}).
 *
 * @param operatorTokenTtl lifetime of an operator or viewer token issued without ttlSeconds, and the
 *                         longest one may ask for
 */
public record CredentialPolicy(Duration operatorTokenTtl) {

    public static final Setting<Duration> OPERATOR_TOKEN_TTL = Setting.duration("dispatcher.operator-token-ttl", "90d",
            "Lifetime of an operator or viewer token issued without ttlSeconds, and the longest ttlSeconds may ask "
                    + "for (more is 400). Tokens are listed and revoked by id (/api/v1/operator-tokens).");

    public static final List<Setting<?>> SETTINGS = List.of(OPERATOR_TOKEN_TTL);

    public static CredentialPolicy from(ConfigSource source) {
        return new CredentialPolicy(DispatcherSecurity.positive(source, OPERATOR_TOKEN_TTL));
    }
}
