package io.edgesync.dispatcher.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.edgesync.dispatcher.auth.Principal;
import java.util.Locale;
import java.util.Objects;

/**
 * Who did something the audit log records, and from where: the kind of credential (operator, viewer,
 * device, enrollment_key, enrollment_code, anonymous when none was accepted), its subject, the
 * credential's id where it has one, and the remote address of the request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Actor(String kind, String id, String credentialId, @JsonIgnore String remoteAddress) {
    public static final String ANONYMOUS = "anonymous";

    public Actor {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(id);
    }

    public static Actor of(Principal p, String remoteAddress) {
        String kind = switch (p.kind()) {
            case OPERATOR -> p.role() == null ? "operator" : p.role();
            default -> p.kind().name().toLowerCase(Locale.ROOT);
        };
        if (p.kind() == Principal.Kind.ENROLLMENT) {
            kind = "enrollment_key";
        }
        return new Actor(kind, p.subject(), p.credentialId(), remoteAddress);
    }

    /** A request whose credential was missing or refused. */
    public static Actor anonymous(String remoteAddress) {
        return new Actor(ANONYMOUS, ANONYMOUS, null, remoteAddress);
    }
}
