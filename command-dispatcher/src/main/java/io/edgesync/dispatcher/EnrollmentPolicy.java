package io.edgesync.dispatcher;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * What the fleet enrollment key may register, how fast, and how long one-time enrollment codes live
 * (part of {@link DispatcherConfig}).
 *
 * @param keyIdPrefix      empty: any device id; else the only ids the fleet key may register
 * @param keyRatePerMinute most registrations the fleet key may make per minute on one instance
 * @param codeTtl          lifetime of an enrollment code created without ttlSeconds, and the longest
 */
public record EnrollmentPolicy(String keyIdPrefix, int keyRatePerMinute, Duration codeTtl) {

    public static final Setting<String> KEY_ID_PREFIX = Setting.string("dispatcher.enrollment-key-id-prefix", "",
            "When set, the fleet enrollment key registers only device ids that start with it (others are 403 "
                    + "forbidden, and audited); a registration without deviceId gets <prefix><uuid>. Empty: any id.");
    public static final Setting<Integer> KEY_RATE = Setting.integer("dispatcher.enrollment-key-rate-limit", 60, 1,
            1_000_000, "Most registrations the fleet enrollment key may make per minute on one dispatcher instance "
                    + "(refusals count too); one more is 429 rate_limited with Retry-After.");
    public static final Setting<Duration> CODE_TTL = Setting.duration("dispatcher.enrollment-code-ttl", "7d",
            "Lifetime of a one-time enrollment code created without ttlSeconds, and the longest ttlSeconds may ask "
                    + "for (more is 400). Codes: /api/v1/enrollment-codes.");

    public static final List<Setting<?>> SETTINGS = List.of(KEY_ID_PREFIX, KEY_RATE, CODE_TTL);

    public static EnrollmentPolicy from(ConfigSource source) {
        String prefix = source.get(KEY_ID_PREFIX);
        if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new ConfigException("invalid key " + KEY_ID_PREFIX.key() + ": " + prefix
                    + "; accepted: empty, or 1-64 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return new EnrollmentPolicy(prefix, source.get(KEY_RATE), DispatcherSecurity.positive(source, CODE_TTL));
    }
}
