package xrayasync.localcloud.core.lambda;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.lambda.TraceRules.TraceDecision;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.FunctionDefinition.AsyncConfig;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.TraceStore;
import xrayasync.localcloud.core.xray.XRayIds;

/** The Lambda service: finds the function a request names, applies the trace rules, runs it now or queues it. */
public final class LambdaService implements AutoCloseable {

    // No public source shows the condition Lambda writes for a stopped event; the exception's name says what happened.
    private static final String RECURSION_CONDITION = "RecursiveInvocationException";

    /**
     * What the service runs and how.
     *
     * @param cloudEnvironment variables every function gets from the cloud (endpoints, daemon address, credentials)
     * @param maximumEnvironments how many environments one function version may run at once
     * @param retryBaseDelay the wait before the first async retry, doubled for each further one
     */
    public record Settings(String region, String account, RuntimeLauncher launcher,
            Map<String, String> cloudEnvironment, int maximumEnvironments, Duration retryBaseDelay) {

        public Settings {
            cloudEnvironment = Map.copyOf(cloudEnvironment);
        }
    }

    /**
     * A synchronous invocation's end.
     *
     * @param log what the invocation wrote to its log stream, from Lambda's start record to its report
     */
    public record SyncResult(String requestId, String version, InvocationOutcome outcome, String log) {
    }

    private final Settings settings;
    private final XRayIds ids;
    private final TraceRules rules;
    private final ServiceSegments segments;
    private final CloudLog log;
    private final AsyncEventQueue asyncQueue;
    private final Map<String, LambdaFunction> functions = new ConcurrentHashMap<>();
    private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
    private final Map<String, Permission> permissions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param acceptedEvents where async events are kept from their 202 until they end */
    public LambdaService(Settings settings, TraceStore store, XRayIds ids, FailureDestinations destinations,
            CloudLog log, Records acceptedEvents) {
        this.settings = settings;
        this.ids = ids;
        this.rules = TraceRules.lambdaDefaults(ids);
        this.segments = new ServiceSegments(store, ids);
        this.log = log;
        this.asyncQueue = new AsyncEventQueue(this::deliver, this::completed, destinations, log, Clock.systemUTC(),
                settings.retryBaseDelay(), acceptedEvents);
    }

    public AsyncEventQueue asyncQueue() {
        return asyncQueue;
    }

    /**
     * Goes on with the async events an earlier run accepted and did not end, once the functions they name exist
     * again; an event whose function is gone is dropped with a line that says so.
     */
    public int resumeAcceptedEvents() {
        return asyncQueue.resume(invokedArn -> {
            try {
                return Optional.of(resolve(invokedArn, null));
            } catch (ServiceException gone) {
                return Optional.empty();
            }
        });
    }

    /**
     * Creates a function, or updates it when its settings or code changed: $LATEST takes them (its environments end
     * once their invocations do), and with an AutoPublishAlias a new version is published and the alias points at it.
     *
     * @return the function as it now is
     */
    public LambdaFunction deploy(FunctionDefinition definition, TaskRoot code, LambdaFunction.Owner owner) {
        Instant now = Instant.now();
        LambdaFunction.Version latest = new LambdaFunction.Version(LambdaFunction.LATEST, definition, code, now);
        LambdaFunction function = functions.compute(definition.name(), (name, existing) -> {
            if (existing == null) {
                LambdaFunction created = new LambdaFunction(latest, owner);
                if (definition.alias() != null) {
                    created.publish(now);
                }
                return created;
            }
            if (!existing.latest().definition().equals(definition)) {
                existing.replaceLatest(latest);
                drain(name + ":" + LambdaFunction.LATEST);
                if (definition.alias() != null) {
                    existing.publish(now);
                }
            }
            return existing;
        });
        return function;
    }

    /**
     * A statement of a function's resource-based policy (AddPermission, AWS::Lambda::Permission): who may invoke
     * which qualifier of it, from which source.
     *
     * @param qualifier the version or alias the statement is on, or null for the unqualified function
     * @param sourceArn the only source it allows, or null for any
     */
    public record Permission(String statementId, String functionName, String qualifier, String principal,
            String sourceArn) {
    }

