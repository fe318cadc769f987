package io.edgesync.cli;

import io.edgesync.dispatcher.auth.LocalCredentials;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgesync credentials}: creates (once) the dispatcher's signing key, its public key and two secrets. */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = "Creates, once per directory, the dispatcher's ES256 signing key (JWK), its public key for the "
            + "gateway, an operator token and a fleet enrollment key, and prints them as name=value lines; run "
            + "again it prints the same. Use them as dispatcher.signing-key-file, gateway.jwt-public-key-file, "
            + "dispatcher.operator-token and dispatcher.enrollment-key.")
final class CredentialsCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Directory to keep them in (a credentials/ folder).")
    Path dir;

    @Override
    public Integer call() {
        LocalCredentials c = LocalCredentials.loadOrCreate(dir.toAbsolutePath());
        System.out.println("signing-key-file=" + c.signingKeyFile());
        System.out.println("public-key-file=" + c.publicKeyFile());
        System.out.println("operator-token=" + c.operatorToken());
        System.out.println("enrollment-key=" + c.enrollmentKey());
        return 0;
    }
}
