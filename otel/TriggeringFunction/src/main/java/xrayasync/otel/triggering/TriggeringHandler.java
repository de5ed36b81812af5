package xrayasync.otel.triggering;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.TracingRequestStreamHandler;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** TriggeringFunction traced with OpenTelemetry: lists S3 buckets, then invokes TriggeredFunction asynchronously. */
public final class TriggeringHandler extends TracingRequestStreamHandler implements Resource {

    private final BucketListing buckets;
    private final AsyncInvoker invoker;
    private final TriggeringConfiguration configuration;

    /** Called by Lambda once per execution environment. */
    public TriggeringHandler() {
        this(TriggeringConfiguration.fromEnvironment(System.getenv()),
                LambdaTelemetry.fromEnvironment(System.getenv()));
        // SnapStart runtime hook; where the JVM takes no snapshot (on-demand, sam local), registering does nothing.
        Core.getGlobalContext().register(this);
    }

    private TriggeringHandler(TriggeringConfiguration configuration, OpenTelemetrySdk telemetry) {
        this(telemetry, AwsSdkTelemetry.create(telemetry), PackagedHttpClient.create(), configuration);
    }

    private TriggeringHandler(OpenTelemetrySdk telemetry, AwsSdkTelemetry aws, SdkHttpClient http,
            TriggeringConfiguration configuration) {
        this(telemetry, s3Client(configuration.region(), http, aws),
                lambdaClient(configuration.region(), http, aws, configuration.tracePropagation()), configuration);
    }

    // The base class continues the runtime's trace header in a SERVER span around doHandleRequest, ends it with the
    // outcome (a failure as its status and an exception event) and flushes the SDK before the invocation returns.
    TriggeringHandler(OpenTelemetrySdk telemetry, S3Client s3, LambdaClient lambda,
            TriggeringConfiguration configuration) {
        super(telemetry);
        this.buckets = new BucketListing(s3);
        this.invoker = new AsyncInvoker(lambda, configuration.triggeredFunctionName());
        this.configuration = configuration;
    }

    /** Before Lambda snapshots a SnapStart version: prime the AWS calls, span export and propagation, offline. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: XRayIdGenerator draws from SecureRandom per id; UDP and the clients keep no connection.
    }

    /** Runs ListBuckets and an Event Invoke through clients built as this handler's are, against canned answers. */
    TelemetryPriming.Run prime() {
        return TelemetryPriming.run((http, aws) -> {
            new BucketListing(s3Client(configuration.region(), http, aws)).count();
            new AsyncInvoker(lambdaClient(configuration.region(), http, aws, configuration.tracePropagation()),
                    configuration.triggeredFunctionName()).invoke("{}".getBytes(StandardCharsets.UTF_8));
        });
    }

    // Endpoints are not set here: the SDK takes them from AWS_ENDPOINT_URL* when present.
    static S3Client s3Client(Region region, SdkHttpClient http, AwsSdkTelemetry aws) {
        return S3Client.builder()
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .overrideConfiguration(override -> override.addExecutionInterceptor(aws.newExecutionInterceptor()))
                .build();
    }

    // The interceptors run in the order added, so the trace header OpenTelemetry writes is then extended with the
    // caller's Lineage, or removed altogether to reproduce InvokeAsync.
    static LambdaClient lambdaClient(Region region, SdkHttpClient http, AwsSdkTelemetry aws,
            TracePropagation propagation) {
        return LambdaClient.builder()
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .overrideConfiguration(override -> override
                        .addExecutionInterceptor(aws.newExecutionInterceptor())
                        .addExecutionInterceptor(propagation == TracePropagation.DISABLED
                                ? new TraceHeaderRemover() : new LineagePropagation()))
                .build();
    }

    @Override
    protected void doHandleRequest(InputStream event, OutputStream output, Context context) throws IOException {
        TriggeringEvent.requireJson(event);
        int bucketCount = buckets.count();
        LambdaTraceHeader trace = LambdaTraceHeader.current();
        String traceHeader = trace.traceId() == null ? null : trace.text();
        TriggerPayload payload = new TriggerPayload(TriggerPayload.SCHEMA_VERSION, context.getAwsRequestId(),
                context.getFunctionName(), traceHeader, Instant.now().toString(), bucketCount);
        int status = invoker.invoke(RecordJson.write(payload));
        context.getLogger().log("Invoked " + invoker.target() + " asynchronously (HTTP " + status + ") under trace "
                + traceHeader + " after listing " + bucketCount + " buckets", LogLevel.INFO);
        output.write(RecordJson.write(new TriggeringSummary(bucketCount, invoker.target(), status, trace.traceId(),
                context.getAwsRequestId())));
    }
}
