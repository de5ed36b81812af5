package xrayasync.localcloud;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xrayasync.localcloud.lambda.CloudLog;
import xrayasync.localcloud.lambda.FailureDestinations;
import xrayasync.localcloud.lambda.LambdaInvokeApi;
import xrayasync.localcloud.lambda.LambdaService;
import xrayasync.localcloud.lambda.RuntimeLauncher;
import xrayasync.localcloud.lambda.TaskRoot;
import xrayasync.localcloud.lambda.TraceRules;
import xrayasync.localcloud.s3.S3Api;
import xrayasync.localcloud.template.FunctionDefinition;
import xrayasync.localcloud.template.SamTemplate;
import xrayasync.localcloud.template.StackDefinition;
import xrayasync.localcloud.xray.TraceStore;
import xrayasync.localcloud.xray.XRayDaemon;
import xrayasync.localcloud.xray.XRayReadApi;

/** The offline stand-in for the AWS services the stack uses: Lambda, S3 and X-Ray on loopback. */
public final class LocalCloud implements AutoCloseable {

    /** Credentials the functions and clients sign with; nothing checks them. */
    public static final String ACCESS_KEY = "AKIDLOCALCLOUD";
    public static final String SECRET_KEY = "local-cloud-secret";

    /**
     * How to start a local cloud.
     *
     * @param workDirectory where task roots, the runtime's native library and failure destinations are kept
     * @param retryBaseDelay the wait before the first async retry (Lambda: one minute), doubled for each further one
     * @param maximumEnvironments how many execution environments one function version may run at once; further
     *     invocations wait for a free one (each environment is a JVM of 150 MB or more)
     * @param log where function output and platform lines are printed as they come, or null to keep them only
     */
    public record Settings(Path template, Map<String, String> parameterOverrides, List<String> buckets,
            Path workDirectory, Duration retryBaseDelay, int maximumEnvironments, PrintStream log) {

        public static final String STACK_NAME = "xray-async";
        public static final String REGION = "us-east-1";
        public static final String ACCOUNT = "123456789012";

        /** The same settings, keeping function output without printing it. */
        public Settings withoutPrinting() {
            return new Settings(template, parameterOverrides, buckets, workDirectory, retryBaseDelay,
                    maximumEnvironments, null);
        }
    }

    private final StackDefinition stack;
    private final CloudLog log;
    private final TraceStore traces = new TraceStore();
    private final FailureDestinations failureDestinations;
    private final XRayDaemon daemon;
    private final XRayReadApi xrayApi;
    private final S3Api s3;
    private final LambdaService lambda;
    private final LambdaInvokeApi lambdaApi;

    private LocalCloud(Settings settings) throws IOException {
        // Function JVMs run in their task roots, so every path handed to them must be absolute.
        Path work = settings.workDirectory().toAbsolutePath().normalize();
        SamTemplate template = SamTemplate.load(settings.template());
        stack = StackDefinition.resolve(template, settings.template().toAbsolutePath().getParent(),
                Settings.STACK_NAME, Settings.REGION, Settings.ACCOUNT, settings.parameterOverrides());
        log = new CloudLog(settings.log());
        failureDestinations = new FailureDestinations(work.resolve("failure-destinations"));
        Map<String, Path> taskRoots = new LinkedHashMap<>();
        for (FunctionDefinition function : stack.functions()) {
            taskRoots.put(function.logicalId(), TaskRoot.assemble(function, work.resolve("task")));
        }
        RuntimeLauncher launcher = RuntimeLauncher.prepare(work.resolve("runtime"));
        daemon = new XRayDaemon(traces);
        xrayApi = new XRayReadApi(traces);
        s3 = new S3Api(settings.buckets());
        Map<String, String> cloudEnvironment = new LinkedHashMap<>();
        cloudEnvironment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        cloudEnvironment.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        cloudEnvironment.put("AWS_SESSION_TOKEN", "local-cloud-session");
        cloudEnvironment.put("AWS_XRAY_DAEMON_ADDRESS", daemon.address());
        cloudEnvironment.put("_AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1");
        cloudEnvironment.put("_AWS_XRAY_DAEMON_PORT", daemon.address().substring(daemon.address().indexOf(':') + 1));
        cloudEnvironment.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        cloudEnvironment.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        cloudEnvironment.put("AWS_ENDPOINT_URL_XRAY", xrayApi.endpoint().toString());
        lambda = new LambdaService(stack, taskRoots, launcher, cloudEnvironment, traces, TraceRules.lambdaDefaults(),
                failureDestinations, log, settings.retryBaseDelay(), settings.maximumEnvironments());
        lambdaApi = new LambdaInvokeApi(lambda);
        // The functions reach Lambda through the same standard variable, set once its endpoint exists.
        cloudEnvironment.put("AWS_ENDPOINT_URL_LAMBDA", lambdaApi.endpoint().toString());
    }

    public static LocalCloud start(Settings settings) throws IOException {
        return new LocalCloud(settings);
    }

    public StackDefinition stack() {
        return stack;
    }

    public URI lambdaEndpoint() {
        return lambdaApi.endpoint();
    }

    public URI xrayEndpoint() {
        return xrayApi.endpoint();
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    public S3Api s3() {
        return s3;
    }

    public LambdaService lambda() {
        return lambda;
    }

    public TraceStore traces() {
        return traces;
    }

    public XRayDaemon daemon() {
        return daemon;
    }

    public FailureDestinations failureDestinations() {
        return failureDestinations;
    }

    /**
     * Whether every accepted event has run to its end, so that no further segment can arrive (the function
     * segments of the last runs are written within two seconds of their end).
     */
    public boolean settled() {
        return lambda.asyncQueue().pendingCount() == 0;
    }

    public CloudLog log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        lambdaApi.close();
        lambda.close();
        s3.close();
        xrayApi.close();
        daemon.close();
    }
}
