package xrayasync.localcloud.core.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    /**
     * One invocation in this environment.
     *
     * @param initStart when this environment's init began, on its first invocation only (else null)
     * @param initEnd when that init ended, likewise
     * @param responseTransfer how long the runtime took to send the response body
     * @param runtimeReadyAgain when the runtime next asked for work, which ends the invocation's overhead
     */
    record Attempt(String requestId, InvocationOutcome outcome, Instant delivered, Instant end, Instant initStart,
            Instant initEnd, long maxMemoryMb, Duration responseTransfer, CompletableFuture<Instant> runtimeReadyAgain) {

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
    private final CloudLog log;
    private boolean invokedBefore;
    private volatile boolean dead;

    private ExecutionEnvironment(FunctionDefinition function, String version, RuntimeApi api, Process process,
            Instant initStart, CloudLog log) {
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
        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.put("AWS_LAMBDA_RUNTIME_API", api.address());
        variables.put("AWS_LAMBDA_FUNCTION_VERSION", version);
        Instant initStart = Instant.now();
        Process process;
        try {
            process = launcher.launch(function, taskRoot, variables);
        } catch (IOException failure) {
            api.close();
            throw failure;
        }
        ExecutionEnvironment started =
                new ExecutionEnvironment(function, version, api, process, initStart, log);
        started.pipe(process.getInputStream(), "stdout");
        started.pipe(process.getErrorStream(), "stderr");
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
        log.write(function.name(), "START RequestId: " + requestId + " Version: " + version);
        if (!api.initialized().isDone()) {
            InvocationOutcome initFailure = awaitInit(requestId);
            if (initFailure != null) {
                return finish(requestId, initFailure, Instant.now(), cold, CompletableFuture.completedFuture(Instant.now()));
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
            log.write(function.name(), Instant.now() + " " + outcome.payloadText());
            kill();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible.getCause());
        }
        Attempt attempt = new Attempt(requestId, outcome, delivered, Instant.now(), cold ? initStart : null,
                cold ? api.initialized().getNow(delivered) : null, maxMemoryMb(), event.responseTransfer,
                event.runtimeReadyAgain);
        return report(attempt);
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
            CompletableFuture<Instant> readyAgain) {
        return report(new Attempt(requestId, outcome, at, at, cold ? initStart : null, cold ? at : null, maxMemoryMb(),
                Duration.ZERO, readyAgain));
    }

    private Attempt report(Attempt attempt) {
        if (attempt.outcome().kind().endsEnvironment()) {
            dead = true;
        }
        if (attempt.outcome().failed()) {
            log.write(function.name(), "ERROR RequestId: " + attempt.requestId() + " " + attempt.outcome().errorType()
                    + ": " + attempt.outcome().payloadText());
        }
        Double init = attempt.initDurationMillis();
        long billed = (long) Math.ceil(attempt.durationMillis() + (init == null ? 0 : init));
        log.write(function.name(), "END RequestId: " + attempt.requestId());
        log.write(function.name(), String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
                        + "Memory Size: %d MB\tMax Memory Used: %d MB%s", attempt.requestId(), attempt.durationMillis(),
                Math.max(1, billed), function.memoryMb(), attempt.maxMemoryMb(),
                init == null ? "" : String.format(Locale.ROOT, "\tInit Duration: %.2f ms", init)));
        return attempt;
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

    /**
     * Copies one of the runtime's output streams into the log. A platform thread, never a virtual one: a read of a
     * process pipe blocks its carrier for as long as the function is quiet, and a few such readers held every
     * carrier of the virtual-thread scheduler and froze every HTTP exchange of the cloud.
     */
    private void pipe(InputStream output, String stream) {
        Thread.ofPlatform().daemon().name(function.name() + " " + stream + " (pid " + process.pid() + ")").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.write(function.name(), line);
                }
            } catch (IOException ended) {
                // The runtime process is gone (killed or retired); its output ends here.
            }
        });
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
