package xrayasync.bench.naive;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark comparison: TriggeringFunction's work as most samples write it, with clients built per invocation by
 * the default builders (Apache HTTP client, default region and credential chains) and a POJO handler.
 */
public final class NaiveHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        S3Client s3 = S3Client.create();
        LambdaClient lambda = LambdaClient.create();
        int buckets = s3.listBuckets().buckets().size();
        int status = lambda.invoke(request -> request.functionName(System.getenv("TRIGGERED_FUNCTION_NAME"))
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"callerRequestId\":\"" + context.getAwsRequestId() + "\"}")))
                .statusCode();
        return Map.of("bucketCount", buckets, "invokeStatusCode", status);
    }
}
