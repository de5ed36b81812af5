package xrayasync.triggered;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.TraceID;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** TriggeredFunction: validates the caller's payload, records the caller on its trace, lists S3 buckets. */
public final class TriggeredHandler implements RequestStreamHandler, Resource {

    static final String HANDLER_SUBSEGMENT = "## handleRequest";
    private final BucketListing buckets;
    private final Region region;

    /** Called by Lambda once per execution environment. */
    public TriggeredHandler() {
        this(region(System.getenv("AWS_REGION")));
    }

    private TriggeredHandler(Region region) {
        this(s3Client(region, PackagedHttpClient.create()), region);
        // SnapStart runtime hook; where the JVM takes no snapshot (on-demand, sam local), registering does nothing.
        Core.getGlobalContext().register(this);
    }

    TriggeredHandler(S3Client s3, Region region) {
        this.buckets = new BucketListing(s3);
        this.region = region;
    }

    /** Before Lambda snapshots a SnapStart version: prime the SDK and X-Ray code paths without calling AWS. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        new SnapStartPriming(region).prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: the client holds no open connection, credentials come from the restored environment.
    }

    static Region region(String awsRegion) {
        if (awsRegion == null || awsRegion.isBlank()) {
            throw new IllegalStateException("Environment variable AWS_REGION is missing or empty: Lambda sets it;"
                    + " when running elsewhere, export the region the stack is deployed in.");
        }
        return Region.of(awsRegion.trim());
    }

    // Endpoints are not set here: the SDK takes them from AWS_ENDPOINT_URL* when present.
    static S3Client s3Client(Region region, SdkHttpClient http) {
        return S3Client.builder()
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(http)
                .build();
    }

    @Override
    public void handleRequest(InputStream event, OutputStream output, Context context) throws IOException {
        // Lambda's own segment for the function is a facade the SDK cannot annotate, so the caller's ids go on a
        // subsegment; X-Ray indexes subsegment annotations for filter expressions all the same.
        Subsegment handling = AWSXRay.beginSubsegment(HANDLER_SUBSEGMENT);
        try {
            byte[] received = event.readAllBytes();
            TriggerPayload payload = TriggerPayload.parse(received);
            handling.putAnnotation("caller_request_id", payload.callerRequestId());
            handling.putAnnotation("caller_function_name", payload.callerFunctionName());
            if (payload.callerTraceId() != null) {
                handling.putAnnotation("caller_trace_id", payload.callerTraceId());
            }
            int bucketCount = buckets.count();
            TraceID trace = LambdaSegmentContext.getTraceHeaderFromEnvironment().getRootTraceId();
            String traceId = trace == null ? null : trace.toString();
            TriggeredSummary summary = TriggeredSummary.of(payload, bucketCount, traceId, context.getAwsRequestId());
            context.getLogger().log(summary.logLine(payload.callerFunctionName(), received.length), LogLevel.INFO);
            output.write(RecordJson.write(summary));
        } catch (RuntimeException failure) {
            handling.addException(failure);
            throw failure;
        } finally {
            AWSXRay.endSubsegment();
        }
    }
}
