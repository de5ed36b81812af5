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

/** TriggeringFunction: lists S3 buckets, then hands its event to TriggeredFunction over the configured async hop. */
public final class TriggeringHandler implements RequestStreamHandler, Resource {

    private final BucketListing buckets;
    private final AsyncHandOff handOff;
    private final TriggeringConfiguration configuration;

    /** Called by Lambda once per execution environment. */
    public TriggeringHandler() {
        this(TriggeringConfiguration.fromEnvironment(System.getenv()), PackagedHttpClient.create());
    }

    private TriggeringHandler(TriggeringConfiguration configuration, SdkHttpClient http) {
        this(s3Client(configuration.region(), http), handOff(configuration, http), configuration);
        // SnapStart runtime hook; where the JVM takes no snapshot (on-demand, sam local), registering does nothing.
        Core.getGlobalContext().register(this);
    }

    TriggeringHandler(S3Client s3, AsyncHandOff handOff, TriggeringConfiguration configuration) {
        this.buckets = new BucketListing(s3);
        this.handOff = handOff;
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
        return client(LambdaClient.builder(), region, http,
                AsyncHop.LAMBDA_EVENT.traceHeaderInterceptors(propagation));
    }

    /**
     * The chosen hop's sender, on a client of that service alone: the X-Ray SDK's TracingInterceptor joins every
     * client through the SDK's execution.interceptors file, and the hop adds its trace header interceptors after it.
     */
    static AsyncHandOff handOff(TriggeringConfiguration configuration, SdkHttpClient http) {
        Region region = configuration.region();
        List<ExecutionInterceptor> interceptors =
                configuration.asyncHop().traceHeaderInterceptors(configuration.tracePropagation());
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
    public void handleRequest(InputStream event, OutputStream output, Context context) throws IOException {
        TriggeringEvent.requireJson(event);
        int bucketCount = buckets.count();
        TraceHeader trace = LambdaSegmentContext.getTraceHeaderFromEnvironment();
        String traceHeader = trace.getRootTraceId() == null ? null : trace.toString();
        TriggerPayload payload = new TriggerPayload(TriggerPayload.SCHEMA_VERSION, context.getAwsRequestId(),
                context.getFunctionName(), traceHeader, Instant.now().toString(), bucketCount);
        AsyncHandOff.Answer answer = handOff.send(RecordJson.write(payload));
        // "asynchronously (HTTP 202)" is the LambdaEvent hop's line as before, which the local cloud's checks read.
        context.getLogger().log("Handed the event to " + handOff.target() + " over the " + handOff.hop().label()
                + " hop asynchronously (" + answer.describe() + ") under trace " + traceHeader + " after listing "
                + bucketCount + " buckets", LogLevel.INFO);
        output.write(RecordJson.write(new TriggeringSummary(bucketCount, handOff.target(), answer.statusCode(),
                trace.getRootTraceId() == null ? null : trace.getRootTraceId().toString(), context.getAwsRequestId(),
                handOff.hop().label(), answer.id())));
    }
}
