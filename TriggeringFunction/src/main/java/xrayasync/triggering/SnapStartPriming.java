package xrayasync.triggering;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * SnapStart priming: runs ListBuckets and Invoke once through the full SDK and X-Ray pipeline against canned answers,
 * so the snapshot Lambda takes of a published version holds that code loaded and warm. Nothing leaves the process.
 */
final class SnapStartPriming {

    private static final String LIST_BUCKETS = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets><Bucket>"
            + "<Name>priming</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>"
            + "</ListAllMyBucketsResult>";

    private final Region region;
    private final String target;
    private final TracePropagation propagation;
    private final CannedHttpClient http = new CannedHttpClient();

    SnapStartPriming(TriggeringConfiguration configuration) {
        this.region = configuration.region();
        this.target = configuration.triggeredFunctionName();
        this.propagation = configuration.tracePropagation();
    }

    /** Runs one ListBuckets and one Invoke against the canned answers; returns the requests they made. */
    List<String> prime() {
        LambdaClient lambda = TriggeringHandler.lambdaClient(region, http, propagation);
        new TriggeringHandler(TriggeringHandler.s3Client(region, http), lambda,
                new TriggeringConfiguration(region, target, propagation)).countBuckets();
        new AsyncInvoker(lambda, target).invoke("{}".getBytes(StandardCharsets.UTF_8));
        return http.requests();
    }

    /** Answers S3 ListBuckets and Lambda Invoke the way the services do, without a network. */
    private static final class CannedHttpClient implements SdkHttpClient {

        private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

        List<String> requests() {
            return List.copyOf(requests);
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            String path = request.httpRequest().encodedPath();
            requests.add(request.httpRequest().method() + " " + path);
            boolean invoke = path.endsWith("/invocations");
            byte[] body = invoke ? new byte[0] : LIST_BUCKETS.getBytes(StandardCharsets.UTF_8);
            SdkHttpResponse response = SdkHttpResponse.builder()
                    .statusCode(invoke ? AsyncInvoker.ACCEPTED : 200)
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .putHeader("Content-Type", invoke ? "application/json" : "application/xml")
                    .build();
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder().response(response)
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }

        @Override
        public String clientName() {
            return "SnapStartPriming";
        }
    }

}
