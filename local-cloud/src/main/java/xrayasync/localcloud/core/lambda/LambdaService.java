package xrayasync.localcloud.lambda;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import xrayasync.localcloud.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.template.FunctionDefinition;
import xrayasync.localcloud.template.FunctionDefinition.AsyncConfig;
import xrayasync.localcloud.template.StackDefinition;
import xrayasync.localcloud.xray.TraceStore;

/** The Lambda service: finds the function a request names, applies the trace rules, runs it now or queues it. */
public final class LambdaService implements AutoCloseable {

    private static final String LATEST = "$LATEST";
    // The version AutoPublishAlias points its alias at in a freshly deployed stack.
    private static final String PUBLISHED_VERSION = "1";

    /**
     * What an Invoke request names.
     *
     * @param invokedArn the ARN as invoked: qualified when the request named a qualifier
     * @param asyncConfig the async settings of the invoked qualifier (Lambda's defaults where none are set)
     */
    public record Target(FunctionDefinition function, String version, String invokedArn, AsyncConfig asyncConfig) {
    }

    /** A synchronous invocation's end. */
    public record SyncResult(String requestId, String version, InvocationOutcome outcome) {
    }

    /** The request names no function, version or alias of the stack. */
    public static final class FunctionNotFoundException extends RuntimeException {
        FunctionNotFoundException(String message) {
            super(message);
        }
    }

    private final StackDefinition stack;
    private final Map<String, Path> taskRoots;
    private final RuntimeLauncher launcher;
    private final Map<String, String> cloudEnvironment;
    private final TraceRules rules;
    private final ServiceSegments segments;
    private final CloudLog log;
    private final AsyncEventQueue asyncQueue;
    private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
    private final int maximumEnvironments;

    /**
     * @param cloudEnvironment variables every function gets from the cloud (endpoints, daemon address, credentials)
     * @param retryBaseDelay the wait before the first async retry, doubled for each further one
     * @param maximumEnvironments how many environments one function version may run at once
     */
    public LambdaService(StackDefinition stack, Map<String, Path> taskRoots, RuntimeLauncher launcher,
            Map<String, String> cloudEnvironment, TraceStore store, TraceRules rules, FailureDestinations destinations,
            CloudLog log, Duration retryBaseDelay, int maximumEnvironments) {
        this.maximumEnvironments = maximumEnvironments;
        this.stack = stack;
        this.taskRoots = taskRoots;
        this.launcher = launcher;
        this.cloudEnvironment = cloudEnvironment;
        this.rules = rules;
        this.segments = new ServiceSegments(store, rules);
        this.log = log;
        this.asyncQueue = new AsyncEventQueue(this::deliver, this::completed, destinations, log, Clock.systemUTC(),
                retryBaseDelay);
    }

    public AsyncEventQueue asyncQueue() {
        return asyncQueue;
    }

    /** Resolves a FunctionName (name, name:qualifier, full or partial ARN) and an optional Qualifier parameter. */
    public Target resolve(String functionName, String qualifierParameter) {
        String name = functionName;
        String qualifier = qualifierParameter;
        String[] parts = functionName.split(":");
        if (functionName.startsWith("arn:") && parts.length >= 7) {
            name = parts[6];
            qualifier = parts.length > 7 ? parts[7] : qualifier;
        } else if (parts.length >= 3 && parts[1].equals("function")) {
            name = parts[2];
            qualifier = parts.length > 3 ? parts[3] : qualifier;
        } else if (parts.length == 2) {
            name = parts[0];
            qualifier = parts[1];
        }
        String wanted = name;
        FunctionDefinition function = stack.functions().stream()
                .filter(candidate -> candidate.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new FunctionNotFoundException("Function not found: arn:aws:lambda:" + stack.region()
                        + ":" + stack.account() + ":function:" + wanted));
        if (qualifier == null || qualifier.equals(LATEST)) {
            return new Target(function, LATEST, qualifier == null ? function.arn() : function.qualifiedArn(LATEST),
                    AsyncConfig.DEFAULT);
        }
        if (qualifier.equals(function.alias())) {
            return new Target(function, PUBLISHED_VERSION, function.qualifiedArn(qualifier), function.asyncConfig());
        }
        if (qualifier.equals(PUBLISHED_VERSION) && function.alias() != null) {
            return new Target(function, PUBLISHED_VERSION, function.qualifiedArn(qualifier), AsyncConfig.DEFAULT);
        }
        throw new FunctionNotFoundException("Function not found: " + function.qualifiedArn(qualifier));
    }

