package xrayasync.localcloud.core.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * The wire side of Lambda's Invoke API ({@code POST /2015-03-31/functions/{FunctionName}/invocations}) in its
 * REST-JSON protocol: RequestResponse answers 200 with the function's response, Event 202 at once, DryRun 204.
 */
public final class LambdaInvokeApi implements HttpHandler {

    /** Lambda's payload limits: 6 MB for a synchronous invocation, 1 MB for an event (256 KB until October 2025). */
    static final int SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
    static final int ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

    private static final String PREFIX = "/2015-03-31/functions/";
    private static final String SUFFIX = "/invocations";

    private final LambdaService service;

    public LambdaInvokeApi(LambdaService service) {
        this.service = service;
    }

    /** Whether an unsigned request is an Invoke, by its path. */
    public static boolean recognizes(HttpExchange exchange) {
        return exchange.getRequestURI().getRawPath().startsWith(PREFIX);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        byte[] payload = exchange.getRequestBody().readAllBytes();
        if (!exchange.getRequestMethod().equals("POST") || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            throw new ServiceException(404, "UnknownOperationException", "The local Lambda API serves Invoke only.");
        }
        String functionName = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - SUFFIX.length()),
                StandardCharsets.UTF_8);
        String type = header(exchange, "X-Amz-Invocation-Type", "RequestResponse");
        TraceHeader traceHeader = TraceHeader.parse(exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id"));
        InvocationTarget target = service.resolve(functionName, query(exchange).get("Qualifier"));
        int limit = type.equals("Event") ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
        if (payload.length > limit) {
            throw new ServiceException(413, "RequestEntityTooLargeException", "Request must be smaller than " + limit
                    + " bytes for the " + type + " invocation type");
        }
        switch (type) {
            case "Event" -> {
                String requestId = service.enqueue(target, payload, traceHeader);
                LoopbackServer.respond(exchange, 202, null, Map.of("x-amzn-RequestId", requestId), new byte[0]);
            }
            case "DryRun" -> LoopbackServer.respond(exchange, 204, null, Map.of(), new byte[0]);
            case "RequestResponse" -> invokeAndAnswer(exchange, target, payload, traceHeader);
            default -> throw new ServiceException(400, "InvalidParameterValueException", "X-Amz-Invocation-Type is '"
                    + type + "'; it must be RequestResponse, Event or DryRun.");
        }
    }

    private void invokeAndAnswer(HttpExchange exchange, InvocationTarget target, byte[] payload,
            TraceHeader traceHeader) throws IOException {
        LambdaService.SyncResult result;
        try {
            result = service.invoke(target, payload, traceHeader);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ServiceException(500, "ServiceException", "The local cloud is shutting down.");
        }
        Map<String, String> headers = new HashMap<>(Map.of("x-amzn-RequestId", result.requestId(),
                "X-Amz-Executed-Version", result.version()));
        if (result.outcome().failed()) {
            headers.put("X-Amz-Function-Error", "Unhandled");
        }
        LoopbackServer.respond(exchange, 200, "application/json", headers, result.outcome().payload());
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
}