    /** Adds (or replaces) a statement of a function's resource-based policy. */
    public void permit(Permission permission) {
        permissions.put(permission.functionName() + "/" + permission.statementId(), permission);
    }

    /** @return whether there was such a statement */
    public boolean revoke(String functionName, String statementId) {
        return permissions.remove(functionName + "/" + statementId) != null;
    }

    /** The statements on one qualifier of a function (null: the unqualified function), in statement id order. */
    public List<Permission> permissions(String functionName, String qualifier) {
        return permissions.values().stream().filter(permission -> permission.functionName().equals(functionName)
                && Objects.equals(permission.qualifier(), qualifier))
                .sorted((left, right) -> left.statementId().compareTo(right.statementId())).toList();
    }

    /**
     * Whether a service principal may invoke the function or alias a FunctionName names, from the given source: a
     * statement on that qualifier for that principal whose SourceArn, if it has one, is the source (the Lambda
     * developer guide, "Granting function access to AWS services").
     */
    private boolean permits(String functionName, String principal, String sourceArn) {
        FunctionArn named = FunctionArn.fromFunctionName(functionName, settings.region(), settings.account());
        return permissions.values().stream().anyMatch(permission -> permission.functionName()
                .equals(named.functionName()) && Objects.equals(permission.qualifier(), named.qualifier())
                && permission.principal().equals(principal)
                && (permission.sourceArn() == null || permission.sourceArn().equals(sourceArn)));
    }

    /**
     * The function or alias a service invokes for one of its sources (SNS for a topic, EventBridge for a rule):
     * resolved as Invoke resolves it, and allowed only when its resource-based policy lets that principal invoke it
     * from that source.
     *
     * @throws ServiceException 404 when there is no such function, 403 when its policy does not allow the source
     */
    public InvocationTarget resolveForService(String functionName, String principal, String sourceArn) {
        InvocationTarget target = resolve(functionName, null);
        if (!permits(functionName, principal, sourceArn)) {
            throw new ServiceException(403, "AccessDeniedException", "the function's resource-based policy does not"
                    + " allow " + principal + " to invoke it from " + sourceArn + ". Add an AWS::Lambda::Permission"
                    + " (lambda:InvokeFunction, Principal " + principal + ", SourceArn " + sourceArn + ") on that"
                    + " function or alias.");
        }
        return target;
    }

    /** Removes a function: its environments end once their invocations do, and it is not found afterwards. */
    public void remove(String functionName) {
        functions.remove(functionName);
        permissions.values().removeIf(permission -> permission.functionName().equals(functionName));
        pools.keySet().stream().filter(key -> key.startsWith(functionName + ":")).toList().forEach(this::drain);
    }

    private void drain(String poolKey) {
        FunctionPool pool = pools.remove(poolKey);
        if (pool != null) {
            pool.drain();
        }
    }

    /** The functions held, in name order. */
    public List<LambdaFunction> functions() {
        return functions.values().stream().sorted((left, right) -> left.name().compareTo(right.name())).toList();
    }

    /** A function by its name, or Lambda's ResourceNotFoundException. */
    public LambdaFunction function(String functionName) {
        FunctionArn named = FunctionArn.fromFunctionName(functionName, settings.region(), settings.account());
        LambdaFunction function = functions.get(named.functionName());
        if (function == null) {
            throw notFound(named.unqualified());
        }
        return function;
    }

