package xrayasync.localcloud.core;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xrayasync.localcloud.core.cloudformation.CloudFormationApi;
import xrayasync.localcloud.core.cloudformation.CloudFormationService;
import xrayasync.localcloud.core.cloudformation.providers.BucketPolicyProvider;
import xrayasync.localcloud.core.cloudformation.providers.BucketProvider;
import xrayasync.localcloud.core.cloudformation.providers.EventBusProvider;
import xrayasync.localcloud.core.cloudformation.providers.EventSourceMappingProvider;
import xrayasync.localcloud.core.cloudformation.providers.FunctionPartProvider;
import xrayasync.localcloud.core.cloudformation.providers.FunctionProvider;
import xrayasync.localcloud.core.cloudformation.providers.FunctionVersionProvider;
import xrayasync.localcloud.core.cloudformation.providers.LogGroupProvider;
import xrayasync.localcloud.core.cloudformation.providers.PermissionProvider;
import xrayasync.localcloud.core.cloudformation.providers.QueueProvider;
import xrayasync.localcloud.core.cloudformation.providers.RuleProvider;
import xrayasync.localcloud.core.cloudformation.providers.SubscriptionProvider;
import xrayasync.localcloud.core.cloudformation.providers.TopicProvider;
import xrayasync.localcloud.core.cloudformation.providers.XRayResourcePolicyProvider;
import xrayasync.localcloud.core.console.TraceConsole;
import xrayasync.localcloud.core.events.EventsApi;
import xrayasync.localcloud.core.events.EventsService;
import xrayasync.localcloud.core.http.EdgeRouter;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.WireProtocol;
import xrayasync.localcloud.core.lambda.CloudLog;
import xrayasync.localcloud.core.lambda.EventSourceMappings;
import xrayasync.localcloud.core.lambda.FailureDestinations;
import xrayasync.localcloud.core.lambda.LambdaApi;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.lambda.RuntimeLauncher;
import xrayasync.localcloud.core.lambda.TaskRoot;
import xrayasync.localcloud.core.logs.LogsApi;
import xrayasync.localcloud.core.logs.LogsService;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.s3.S3Api;
import xrayasync.localcloud.core.s3.S3Service;
import xrayasync.localcloud.core.sns.SnsApi;
import xrayasync.localcloud.core.sns.SnsService;
import xrayasync.localcloud.core.sqs.SqsApi;
import xrayasync.localcloud.core.sqs.SqsService;
import xrayasync.localcloud.core.store.Store;
import xrayasync.localcloud.core.store.WorkFolderLock;
import xrayasync.localcloud.core.sts.StsApi;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;
import xrayasync.localcloud.core.xray.ResourcePolicies;
import xrayasync.localcloud.core.xray.TraceStore;
import xrayasync.localcloud.core.xray.XRayApi;
import xrayasync.localcloud.core.xray.XRayDaemon;
import xrayasync.localcloud.core.xray.XRayIds;

/**
 * The offline stand-in for the AWS services a SAM stack uses, on loopback: Lambda, S3, SQS, SNS, EventBridge,
 * X-Ray, CloudWatch Logs and CloudFormation's view of the stack.
 */
public final class LocalCloud implements AutoCloseable {

    /** Credentials the functions and clients sign with; nothing checks them. */
    public static final String ACCESS_KEY = "AKIDLOCALCLOUD";
    public static final String SECRET_KEY = "local-cloud-secret";

    /**
     * How to start a local cloud.
     *
     * @param stackName the name the template is deployed under, which CloudFormation prefixes resource names with
     * @param functionTemplates functions to take, by logical id, from another template instead (one function of a
     *     stack migrated to another build, say)
     * @param port the edge port every API and the console answer on; 0 for any free port
     * @param workDirectory where the store (queues and their messages among what it keeps), task roots and the
     *     runtime's native library are kept
     * @param retryBaseDelay the wait before the first async retry (Lambda: one minute), doubled for each further one
     * @param maximumEnvironments how many execution environments one function version may run at once; further
     *     invocations wait for a free one (each environment is a JVM of 150 MB or more)
     * @param log where function output and platform lines are printed as they come, or null to keep them only
     */
    public record Settings(Path template, Map<String, Path> functionTemplates, String stackName,
            Map<String, String> parameterOverrides, List<String> buckets, Path workDirectory, Duration retryBaseDelay,
            int maximumEnvironments, int port, PrintStream log) {

        public static final String REGION = "us-east-1";
        public static final String ACCOUNT = "123456789012";

        /** The same settings, keeping function output without printing it. */
        public Settings withoutPrinting() {
            return new Settings(template, functionTemplates, stackName, parameterOverrides, buckets, workDirectory,
                    retryBaseDelay, maximumEnvironments, port, null);
        }
    }

