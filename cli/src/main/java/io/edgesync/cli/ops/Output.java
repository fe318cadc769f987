package io.edgesync.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.cli.functions.ApiOptions;
import io.edgesync.cli.functions.OperatorApi;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How the operator commands answer: a table for people, or with {@code --json} the API's JSON for
 * scripts; exit codes as in docs/operations.md (0 done, 1 refused by the service with its error body
 * on stderr, 2 service unreachable or bad usage, 3 {@code status} found a service unhealthy).
 */
public final class Output {
    public static final int UNHEALTHY = 3;

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print the JSON answer (for scripts) instead of a table.")
    boolean json;

    /** Runs an API call and prints its answer as JSON or as the table {@code render} makes of it. */
    int call(ApiOptions api, ApiOptions.Call call, Function<JsonNode, String> render, PrintWriter out,
             PrintWriter err) {
        try {
            OperatorApi.Answer a = call.run(api.api());
            if (!a.ok() || json || a.body().length == 0) {
                return ApiOptions.show(a, out, err);
            }
            out.print(render.apply(Json.mapper().readTree(a.body())));
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("cannot reach the dispatcher at " + api.dispatcher() + ": " + e);
            err.flush();
            return ApiOptions.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiOptions.UNREACHABLE;
        }
    }

    /** Prints a value the command computed itself (not one API answer). */
    void print(JsonNode value, String table, PrintWriter out) {
        out.print(json ? ApiOptions.pretty(Json.toString(value)) + "\n" : table);
        out.flush();
    }
}