    /** Resolves a FunctionName (name, name:qualifier, full or partial ARN) and an optional Qualifier parameter. */
    public InvocationTarget resolve(String functionName, String qualifierParameter) {
        FunctionArn named = FunctionArn.fromFunctionName(functionName, settings.region(), settings.account());
        String qualifier = named.qualifier() != null ? named.qualifier() : qualifierParameter;
        LambdaFunction function = function(functionName);
        FunctionDefinition latest = function.latest().definition();
        if (qualifier == null || qualifier.equals(LambdaFunction.LATEST)) {
            return new InvocationTarget(latest, LambdaFunction.LATEST, latest.arn().qualified(qualifier),
                    AsyncConfig.DEFAULT);
        }
        if (qualifier.equals(function.alias()) && function.aliasVersion().isPresent()) {
            LambdaFunction.Version version = function.aliasVersion().get();
            return new InvocationTarget(version.definition(), version.number(), latest.arn().qualified(qualifier),
                    latest.asyncConfig());
        }
        return function.version(qualifier)
                .map(version -> new InvocationTarget(version.definition(), version.number(),
                        latest.arn().qualified(qualifier), AsyncConfig.DEFAULT))
                .orElseThrow(() -> notFound(latest.arn().qualified(qualifier)));
    }

    private static ServiceException notFound(FunctionArn arn) {
        return new ServiceException(404, "ResourceNotFoundException", "Function not found: " + arn);
    }

    /** RequestResponse: runs the function and returns its response or error. */
    public SyncResult invoke(InvocationTarget target, byte[] payload, TraceHeader traceHeader)
            throws IOException, InterruptedException {
        String requestId = UUID.randomUUID().toString();
        Instant received = Instant.now();
        RecursionDetection.Verdict recursion = RecursionDetection.count(traceHeader, target.function().arn());
        if (recursion.stopped()) {
            log.write(target.function().name(), stopMessage(requestId, target));
            throw new ServiceException(400, "RecursiveInvocationException", stopMessage(requestId, target));
        }
        TraceDecision trace = rules.decide(recursion.header(), target.function().tracing());
        String serviceSegmentId = ids.newSegmentId();
        ExecutionEnvironment.Attempt attempt = run(target, requestId, payload, trace, serviceSegmentId);
        if (trace.sampled()) {
            segments.synchronous(trace, serviceSegmentId, target.function().name(), target.invokedArn(), requestId,
                    received, attempt.end(), attempt.outcome().failed());
        }
        return new SyncResult(requestId, target.version(), attempt.outcome(), attempt.log());
    }

    /**
     * A poller's synchronous invoke of one batch (an SQS event source mapping's): in a new trace, linked to the
     * producers whose trace headers the batch's messages carried.
     */
    public SyncResult invokeBatch(InvocationTarget target, byte[] payload, List<TraceHeader> producers)
            throws IOException, InterruptedException {
        String requestId = UUID.randomUUID().toString();
        Instant received = Instant.now();
        TraceDecision trace = rules.decideLinked(producers, target.function().tracing());
        String serviceSegmentId = ids.newSegmentId();
        ExecutionEnvironment.Attempt attempt = run(target, requestId, payload, trace, serviceSegmentId);
        if (trace.sampled()) {
            segments.linked(trace, serviceSegmentId, target.function().name(), target.invokedArn(), requestId,
                    received, attempt.end(), attempt.outcome().failed(), producers);
        }
        return new SyncResult(requestId, target.version(), attempt.outcome(), attempt.log());
    }

    /** Event: queues the event and returns its request id at once (Lambda's 202). */
    public String enqueue(InvocationTarget target, byte[] payload, TraceHeader traceHeader) {
        Instant received = Instant.now();
        String requestId = UUID.randomUUID().toString();
        RecursionDetection.Verdict recursion = RecursionDetection.count(traceHeader, target.function().arn());
        TraceDecision trace = rules.decide(recursion.header(), target.function().tracing());
        AsyncEventQueue.QueuedEvent event = new AsyncEventQueue.QueuedEvent(requestId, target, payload, received,
                Instant.now(), trace, ids.newSegmentId());
        if (recursion.stopped()) {
            log.write(target.function().name(), stopMessage(requestId, target));
            asyncQueue.stop(event, RECURSION_CONDITION);
        } else {
            asyncQueue.accept(event);
        }
        return requestId;
    }

