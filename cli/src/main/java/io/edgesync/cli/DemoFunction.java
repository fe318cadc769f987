package io.edgesync.cli;

import io.edgesync.cli.functions.OperatorApi;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The demo's edge function: the committed example {@code examples/functions/tag.wasm} (packaged with the
 * CLI; its source and how to rebuild it are beside it), uploaded to the dispatcher and deployed to the
 * simulated fleet's device type through the operator API, exactly as an operator would, so every
 * demo reading is enriched at the edge with {@code metadata.edgeFn = "tag"}.
 */
final class DemoFunction {
    static final String NAME = "tag";
    static final String VERSION = "1.0.0";
    private static final String RESOURCE = "/io/edgesync/cli/functions/tag.wasm";

    private DemoFunction() {
    }

    /** Uploads and deploys the example (the same bytes again answer 200, so a persistent demo restarts). */
    static void deploy(String dispatcherUrl, String operatorToken, String deviceType) throws Exception {
        OperatorApi api = new OperatorApi(dispatcherUrl, operatorToken);
        OperatorApi.Answer up = api.upload("/api/v1/functions", NAME, VERSION, module());
        if (!up.ok()) {
            throw new IllegalStateException("uploading the demo function answered " + up.status() + " " + up.text());
        }
        String id = Json.mapper().readTree(up.body()).path("id").asText();
        OperatorApi.Answer put = api.put("/api/v1/deployments", Json.toString(Map.of("functionId", id,
                "selector", Map.of("deviceType", deviceType), "order", 10)));
        if (!put.ok()) {
            throw new IllegalStateException("deploying the demo function answered " + put.status() + " " + put.text());
        }
    }

    private static byte[] module() throws IOException {
        try (InputStream in = DemoFunction.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path (built from "
                        + "examples/functions by the cli module)");
            }
            return in.readAllBytes();
        }
    }
}
