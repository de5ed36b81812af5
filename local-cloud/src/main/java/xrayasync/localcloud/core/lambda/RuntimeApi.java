package xrayasync.localcloud.core.lambda;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.http.WireProtocol;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * The Lambda Runtime API (2018-06-01) of one execution environment: the runtime polls {@code next}, then posts a
 * {@code response} or an {@code error}; {@code init/error} reports a failed init.
 */
final class RuntimeApi implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime/";
    private static final byte[] ACCEPTED = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);

    /** An invocation on its way to the runtime: what the next call returns, and how it ended. */
    static final class Event {
        final String requestId;
        final byte[] payload;
        final FunctionArn invokedFunctionArn;
        final TraceHeader traceHeader;
        final long timeoutMillis;
        final CompletableFuture<Instant> delivered = new CompletableFuture<>();
        final CompletableFuture<InvocationOutcome> outcome = new CompletableFuture<>();
        /** How long the runtime took to send the response or error body. */
        volatile Duration responseTransfer = Duration.ZERO;
        /** When the runtime asked for its next event after this one: the end of this invocation's overhead. */
        final CompletableFuture<Instant> runtimeReadyAgain = new CompletableFuture<>();

        Event(String requestId, byte[] payload, FunctionArn invokedFunctionArn, TraceHeader traceHeader,
                long timeoutMillis) {
            this.requestId = requestId;
            this.payload = payload;
            this.invokedFunctionArn = invokedFunctionArn;
            this.traceHeader = traceHeader;
            this.timeoutMillis = timeoutMillis;
        }
    }

    private final BlockingQueue<Event> pending = new LinkedBlockingQueue<>();
    private final Map<String, Event> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Instant> initialized = new CompletableFuture<>();
    private final CompletableFuture<InvocationOutcome> initFailure = new CompletableFuture<>();
    private volatile Event lastDelivered;
    private final LoopbackServer server;

    RuntimeApi(String functionName) throws IOException {
        server = LoopbackServer.bind("Runtime API of " + functionName, WireProtocol.RUNTIME_API).serve(this::handle);
    }

    /** The value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.port();
    }

    /** Completes when the runtime first asks for an event: the end of init. */
    CompletableFuture<Instant> initialized() {
        return initialized;
    }

    /** Completes when init fails: the runtime reported an init error, or exited before asking for an event. */
    CompletableFuture<InvocationOutcome> initFailure() {
        return initFailure;
    }

    Event submit(String requestId, byte[] payload, FunctionArn invokedFunctionArn, TraceHeader traceHeader,
            long timeoutMillis) {
        Event event = new Event(requestId, payload, invokedFunctionArn, traceHeader, timeoutMillis);
        inFlight.put(requestId, event);
        pending.add(event);
        return event;
    }

    /** The runtime process is gone: whatever it was doing ends with Runtime.ExitError. */
    void runtimeExited(int exitCode) {
        InvocationOutcome exited = InvocationOutcome.failure(InvocationOutcome.Kind.RUNTIME_EXIT, "Runtime.ExitError",
                "RequestId: runtime exited with error: exit status " + exitCode);
        initFailure.complete(exited);
        List<Event> unfinished = new ArrayList<>(inFlight.values());
        unfinished.forEach(event -> event.outcome.complete(exited));
        inFlight.clear();
        pending.clear();
        Event last = lastDelivered;
        if (last != null) {
            last.runtimeReadyAgain.complete(Instant.now());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Instant bodyStart = Instant.now();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Duration bodyTransfer = Duration.between(bodyStart, Instant.now());
        if (!path.startsWith(PREFIX)) {
            throw unknownRoute(exchange);
        }
        String route = exchange.getRequestMethod() + " " + path.substring(PREFIX.length());
        if (route.equals("GET invocation/next")) {
            next(exchange);
        } else if (route.equals("POST init/error")) {
            initFailure.complete(new InvocationOutcome(InvocationOutcome.Kind.INIT_ERROR, body,
                    errorType(exchange, "Runtime.InitError"), null));
            LoopbackServer.respond(exchange, 202, "application/json", Map.of(), ACCEPTED);
        } else if (route.startsWith("POST invocation/") && (route.endsWith("/response") || route.endsWith("/error"))) {
            String[] parts = path.substring(PREFIX.length()).split("/");
            Event event = inFlight.remove(parts[1]);
            if (event == null) {
                throw new ServiceException(400, "InvalidRequestID", "Invalid request ID " + parts[1]);
            }
            event.responseTransfer = bodyTransfer;
            event.outcome.complete(parts[2].equals("response") ? InvocationOutcome.success(body)
                    : new InvocationOutcome(InvocationOutcome.Kind.FUNCTION_ERROR, body,
                            errorType(exchange, "Unhandled"),
                            exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-XRay-Error-Cause")));
            LoopbackServer.respond(exchange, 202, "application/json", Map.of(), ACCEPTED);
        } else {
            throw unknownRoute(exchange);
        }
    }

    private static ServiceException unknownRoute(HttpExchange exchange) {
        return new ServiceException(404, "UnknownRoute", "The Runtime API has no " + exchange.getRequestMethod()
                + " " + exchange.getRequestURI().getPath() + ".");
    }

    private void next(HttpExchange exchange) throws IOException {
        Instant ready = Instant.now();
        initialized.complete(ready);
        Event previous = lastDelivered;
        if (previous != null) {
            previous.runtimeReadyAgain.complete(ready);
        }
        Event event;
        try {
            event = pending.take();
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            return;
        }
        Instant delivered = Instant.now();
        lastDelivered = event;
        LoopbackServer.respond(exchange, 200, "application/json", Map.of(
                "Lambda-Runtime-Aws-Request-Id", event.requestId,
                "Lambda-Runtime-Deadline-Ms", Long.toString(delivered.toEpochMilli() + event.timeoutMillis),
                "Lambda-Runtime-Invoked-Function-Arn", event.invokedFunctionArn.toString(),
                "Lambda-Runtime-Trace-Id", event.traceHeader.toString()), event.payload);
        event.delivered.complete(delivered);
    }

    private static String errorType(HttpExchange exchange, String fallback) {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return type == null || type.isBlank() ? fallback : type;
    }

    @Override
    public void close() {
        server.close();
    }
}