    private static String stopMessage(String requestId, InvocationTarget target) {
        return "Lambda stopped request " + requestId + " to " + target.invokedArn() + ": this chain of requests has"
                + " invoked the function " + RecursionDetection.MAXIMUM_INVOCATIONS + " times (a recursive loop,"
                + " counted in the trace header's Lineage). Break the loop, or set the function's RecursiveLoop to"
                + " Allow if it is intended.";
    }

    private AsyncEventQueue.AttemptResult deliver(AsyncEventQueue.QueuedEvent event, int attempt)
            throws IOException, InterruptedException {
        Instant start = Instant.now();
        ExecutionEnvironment.Attempt run = run(event.target(), event.requestId(), event.payload(), event.trace(),
                event.serviceSegmentId());
        return new AsyncEventQueue.AttemptResult(start, run.end(), run.outcome());
    }

    private void completed(AsyncEventQueue.QueuedEvent event, List<AsyncEventQueue.AttemptResult> attempts,
            String condition) {
        if (event.trace().sampled()) {
            segments.asynchronous(event.trace(), event.serviceSegmentId(), event.target().function().name(),
                    event.target().invokedArn(), event.requestId(), event.received(), event.accepted(), attempts);
        }
    }

    private ExecutionEnvironment.Attempt run(InvocationTarget target, String requestId, byte[] payload,
            TraceDecision trace, String serviceSegmentId) throws IOException, InterruptedException {
        String functionSegmentId = ids.newSegmentId();
        ExecutionEnvironment.Attempt attempt = pool(target).invoke(requestId, payload, target.invokedArn(),
                trace.headerFor(functionSegmentId));
        if (trace.sampled()) {
            segments.function(trace, functionSegmentId, serviceSegmentId, target.function().name(), attempt);
        }
        return attempt;
    }

    /** Ends a function's idle environments: its next invocation starts cold. */
    public void retireEnvironments(String functionName) {
        pools.entrySet().stream().filter(pool -> pool.getKey().startsWith(functionName + ":"))
                .forEach(pool -> pool.getValue().retireIdle());
    }

    /** The most environments one version of a function ran at once. */
    public int peakConcurrency(String functionName) {
        return pools.entrySet().stream().filter(pool -> pool.getKey().startsWith(functionName + ":"))
                .mapToInt(pool -> pool.getValue().peakConcurrency()).max().orElse(0);
    }

    private FunctionPool pool(InvocationTarget target) throws IOException {
        FunctionDefinition function = target.function();
        TaskRoot code = function(function.name()).version(target.version()).orElseThrow(() -> notFound(
                target.invokedArn())).code();
        FunctionPool pool = pools.computeIfAbsent(function.name() + ":" + target.version(), key -> new FunctionPool(
                function, target.version(), code.directory(), settings.launcher(), environment(function,
                        code.directory()), log, settings.maximumEnvironments()));
        // Checked after the pool is in the map: close() either sees this pool, or this sees close() under way.
        if (closed) {
            pool.close();
            throw new IOException("The local cloud is shutting down; no execution environment can start.");
        }
        return pool;
    }

    /** What Lambda sets in the function's environment; reserved variables win over the template's own. */
    private Map<String, String> environment(FunctionDefinition function, Path taskRoot) {
        Map<String, String> variables = new LinkedHashMap<>(function.environment());
        variables.putAll(settings.cloudEnvironment());
        variables.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        variables.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        variables.put("AWS_LAMBDA_LOG_GROUP_NAME", function.logGroup());
        variables.put("AWS_LAMBDA_LOG_FORMAT", function.logFormat());
        variables.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        variables.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        variables.put("AWS_REGION", settings.region());
        variables.put("AWS_DEFAULT_REGION", settings.region());
        variables.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        variables.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        variables.put("_HANDLER", function.handler());
        variables.put("TZ", ":UTC");
        variables.put("LANG", "en_US.UTF-8");
        variables.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        return variables;
    }

    /** Stops the queue and every environment; a pool created while this runs is closed with the others. */
    @Override
    public void close() {
        closed = true;
        asyncQueue.close();
        pools.values().forEach(FunctionPool::close);
    }
}
