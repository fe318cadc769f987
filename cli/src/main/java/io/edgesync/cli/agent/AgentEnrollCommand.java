package io.edgesync.cli.agent;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.Enroller;
import io.edgesync.agent.cloud.DispatcherClient;
import io.edgesync.agent.store.LocalStore;
import io.edgesync.agent.tls.AgentHttp;
import io.edgesync.agent.sync.UploadException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgesync agent enroll}: registers with an enrollment key and stores the token. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = "Registers this device with the dispatcher (POST /api/v1/devices/register, Bearer enrollment "
            + "key) and stores the device id and token in the agent's database. Exit 1 when the dispatcher "
            + "refuses, 2 on configuration errors. The token is never printed.")
final class AgentEnrollCommand implements Callable<Integer> {
    @Mixin
    AgentOptions options;

    @Option(names = "--enrollment-key", description = "Overrides agent.enrollment-key (prefer the environment "
            + "variable EDGESYNC_AGENT_ENROLLMENT_KEY: arguments are visible to other users).")
    String enrollmentKey;

    @Override
    public Integer call() {
        AgentConfig config = options.load();
        String key = enrollmentKey != null ? enrollmentKey : config.enrollmentKey();
        if (key == null || config.dispatcherUrl() == null) {
            System.err.println("error: agent.enrollment-key and agent.dispatcher-url are required to enrol");
            return 2;
        }
        try (LocalStore store = LocalStore.open(config.databaseFile(), config.store(), Clock.systemUTC())) {
            DispatcherClient client = new DispatcherClient(AgentHttp.from(config.tls(), config.requestTimeout()).dispatcher(),
                    config.dispatcherUrl(),
                    () -> null, config.requestTimeout());
            DispatcherClient.Enrollment e = new Enroller(store, client).enrol(key, config.deviceId(),
                    config.deviceType());
            System.out.println("device=" + e.deviceId());
            System.out.println("expires-at=" + (e.expiresAt() == null ? "" : e.expiresAt()));
            return 0;
        } catch (UploadException e) {
            System.err.println("error: enrolment failed: " + e.getMessage());
            return 1;
        }
    }
}