    private final StackDefinition stack;
    private final WorkFolderLock workLock;
    private final Store store;
    private final LogsService logs;
    private final CloudLog log;
    private final TraceStore traces;
    private final SqsService sqs;
    private final FailureDestinations failureDestinations;
    private final XRayDaemon daemon;
    private final S3Service s3;
    private final LambdaService lambda;
    private final EventSourceMappings eventSources;
    private final SnsService sns;
    private final EventsService events;
    private final CloudFormationService cloudFormation;
    private final LoopbackServer edge;

    private LocalCloud(Settings settings) throws IOException {
        // Every check that can refuse the start runs before anything is written: the port, the template, the lock.
        if (settings.port() < 0 || settings.port() > 65535) {
            throw new IllegalArgumentException("Port " + settings.port() + " is not a TCP port: choose one from 1 to"
                    + " 65535, or 0 for any free one.");
        }
        // Function JVMs run in their task roots, so every path handed to them must be absolute.
        Path work = settings.workDirectory().toAbsolutePath().normalize();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            // The edge is bound first: the stack's queue URLs are on it, so its port must be known to resolve them.
            edge = opened(opened, LoopbackServer.bind("The local cloud", WireProtocol.REST_JSON, settings.port()));
            stack = withFunctionTemplates(resolve(settings.template(), settings, edge.endpoint()), settings,
                    edge.endpoint());
            workLock = opened(opened, WorkFolderLock.take(work));
            store = opened(opened, Store.open(work));
            logs = new LogsService(store, Clock.systemUTC());
            traces = new TraceStore(store);
            log = new CloudLog(settings.log(), logs, Clock.systemUTC());
            sqs = new SqsService(store, Clock.systemUTC(), Settings.REGION, Settings.ACCOUNT, edge.endpoint());
            failureDestinations = new FailureDestinations(sqs, log, Settings.ACCOUNT);
            s3 = new S3Service(store);
            settings.buckets().forEach(s3::ensureBucket);
            // Task roots are made anew from the code at each start; what earlier runs assembled is of no use.
            TaskRoot.deleteRecursively(work.resolve("task"));
            RuntimeLauncher launcher = RuntimeLauncher.prepare(work.resolve("runtime"));
            // Every listener is bound before any service is built, so the functions' environment is complete at once.
            daemon = opened(opened, new XRayDaemon(traces));
            lambda = opened(opened, new LambdaService(new LambdaService.Settings(Settings.REGION, Settings.ACCOUNT,
                    launcher, functionEnvironment(), settings.maximumEnvironments(), settings.retryBaseDelay()),
                    traces, XRayIds.system(), failureDestinations, log, store.records("lambda-async-event")));
            eventSources = opened(opened, new EventSourceMappings(sqs, lambda, log, Settings.REGION));
            ResourcePolicies xrayPolicies = new ResourcePolicies(store);
            sns = new SnsService(store, lambda, sqs, log, traces, xrayPolicies, XRayIds.system(), Clock.systemUTC(),
                    Settings.REGION, Settings.ACCOUNT);
            PrintStream platform = settings.log() == null ? System.err : settings.log();
            events = new EventsService(store, lambda, Clock.systemUTC(), Settings.REGION, Settings.ACCOUNT,
                    platform::println);
            CloudResources resources = new CloudResources(
                    new FunctionProvider(lambda, s3, work.resolve("code"), work.resolve("task")),
                    List.of(new FunctionVersionProvider(lambda),
                            new FunctionPartProvider("AWS::IAM::Role"),
                            new FunctionPartProvider("AWS::Lambda::Alias"),
                            new FunctionPartProvider("AWS::Lambda::EventInvokeConfig"),
                            new EventSourceMappingProvider(eventSources),
                            new PermissionProvider(lambda),
                            new TopicProvider(sns),
                            new SubscriptionProvider(sns),
                            new XRayResourcePolicyProvider(xrayPolicies),
                            new LogGroupProvider(logs),
                            new QueueProvider(sqs),
                            new BucketProvider(s3),
                            new BucketPolicyProvider(s3),
                            new EventBusProvider(events),
                            new RuleProvider(events)),
                    s3);
            cloudFormation = new CloudFormationService(Settings.REGION, Settings.ACCOUNT,
                    (body, stackName, parameters) -> StackDefinition.resolve(SamTemplate.parse(body), resources,
                            edge.endpoint(), stackName, Settings.REGION, Settings.ACCOUNT, parameters),
                    resources, store.records("cloudformation-stack"));
            cloudFormation.preload(stack);
            cloudFormation.restore(settings.log() == null ? System.err : settings.log());
            ModelledApi s3Api = new S3Api(s3, Settings.REGION).wire();
            edge.serve(new EdgeRouter(List.of(
                    service("lambda", new LambdaApi(lambda).wire()),
                    service("xray", new XRayApi(traces).wire()),
                    service("logs", new LogsApi(logs, Settings.REGION, Settings.ACCOUNT).wire()),
                    service("cloudformation", new CloudFormationApi(cloudFormation, resources).wire()),
                    service("sts", new StsApi(Settings.ACCOUNT).wire()),
                    service("sqs", new SqsApi(sqs, Settings.ACCOUNT).wire()),
                    service("sns", new SnsApi(sns, Settings.ACCOUNT).wire()),
                    service("events", new EventsApi(events).wire()),
                    // S3 clients always sign; an unsigned GET / is a browser on its way to the console.
                    new EdgeRouter.Service("s3", s3Api.errors(), unsigned -> false, s3Api)),
                    new TraceConsole()));
            lambda.resumeAcceptedEvents();
        } catch (IOException | RuntimeException failure) {
            closeQuietly(opened.reversed());
            throw failure;
        }
    }

    /** A service on the edge, reached by its SigV4 name, or by shape when unsigned. */
    private static EdgeRouter.Service service(String signingName, ModelledApi api) {
        return new EdgeRouter.Service(signingName, api.errors(), api::recognizes, api);
    }

    private static StackDefinition resolve(Path template, Settings settings, URI edge) throws IOException {
        return StackDefinition.resolve(SamTemplate.load(template),
                StackDefinition.CodeLocator.under(template.toAbsolutePath().getParent()), edge, settings.stackName(),
                Settings.REGION, Settings.ACCOUNT, settings.parameterOverrides());
    }

    private static StackDefinition withFunctionTemplates(StackDefinition stack, Settings settings, URI edge)
            throws IOException {
        StackDefinition mixed = stack;
        for (Map.Entry<String, Path> function : settings.functionTemplates().entrySet()) {
            mixed = mixed.withFunctionsFrom(resolve(function.getValue(), settings, edge), Set.of(function.getKey()));
        }
        return mixed;
    }

    /** What every function gets from the cloud: where the daemon and the endpoints are, and credentials. */
    private Map<String, String> functionEnvironment() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        variables.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        variables.put("AWS_SESSION_TOKEN", "local-cloud-session");
        variables.put("AWS_XRAY_DAEMON_ADDRESS", daemon.address());
        variables.put("_AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1");
        variables.put("_AWS_XRAY_DAEMON_PORT", Integer.toString(daemon.port()));
        variables.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        variables.put("AWS_ENDPOINT_URL", edge.endpoint().toString());
        return variables;
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    /** Starts a cloud; whatever was already listening is closed again when a later step fails. */
    public static LocalCloud start(Settings settings) throws IOException {
        return new LocalCloud(settings);
    }

    public StackDefinition stack() {
        return stack;
    }

    /** The edge endpoint: every API the cloud emulates, for AWS_ENDPOINT_URL, and the console. */
    public URI endpoint() {
        return edge.endpoint();
    }

    /** Where the trace console is. */
    public URI consoleUrl() {
        return edge.endpoint().resolve(TraceConsole.PATH);
    }

    public S3Service s3() {
        return s3;
    }

    public LambdaService lambda() {
        return lambda;
    }

    public LogsService logs() {
        return logs;
    }

    public TraceStore traces() {
        return traces;
    }

    public XRayDaemon daemon() {
        return daemon;
    }

    public SqsService sqs() {
        return sqs;
    }

    public SnsService sns() {
        return sns;
    }

    public FailureDestinations failureDestinations() {
        return failureDestinations;
    }

    /**
     * Whether every accepted event has run to its end and every queue an event source mapping polls is empty, so
     * that no further segment can arrive (the function segments of the last runs are written within two seconds of
     * their end).
     */
    public boolean settled() {
        return lambda.asyncQueue().pendingCount() == 0 && eventSources.idle();
    }

    public EventsService events() {
        return events;
    }

    public EventSourceMappings eventSources() {
        return eventSources;
    }

    /** Where every service keeps what it accepted. */
    public Store store() {
        return store;
    }

    public CloudLog log() {
        return log;
    }

    /** Stops taking requests first, then the pollers, the functions (no JVM of theirs outlives this), the daemon, the log. */
    @Override
    public void close() {
        closeQuietly(List.of(edge, eventSources, lambda, daemon, log, store, workLock));
    }

    private static void closeQuietly(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } catch (Exception failure) {
                // Closing goes on: one part that fails to stop must not keep the others running.
            }
        }
    }
}
