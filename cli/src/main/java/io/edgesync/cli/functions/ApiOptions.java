package io.edgesync.cli.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * Where the dispatcher is and the operator token ({@code --dispatcher}; {@code --token}, the
 * environment, or {@code --token-file}), and how answers are shown: the JSON body on stdout; an error's body on stderr with
 * exit code 1; an unreachable dispatcher exit code 2.
 */
public final class ApiOptions {
    public static final int ERROR = 1;
    public static final int UNREACHABLE = 2;

    @Option(names = "--dispatcher", scope = picocli.CommandLine.ScopeType.INHERIT, defaultValue = "${env:EDGESYNC_DISPATCHER_URL:-http://127.0.0.1:7071}",
            description = "Dispatcher base URL (env EDGESYNC_DISPATCHER_URL; default ${DEFAULT-VALUE}).")
    String dispatcher;

    @Option(names = "--token", scope = picocli.CommandLine.ScopeType.INHERIT, defaultValue = "${env:EDGESYNC_OPERATOR_TOKEN}",
            description = "Operator (or viewer, for reads) token (env EDGESYNC_OPERATOR_TOKEN).")
    String token;

    @Option(names = "--token-file", scope = picocli.CommandLine.ScopeType.INHERIT,
            defaultValue = "${env:EDGESYNC_OPERATOR_TOKEN_FILE}", paramLabel = "FILE",
            description = "File holding the token, used when --token and EDGESYNC_OPERATOR_TOKEN are not set "
                    + "(env EDGESYNC_OPERATOR_TOKEN_FILE).")
    java.nio.file.Path tokenFile;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    public OperatorApi api() {
        String t = token;
        if ((t == null || t.isBlank()) && tokenFile != null) {
            try {
                t = java.nio.file.Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                        "cannot read --token-file " + tokenFile + ": " + e.getMessage());
            }
        }
        if (t == null || t.isBlank()) {
            throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                    "an operator token is required: --token, EDGESYNC_OPERATOR_TOKEN or --token-file");
        }
        return new OperatorApi(dispatcher, t);
    }

    public String dispatcher() {
        return dispatcher;
    }

    /** A call that may fail to reach the dispatcher. */
    public interface Call {
        OperatorApi.Answer run(OperatorApi api) throws IOException, InterruptedException;
    }

    /** Runs the call and prints its answer; returns the exit code. */
    public int print(Call call, PrintWriter out, PrintWriter err) {
        try {
            OperatorApi.Answer a = call.run(api());
            return show(a, out, err);
        } catch (IOException e) {
            err.println("cannot reach the dispatcher at " + dispatcher + ": " + e);
            return UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREACHABLE;
        }
    }

    public static int show(OperatorApi.Answer a, PrintWriter out, PrintWriter err) {
        if (a.ok()) {
            if (a.body().length > 0) {
                out.println(pretty(a.text()));
            }
            out.flush();
            return 0;
        }
        err.println("HTTP " + a.status() + ": " + pretty(a.text()));
        err.flush();
        return ERROR;
    }

    public static String pretty(String json) {
        try {
            JsonNode node = Json.mapper().readTree(json);
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException notJson) {
            return json;
        }
    }
}
