package xrayasync.localcloud.harness.check;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.xray.XRayClient;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.harness.EventOption;
import xrayasync.localcloud.harness.FunctionPair;
import xrayasync.localcloud.harness.FunctionPairOptions;

/** The trace check as a command: against a deployed stack in AWS, or any endpoint that speaks Lambda and X-Ray. */
@Command(name = "trace-check", mixinStandardHelpOptions = true,
        description = "Invoke the caller, then wait until X-Ray shows the callee in the same trace (JOINED), in a"
                + " trace linked to it (LINKED), or says it is LOST. The hop is the caller's ASYNC_HOP. Exit 0 only on"
                + " the verdict AWS gives that hop for a correctly instrumented pair: JOINED for LambdaEvent, SNS and"
                + " EventBridge,"
                + " LINKED for SQS.")
public final class TraceCheckCommand implements Callable<Integer> {

    static final class Target {
        @Option(names = "--stack-name", description = "Deployed stack whose caller to invoke (found with the callee by"
                + " their logical ids)")
        String stackName;

        @Option(names = "--function-name", description = "The caller's name or ARN; the callee is the function its"
                + " answer names")
        String functionName;
    }

    @ArgGroup(multiplicity = "1")
    Target target;

    @Mixin
    EventOption event;

    @Mixin
    FunctionPairOptions functions;

    @Option(names = "--region", description = "Region (default: the usual AWS settings)")
    String region;

    @Option(names = "--endpoint-url", description = "Lambda and X-Ray endpoint, e.g. a local cloud's; with it the"
            + " local cloud's credentials are used")
    URI endpoint;

    @Option(names = "--timeout", defaultValue = "PT60S", description = "How long to wait for X-Ray (default: ${DEFAULT-VALUE})")
    Duration timeout;

    /** The two clients the check uses, closed together. */
    public record Clients(LambdaClient lambda, XRayClient xray) implements AutoCloseable {

        /** Clients for a local cloud's edge endpoint. */
        public static Clients local(URI endpoint) {
            return build(Region.of(LocalCloud.Settings.REGION), StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalCloud.ACCESS_KEY, LocalCloud.SECRET_KEY)), endpoint);
        }

        static Clients build(Region region, AwsCredentialsProvider credentials, URI endpoint) {
            SdkHttpClient http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(2)).build();
            var lambda = LambdaClient.builder().httpClient(http).credentialsProvider(credentials);
            var xray = XRayClient.builder().httpClient(http).credentialsProvider(credentials);
            if (region != null) {
                lambda.region(region);
                xray.region(region);
            }
            if (endpoint != null) {
                lambda.endpointOverride(endpoint);
                xray.endpointOverride(endpoint);
            }
            return new Clients(lambda.build(), xray.build());
        }

        @Override
        public void close() {
            lambda.close();
            xray.close();
        }
    }

    @Override
    public Integer call() throws Exception {
        byte[] payload = event.read();
        Region chosen = region == null ? (endpoint == null ? null : Region.of(LocalCloud.Settings.REGION))
                : Region.of(region);
        AwsCredentialsProvider credentials = endpoint == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalCloud.ACCESS_KEY,
                        LocalCloud.SECRET_KEY));
        try (Clients clients = Clients.build(chosen, credentials, endpoint)) {
            FunctionPair pair = functions.pair();
            String caller = target.functionName;
            String callee = null;
            if (caller == null) {
                Map<String, String> stack = stackFunctions(clients.lambda(), target.stackName);
                caller = stackFunction(stack, target.stackName, pair.callerLogicalId());
                callee = stackFunction(stack, target.stackName, pair.calleeLogicalId());
            }
            String callerName = caller;
            AsyncHop hop = hopOf(clients.lambda(), callerName);
            if (callee == null && hop != AsyncHop.LAMBDA_EVENT) {
                throw new IllegalArgumentException(callerName + " hands its event on by " + hop.parameterValue()
                        + ", so its answer names no function: give --stack-name, and the callee is found by its"
                        + " logical id.");
            }
            System.out.println("The hop is " + hop.parameterValue() + " (" + callerName + "'s ASYNC_HOP); AWS shows"
                    + " it as " + hop.expected() + ".");
            TraceCheck.Result result = new TraceCheck(clients.lambda(), clients.xray(), System.out, timeout,
                    Duration.ofSeconds(2)).run(caller, callee, payload);
            System.out.println(result.verdict() + ": " + result.explanation());
            return result.verdict() == hop.expected() ? 0 : 1;
        }
    }

    /** The hop the caller uses, from its ASYNC_HOP (a caller without one is from before the hops: LambdaEvent). */
    static AsyncHop hopOf(LambdaClient lambda, String caller) {
        var environment = lambda.getFunctionConfiguration(request -> request.functionName(caller)).environment();
        return AsyncHop.ofParameter(environment == null ? null : environment.variables().get("ASYNC_HOP"));
    }

    /** A stack's functions by logical id, found by the tags CloudFormation puts on the functions it creates. */
    static Map<String, String> stackFunctions(LambdaClient lambda, String stackName) {
        Map<String, String> functions = new HashMap<>();
        for (FunctionConfiguration function : lambda.listFunctionsPaginator(request -> { }).functions()) {
            Map<String, String> tags = lambda.listTags(request -> request.resource(function.functionArn())).tags();
            if (stackName.equals(tags.get("aws:cloudformation:stack-name"))) {
                functions.put(tags.get("aws:cloudformation:logical-id"), function.functionName());
            }
        }
        return functions;
    }

    private static String stackFunction(Map<String, String> stack, String stackName, String logicalId) {
        String name = stack.get(logicalId);
        if (name == null) {
            throw new IllegalArgumentException("No function with logical id " + logicalId + " in stack " + stackName
                    + " (looked for the aws:cloudformation tags; found " + stack.keySet() + "); check the stack name"
                    + " and region, or pass --function-name.");
        }
        return name;
    }
}
