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
import java.util.ArrayList;
import java.util.List;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** TriggeringFunction traced with OpenTelemetry: lists S3 buckets, then hands its event over the configured hop. */
public final class TriggeringHandler extends TracingRequestStreamHandler implements Resource {

    private final BucketListing buckets;
    private final AsyncHandOff handOff;
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
        this(telemetry, s3Client(configuration.region(), http, aws), handOff(configuration, http, aws), configuration);
    }

    // The base class continues the runtime's trace header in a SERVER span around doHandleRequest, ends it with the
    // outcome (a failure as its status and an exception event) and flushes the SDK before the invocation returns.
    TriggeringHandler(OpenTelemetrySdk telemetry, S3Client s3, AsyncHandOff handOff,
            TriggeringConfiguration configuration) {
        super(telemetry);
        this.buckets = new BucketListing(s3);
        this.handOff = handOff;
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

    /** Runs ListBuckets and the configured hop's hand-off through clients built as this handler's are, offline. */
    TelemetryPriming.Run prime() {
        return TelemetryPriming.run((http, aws) -> {
            new BucketListing(s3Client(configuration.region(), http, aws)).count();
            handOff(configuration, http, aws).send("{}".getBytes(StandardCharsets.UTF_8));
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

    static LambdaClient lambdaClient(Region region, SdkHttpClient http, AwsSdkTelemetry aws,
            TracePropagation propagation) {
        return client(LambdaClient.builder(), region, http,
                interceptors(aws, AsyncHop.LAMBDA_EVENT.traceHeaderInterceptors(propagation)));
    }

    /** The chosen hop's sender, on an instrumented client of that service alone. */
    static AsyncHandOff handOff(TriggeringConfiguration configuration, SdkHttpClient http, AwsSdkTelemetry aws) {
        Region region = configuration.region();
        List<ExecutionInterceptor> interceptors = interceptors(aws,
                configuration.asyncHop().traceHeaderInterceptors(configuration.tracePropagation()));
        String destination = configuration.destination();
        return switch (configuration.asyncHop()) {
            case LAMBDA_EVENT -> new AsyncInvoker(client(LambdaClient.builder(), region, http, interceptors),
                    destination);
            case SQS -> new QueueSender(client(SqsClient.builder(), region, http, interceptors), destination);
            case SNS -> new TopicPublisher(client(SnsClient.builder(), region, http, interceptors), destination);
            case EVENT_BRIDGE -> new EventBusSender(client(EventBridgeClient.builder(), region, http, interceptors),
                    destination);
        };
    }

    // The interceptors run in the order added, so the trace header OpenTelemetry writes is then extended with the
    // caller's Lineage, or removed altogether to reproduce InvokeAsync.
    private static List<ExecutionInterceptor> interceptors(AwsSdkTelemetry aws, List<ExecutionInterceptor> hop) {
        List<ExecutionInterceptor> interceptors = new ArrayList<>();
        interceptors.add(aws.newExecutionInterceptor());
        interceptors.addAll(hop);
        return interceptors;
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder,
            Region region, SdkHttpClient http, List<ExecutionInterceptor> interceptors) {
        return builder
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .overrideConfiguration(override -> interceptors.forEach(override::addExecutionInterceptor))
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
        AsyncHandOff.Answer answer = handOff.send(RecordJson.write(payload));
        // "asynchronously (HTTP 202)" is the LambdaEvent hop's line as before, which the local cloud's checks read.
        context.getLogger().log("Handed the event to " + handOff.target() + " over the " + handOff.hop().label()
                + " hop asynchronously (" + answer.describe() + ") under trace " + traceHeader + " after listing "
                + bucketCount + " buckets", LogLevel.INFO);
        output.write(RecordJson.write(new TriggeringSummary(bucketCount, handOff.target(), answer.statusCode(),
                trace.traceId(), context.getAwsRequestId(), handOff.hop().label(), answer.id())));
    }
}
