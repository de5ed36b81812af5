package xrayasync.localcloud.core.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.xray.TraceHeader;

/** One Lambda execution environment: a function JVM under the runtime interface client, with its own Runtime API. */
final class ExecutionEnvironment implements AutoCloseable {

    // On-demand init may take up to 10 s before Lambda gives up on it.
    private static final long INIT_LIMIT_MILLIS = 10_000;
    private static final long OUTPUT_DRAIN_NANOS = 200_000_000;

    /**
     * One invocation in this environment.
     *
     * @param initStart when this environment's init began, on its first invocation only (else null)
     * @param initEnd when that init ended, likewise
     * @param responseTransfer how long the runtime took to send the response body
     * @param runtimeReadyAgain when the runtime next asked for work, which ends the invocation's overhead
     * @param log what the invocation wrote to its log stream, Lambda's records included
     */
    record Attempt(String requestId, InvocationOutcome outcome, Instant delivered, Instant end, Instant initStart,
            Instant initEnd, long maxMemoryMb, Duration responseTransfer, CompletableFuture<Instant> runtimeReadyAgain,
            String log) {

        double durationMillis() {
            return Duration.between(delivered, end).toNanos() / 1e6;
        }

        Double initDurationMillis() {
            return initStart == null ? null : Duration.between(initStart, initEnd).toNanos() / 1e6;
        }
    }

    private final FunctionDefinition function;
    private final String version;
    private final RuntimeApi api;
    private final Process process;
    private final Instant initStart;
    private final FunctionLogStream log;
    private boolean invokedBefore;
    private OutputPipe stdout;
    private OutputPipe stderr;
    private volatile boolean dead;

    private ExecutionEnvironment(FunctionDefinition function, String version, RuntimeApi api, Process process,
            Instant initStart, FunctionLogStream log) {
        this.function = function;
        this.version = version;
        this.api = api;
        this.process = process;
        this.initStart = initStart;
        this.log = log;
    }

    static ExecutionEnvironment start(FunctionDefinition function, String version, Path taskRoot,
            RuntimeLauncher launcher, Map<String, String> environment, CloudLog log) throws IOException {
        RuntimeApi api = new RuntimeApi(function.name());
        FunctionLogStream stream = log.stream(function, version);
        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.put("AWS_LAMBDA_RUNTIME_API", api.address());
        variables.put("AWS_LAMBDA_FUNCTION_VERSION", version);
        variables.put("AWS_LAMBDA_LOG_STREAM_NAME", stream.name());
        Instant initStart = Instant.now();
        Process process;
        try {
            process = launcher.launch(function, taskRoot, variables);
        } catch (IOException failure) {
            api.close();
            throw failure;
        }
        ExecutionEnvironment started =
                new ExecutionEnvironment(function, version, api, process, initStart, stream);
        String threads = function.name() + " (pid " + process.pid() + ") ";
        started.stdout = OutputPipe.start(process.getInputStream(), threads + "stdout", stream::output);
        started.stderr = OutputPipe.start(process.getErrorStream(), threads + "stderr", stream::output);
        process.onExit().thenAccept(exited -> {
            started.dead = true;
            api.runtimeExited(exited.exitValue());
        });
        return started;
    }

    boolean alive() {
        return !dead && process.isAlive();
    }

