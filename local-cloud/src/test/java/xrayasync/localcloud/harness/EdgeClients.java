package xrayasync.localcloud.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.xray.XRayClient;
import xrayasync.localcloud.core.LocalCloud;

/**
 * The clients a user points at the edge port: the AWS SDK's Lambda, S3, X-Ray, CloudFormation, CloudWatch Logs, SQS,
 * SNS, EventBridge and STS clients, and a plain HTTP client for the console, each call bounded by the given time so a
 * frozen cloud fails a test instead of hanging it.
 */
final class EdgeClients implements AutoCloseable {

    final LambdaClient lambda;
    final S3Client s3;
    final XRayClient xray;
    final CloudFormationClient cloudFormation;
    final CloudWatchLogsClient logs;
    final SqsClient sqs;
    final SnsClient sns;
    final EventBridgeClient events;
    final StsClient sts;
    private final HttpClient http;
    private final URI endpoint;
    private final Duration callTimeout;

    EdgeClients(URI endpoint, Duration callTimeout) {
        this(endpoint, callTimeout, List.of());
    }

    /** @param interceptors added to every SDK client, e.g. {@link ResponseShapes#recorder()} */
    EdgeClients(URI endpoint, Duration callTimeout, List<ExecutionInterceptor> interceptors) {
        this.endpoint = endpoint;
        this.callTimeout = callTimeout;
        SdkHttpClient sdkHttp = UrlConnectionHttpClient.builder().socketTimeout(callTimeout).build();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalCloud.ACCESS_KEY,
                LocalCloud.SECRET_KEY));
        Region region = Region.of(LocalCloud.Settings.REGION);
        ClientOverrideConfiguration override = ClientOverrideConfiguration.builder().apiCallTimeout(callTimeout)
                .executionInterceptors(interceptors).build();
        lambda = LambdaClient.builder().httpClient(sdkHttp).credentialsProvider(credentials).region(region)
                .endpointOverride(endpoint).overrideConfiguration(override).build();
        s3 = S3Client.builder().httpClient(sdkHttp).credentialsProvider(credentials).region(region)
                .endpointOverride(endpoint).forcePathStyle(true).overrideConfiguration(override).build();
        xray = XRayClient.builder().httpClient(sdkHttp).credentialsProvider(credentials).region(region)
                .endpointOverride(endpoint).overrideConfiguration(override).build();
        cloudFormation = CloudFormationClient.builder().httpClient(sdkHttp).credentialsProvider(credentials)
                .region(region).endpointOverride(endpoint).overrideConfiguration(override).build();
        logs = CloudWatchLogsClient.builder().httpClient(sdkHttp).credentialsProvider(credentials).region(region)
                .endpointOverride(endpoint).overrideConfiguration(override).build();
        sqs = SqsClient.builder().httpClient(sdkHttp).credentialsProvider(credentials).region(region)
                .endpointOverride(endpoint).overrideConfiguration(override).build();
        sns = SnsClient.builder().httpClient(sdkHttp).credentialsProvider(credentials).region(region)
                .endpointOverride(endpoint).overrideConfiguration(override).build();
        events = EventBridgeClient.builder().httpClient(sdkHttp).credentialsProvider(credentials).region(region)
                .endpointOverride(endpoint).overrideConfiguration(override).build();
        sts = StsClient.builder().httpClient(sdkHttp).credentialsProvider(credentials).region(region)
                .endpointOverride(endpoint).overrideConfiguration(override).build();
        http = HttpClient.newBuilder().connectTimeout(callTimeout).build();
    }

    InvokeResponse invoke(String functionName, InvocationType type, String payload) {
        return lambda.invoke(request -> request.functionName(functionName).invocationType(type)
                .payload(SdkBytes.fromUtf8String(payload)));
    }

    List<String> bucketNames() {
        return s3.listBuckets().buckets().stream().map(Bucket::name).toList();
    }

    /** The trace summaries of the last five minutes. */
    int traceSummaryCount() {
        Instant now = Instant.now();
        return xray.getTraceSummaries(request -> request.startTime(now.minusSeconds(300)).endTime(now.plusSeconds(60)))
                .traceSummaries().size();
    }

    int serviceGraphSize() {
        Instant now = Instant.now();
        return xray.getServiceGraph(request -> request.startTime(now.minusSeconds(300)).endTime(now.plusSeconds(60)))
                .services().size();
    }

    /** The console's page, as a browser gets it. */
    HttpResponse<String> consolePage() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(endpoint.resolve("/console/")).timeout(callTimeout).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        lambda.close();
        s3.close();
        xray.close();
        cloudFormation.close();
        logs.close();
        sqs.close();
        sns.close();
        events.close();
        sts.close();
        http.close();
    }
}
