package xrayasync.localcloud.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import xrayasync.localcloud.http.LoopbackServer;

/**
 * Lambda's Invoke API ({@code POST /2015-03-31/functions/{FunctionName}/invocations}) in its REST-JSON protocol:
 * RequestResponse answers 200 with the function's response, Event 202 at once, DryRun 204.
 */
public final class LambdaInvokeApi implements AutoCloseable {

    /** Lambda's payload limits: 6 MB for a synchronous invocation, 1 MB for an event (256 KB until October 2025). */
    static final int SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
    static final int ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

    private static final String PREFIX = "/2015-03-31/functions/";
    private static final String SUFFIX = "/invocations";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaService service;
    private final LoopbackServer server;

    public LambdaInvokeApi(LambdaService service) throws IOException {
        this.service = service;
        this.server = new LoopbackServer("Lambda API", this::handle);
    }

    public URI endpoint() {
        return server.endpoint();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        byte[] payload = exchange.getRequestBody().readAllBytes();
        if (!exchange.getRequestMethod().equals("POST") || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            error(exchange, 404, "UnknownOperationException", "The local Lambda API serves Invoke only.");
            return;
        }
        String functionName = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - SUFFIX.length()),
                StandardCharsets.UTF_8);
        String type = header(exchange, "X-Amz-Invocation-Type", "RequestResponse");
        String traceHeader = exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id");
        LambdaService.Target target;
        try {
            target = service.resolve(functionName, query(exchange).get("Qualifier"));
        } catch (LambdaService.FunctionNotFoundException missing) {
            error(exchange, 404, "ResourceNotFoundException", missing.getMessage());
            return;
        }
        int limit = type.equals("Event") ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
        if (payload.length > limit) {
            error(exchange, 413, "RequestEntityTooLargeException", "Request must be smaller than " + limit
                    + " bytes for the " + type + " invocation type");
            return;
        }
        switch (type) {
            case "Event" -> {
                String requestId = service.enqueue(target, payload, traceHeader);
                LoopbackServer.respond(exchange, 202, null, Map.of("x-amzn-RequestId", requestId), new byte[0]);
            }
            case "DryRun" -> LoopbackServer.respond(exchange, 204, null, Map.of(), new byte[0]);
            case "RequestResponse" -> {
                LambdaService.SyncResult result;
                try {
                    result = service.invoke(target, payload, traceHeader);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    error(exchange, 500, "ServiceException", "The local cloud is shutting down.");
                    return;
                }
                Map<String, String> headers = new HashMap<>(Map.of("x-amzn-RequestId", result.requestId(),
                        "X-Amz-Executed-Version", result.version()));
                if (result.outcome().failed()) {
                    headers.put("X-Amz-Function-Error", "Unhandled");
                }
                LoopbackServer.respond(exchange, 200, "application/json", headers, result.outcome().payload());
            }
            default -> error(exchange, 400, "InvalidParameterValueException", "X-Amz-Invocation-Type is '" + type
                    + "'; it must be RequestResponse, Event or DryRun.");
        }
    }

    private static String header(HttpExchange exchange, String name, String fallback) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> parameters = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return parameters;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        LoopbackServer.respond(exchange, status, "application/json", Map.of("x-amzn-ErrorType", type),
                JSON.writeValueAsBytes(Map.of("Type", "User", "message", message)));
    }

    @Override
    public void close() {
        server.close();
    }
}