    /** Runs one invocation to its end: response, function error, init failure, timeout or runtime exit. */
    Attempt invoke(String requestId, byte[] payload, FunctionArn invokedFunctionArn, TraceHeader traceHeader)
            throws InterruptedException {
        boolean cold = !invokedBefore;
        invokedBefore = true;
        log.beginInvocation();
        log.platform(new PlatformRecord.Start(requestId, version));
        TraceHeader sampled = traceHeader.sampling() == TraceHeader.Sampling.SAMPLED ? traceHeader : null;
        if (!api.initialized().isDone()) {
            InvocationOutcome initFailure = awaitInit(requestId);
            if (initFailure != null) {
                return finish(requestId, initFailure, Instant.now(), cold, CompletableFuture.completedFuture(Instant.now()),
                        sampled);
            }
        }
        RuntimeApi.Event event = api.submit(requestId, payload, invokedFunctionArn, traceHeader,
                function.timeoutSeconds() * 1000L);
        Instant delivered;
        InvocationOutcome outcome;
        try {
            delivered = awaitDelivery(event);
            Duration leftToRun = Duration.between(Instant.now(), delivered.plusSeconds(function.timeoutSeconds()));
            outcome = event.outcome.get(Math.max(1, leftToRun.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException timedOut) {
            delivered = event.delivered.getNow(Instant.now());
            outcome = InvocationOutcome.failure(InvocationOutcome.Kind.TIMEOUT, "Sandbox.Timedout",
                    requestId + " Task timed out after " + String.format(Locale.ROOT, "%.2f", (double) function.timeoutSeconds())
                            + " seconds");
            log.platform(new PlatformRecord.Timeout(requestId, function.timeoutSeconds()));
            kill();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible.getCause());
        }
        Instant end = Instant.now();
        return report(requestId, outcome, delivered, end, cold ? initStart : null,
                cold ? api.initialized().getNow(delivered) : null, event.responseTransfer, event.runtimeReadyAgain,
                sampled);
    }

    /** When the runtime took the event; if the invocation ended before that (the runtime exited), when it ended. */
    private static Instant awaitDelivery(RuntimeApi.Event event) throws InterruptedException, ExecutionException {
        CompletableFuture.anyOf(event.delivered, event.outcome).get();
        return event.delivered.getNow(Instant.now());
    }

    private InvocationOutcome awaitInit(String requestId) throws InterruptedException {
        try {
            CompletableFuture.anyOf(api.initialized(), api.initFailure()).get(INIT_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            kill();
            return InvocationOutcome.failure(InvocationOutcome.Kind.INIT_ERROR, "Runtime.InitTimeout",
                    requestId + " Init did not finish within " + INIT_LIMIT_MILLIS / 1000 + " seconds");
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible.getCause());
        }
        if (api.initialized().isDone()) {
            return null;
        }
        kill();
        return api.initFailure().join();
    }

    private Attempt finish(String requestId, InvocationOutcome outcome, Instant at, boolean cold,
            CompletableFuture<Instant> readyAgain, TraceHeader sampled) {
        return report(requestId, outcome, at, at, cold ? initStart : null, cold ? at : null, Duration.ZERO, readyAgain,
                sampled);
    }

    /**
     * Ends an invocation with Lambda's records, the end and the report (with the trace when it was sampled), once
     * what the function wrote before has reached its stream.
     */
    private Attempt report(String requestId, InvocationOutcome outcome, Instant delivered, Instant end,
            Instant initStarted, Instant initEnded, Duration responseTransfer, CompletableFuture<Instant> readyAgain,
            TraceHeader sampled) {
        if (outcome.kind().endsEnvironment()) {
            dead = true;
        }
        if (outcome.failed()) {
            log.notice("ERROR RequestId: " + requestId + " " + outcome.errorType() + ": " + outcome.payloadText());
        }
        awaitOutputRead();
        long maxMemory = maxMemoryMb();
        Attempt measured = new Attempt(requestId, outcome, delivered, end, initStarted, initEnded, maxMemory,
                responseTransfer, readyAgain, "");
        Double init = measured.initDurationMillis();
        long billed = (long) Math.ceil(measured.durationMillis() + (init == null ? 0 : init));
        log.platform(new PlatformRecord.End(requestId));
        log.platform(new PlatformRecord.Report(requestId, measured.durationMillis(), Math.max(1, billed),
                function.memoryMb(), maxMemory, init, status(outcome.kind()), sampled));
        return new Attempt(requestId, outcome, delivered, end, initStarted, initEnded, maxMemory, responseTransfer,
                readyAgain, log.endInvocation());
    }

    /**
     * Waits (a fifth of a second at most) until the readers of the function's output have written what it gave them,
     * so the lines it wrote during the invocation precede Lambda's report in its stream, as in Lambda.
     */
    private void awaitOutputRead() {
        long deadline = System.nanoTime() + OUTPUT_DRAIN_NANOS;
        try {
            while (System.nanoTime() < deadline && !(stdout.quiet() && stderr.quiet())) {
                Thread.sleep(1);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The report's status as the Telemetry API names it. */
    private static String status(InvocationOutcome.Kind kind) {
        return switch (kind) {
            case SUCCESS -> "success";
            case FUNCTION_ERROR -> "error";
            case TIMEOUT -> "timeout";
            case INIT_ERROR, RUNTIME_EXIT, SERVICE_ERROR -> "failure";
        };
    }

    /** The JVM's peak resident set, as Lambda's Max Memory Used reports it. */
    private long maxMemoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
        return 0;
    }

    private void kill() {
        dead = true;
        process.destroyForcibly();
    }

    @Override
    public void close() {
        kill();
        try {
            // Waits on the JDK's reaper (a platform thread) rather than in Process.waitFor, so a virtual thread parks.
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException stillExiting) {
            // SIGKILL was sent; the kernel ends the process even if its exit is not seen within the wait.
        }
        api.close();
    }
}
