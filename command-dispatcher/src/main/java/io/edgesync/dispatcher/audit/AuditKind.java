package io.edgesync.dispatcher.audit;

import java.util.Set;

/** The kinds of event the audit log records (docs/topics.md, topic audit.events). */
public final class AuditKind {
    public static final String DEVICE_REGISTERED = "device.registered";
    public static final String REGISTRATION_REFUSED = "device.registration_refused";
    public static final String DEVICE_TOKEN_ROTATED = "device.token_rotated";
    public static final String DEVICE_TOKEN_REVOKED = "device.token_revoked";
    public static final String OPERATOR_TOKEN_ISSUED = "operator_token.issued";
    public static final String OPERATOR_TOKEN_REVOKED = "operator_token.revoked";
    public static final String OPERATOR_WRITE = "operator.write";
    public static final String CONFIG_CHANGED = "config.changed";
    public static final String COMMAND_CREATED = "command.created";
    public static final String COMMAND_CANCELLED = "command.cancelled";
    public static final String COMMAND_GROUP_CREATED = "command_group.created";
    public static final String COMMAND_GROUP_CANCELLED = "command_group.cancelled";
    public static final String DEPLOYMENT_DEPLOYED = "deployment.deployed";
    public static final String DEPLOYMENT_REPLACED = "deployment.replaced";
    public static final String DEPLOYMENT_UNDEPLOYED = "deployment.undeployed";
    public static final String ENROLLMENT_CODE_CREATED = "enrollment_code.created";
    public static final String ENROLLMENT_CODE_REVOKED = "enrollment_code.revoked";

    public static final Set<String> ALL = Set.of(DEVICE_REGISTERED, REGISTRATION_REFUSED, DEVICE_TOKEN_ROTATED,
            DEVICE_TOKEN_REVOKED, OPERATOR_TOKEN_ISSUED, OPERATOR_TOKEN_REVOKED, OPERATOR_WRITE, CONFIG_CHANGED,
            COMMAND_CREATED, COMMAND_CANCELLED, COMMAND_GROUP_CREATED, COMMAND_GROUP_CANCELLED, DEPLOYMENT_DEPLOYED,
            DEPLOYMENT_REPLACED, DEPLOYMENT_UNDEPLOYED, ENROLLMENT_CODE_CREATED, ENROLLMENT_CODE_REVOKED);

    private AuditKind() {
    }
}
