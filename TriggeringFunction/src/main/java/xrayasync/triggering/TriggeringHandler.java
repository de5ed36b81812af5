package xrayasync.triggering;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.entities.TraceHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** TriggeringFunction: lists S3 buckets, then invokes TriggeredFunction asynchronously within the caller's trace. */
public final class TriggeringHandler implements RequestStreamHandler, Resource {

    private final BucketListing buckets;
    private final AsyncInvoker invoker;
    private final TriggeringConfiguration configuration;

    /** Called by Lambda once per execution environment. */
    public TriggeringHandler() {
        this(TriggeringConfiguration.fromEnvironment(System.getenv()), PackagedHttpClient.create());
    }

    private TriggeringHandler(TriggeringConfiguration configuration, SdkHttpClient http) {
        this(s3Client(configuration.region(), http),
                lambdaClient(configuration.region(), http, configuration.tracePropagation()),
                configuration);
        // SnapStart runtime hook; where the JVM takes no snapshot (on-demand, sam local), registering does nothing.
        Core.getGlobalContext().register(this);
    }

    TriggeringHandler(S3Client s3, LambdaClient lambda, TriggeringConfiguration configuration) {
        this.buckets = new BucketListing(s3);
        this.invoker = new AsyncInvoker(lambda, configuration.triggeredFunctionName());
        this.configuration = configuration;
    }

    /** Before Lambda snapshots a SnapStart version: prime the SDK and X-Ray code paths without calling AWS. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        new SnapStartPriming(configuration).prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the clients hold no open connection, credentials come from the restored environment.
    }

    // Endpoints are not set here: the SDK takes them from AWS_ENDPOINT_URL* when present.
    static S3Client s3Client(Region region, SdkHttpClient http) {
        return S3Client.builder()
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .build();
    }

    static LambdaClient lambdaClient(Region region, SdkHttpClient http, TracePropagation propagation) {
        return LambdaClient.builder()
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .overrideConfiguration(override -> override.addExecutionInterceptor(
                        propagation == TracePropagation.DISABLED ? new TraceHeaderRemover() : new LineagePropagation()))
                .build();
    }

    @Override
    public void handleRequest(InputStream event, OutputStream output, Context context) throws IOException {
        TriggeringEvent.requireJson(event);
        int bucketCount = buckets.count();
        TraceHeader trace = LambdaSegmentContext.getTraceHeaderFromEnvironment();
        String traceHeader = trace.getRootTraceId() == null ? null : trace.toString();
        TriggerPayload payload = new TriggerPayload(TriggerPayload.SCHEMA_VERSION, context.getAwsRequestId(),
                context.getFunctionName(), traceHeader, Instant.now().toString(), bucketCount);
        int status = invoker.invoke(RecordJson.write(payload));
        context.getLogger().log("Invoked " + invoker.target() + " asynchronously (HTTP " + status + ") under trace "
                + traceHeader + " after listing " + bucketCount + " buckets", LogLevel.INFO);
        output.write(RecordJson.write(new TriggeringSummary(bucketCount, invoker.target(), status,
                trace.getRootTraceId() == null ? null : trace.getRootTraceId().toString(), context.getAwsRequestId())));
    }
}