    /** RequestResponse: runs the function and returns its response or error. */
    public SyncResult invoke(Target target, byte[] payload, String traceHeader) throws IOException, InterruptedException {
        String requestId = UUID.randomUUID().toString();
        Instant received = Instant.now();
        TraceDecision trace = rules.decide(traceHeader, target.function().tracing());
        String serviceSegmentId = rules.newSegmentId();
        ExecutionEnvironment.Attempt attempt = run(target, requestId, payload, trace, serviceSegmentId);
        if (trace.sampled()) {
            segments.service(trace, serviceSegmentId, target.function().name(), target.invokedArn(), requestId,
                    received, attempt.end(), 200, List.of());
        }
        return new SyncResult(requestId, target.version(), attempt.outcome());
    }

    /** Event: queues the event and returns its request id at once (Lambda's 202). */
    public String enqueue(Target target, byte[] payload, String traceHeader) {
        String requestId = UUID.randomUUID().toString();
        TraceDecision trace = rules.decide(traceHeader, target.function().tracing());
        asyncQueue.accept(new AsyncEventQueue.QueuedEvent(requestId, target.invokedArn(), target.version(), payload,
                Instant.now(), target.asyncConfig(), trace, rules.newSegmentId()));
        return requestId;
    }

    private AsyncEventQueue.AttemptResult deliver(AsyncEventQueue.QueuedEvent event, int attempt)
            throws IOException, InterruptedException {
        Target target = resolve(event.functionArn(), null);
        Instant start = Instant.now();
        ExecutionEnvironment.Attempt run = run(target, event.requestId(), event.payload(), event.trace(),
                event.serviceSegmentId());
        return new AsyncEventQueue.AttemptResult(start, run.end(), run.outcome());
    }

    private void completed(AsyncEventQueue.QueuedEvent event, List<AsyncEventQueue.AttemptResult> attempts,
            String condition) {
        if (event.trace().sampled()) {
            Instant end = attempts.isEmpty() ? Instant.now() : attempts.getLast().end();
            segments.service(event.trace(), event.serviceSegmentId(), resolve(event.functionArn(), null).function()
                    .name(), event.functionArn(), event.requestId(), event.received(), end, 202, attempts);
        }
    }

    private ExecutionEnvironment.Attempt run(Target target, String requestId, byte[] payload, TraceDecision trace,
            String serviceSegmentId) throws IOException, InterruptedException {
        String functionSegmentId = rules.newSegmentId();
        ExecutionEnvironment.Attempt attempt = pool(target).invoke(requestId, payload, target.invokedArn(),
                trace.headerFor(functionSegmentId));
        if (trace.sampled()) {
            segments.function(trace, functionSegmentId, serviceSegmentId, target.function().name(),
                    target.invokedArn(), attempt);
            log.write(target.function().name(), "XRAY TraceId: " + trace.traceId() + "\tSegmentId: "
                    + functionSegmentId + "\tSampled: true");
        }
        return attempt;
    }

    /** Ends a function's idle environments: its next invocation starts cold. */
    public void retireEnvironments(String logicalId) {
        pools.entrySet().stream().filter(pool -> pool.getKey().startsWith(logicalId + ":"))
                .forEach(pool -> pool.getValue().retireIdle());
    }

    /** The most environments one function version ran at once. */
    public int peakConcurrency(String logicalId) {
        return pools.entrySet().stream().filter(pool -> pool.getKey().startsWith(logicalId + ":"))
                .mapToInt(pool -> pool.getValue().peakConcurrency()).max().orElse(0);
    }

    private FunctionPool pool(Target target) {
        FunctionDefinition function = target.function();
        return pools.computeIfAbsent(function.logicalId() + ":" + target.version(), key -> new FunctionPool(function,
                target.version(), taskRoots.get(function.logicalId()), launcher, environment(function), log,
                maximumEnvironments));
    }

    /** What Lambda sets in the function's environment; reserved variables win over the template's own. */
    private Map<String, String> environment(FunctionDefinition function) {
        Map<String, String> variables = new LinkedHashMap<>(function.environment());
        variables.putAll(cloudEnvironment);
        variables.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        variables.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        variables.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        variables.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/" + UUID.randomUUID());
        variables.put("AWS_LAMBDA_LOG_FORMAT", function.logFormat());
        variables.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        variables.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        variables.put("AWS_REGION", stack.region());
        variables.put("AWS_DEFAULT_REGION", stack.region());
        variables.put("LAMBDA_TASK_ROOT", taskRoots.get(function.logicalId()).toString());
        variables.put("LAMBDA_RUNTIME_DIR", taskRoots.get(function.logicalId()).toString());
        variables.put("_HANDLER", function.handler());
        variables.put("TZ", ":UTC");
        variables.put("LANG", "en_US.UTF-8");
        variables.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        return variables;
    }

    @Override
    public void close() {
        asyncQueue.close();
        pools.values().forEach(FunctionPool::close);
    }
}
