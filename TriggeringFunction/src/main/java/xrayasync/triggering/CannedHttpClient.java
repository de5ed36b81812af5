package xrayasync.triggering;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** An SDK HTTP client that answers each request from the canned answers registered for its path, without a network. */
final class CannedHttpClient implements SdkHttpClient {

    private record Answer(String pathSuffix, int status, String contentType, byte[] body) {
    }

    // One bucket rather than none, so that parsing a bucket is primed too.
    private static final String ONE_BUCKET = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult"
            + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets><Bucket><Name>priming</Name>"
            + "<CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>";

    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    /** Answers to every AWS call either function primes: Lambda's 202 to an Event Invoke, S3's ListBuckets. */
    static CannedHttpClient forPriming() {
        return new CannedHttpClient()
                .answer("/invocations", 202, "application/json", "")
                .answer("/", 200, "application/xml", ONE_BUCKET);
    }

    /** Answers every request whose path ends with pathSuffix; the first registered answer that matches wins. */
    CannedHttpClient answer(String pathSuffix, int status, String contentType, String body) {
        answers.add(new Answer(pathSuffix, status, contentType, body.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** The requests made so far, as "METHOD /encoded/path", in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        String method = request.httpRequest().method().name();
        String path = request.httpRequest().encodedPath();
        requests.add(method + " " + path);
        Answer answer = answers.stream().filter(candidate -> path.endsWith(candidate.pathSuffix())).findFirst()
                .orElseThrow(() -> new IllegalStateException("CannedHttpClient has no answer for " + method + " "
                        + path + ": register one with answer(pathSuffix, …) before the SDK call that makes it."));
        SdkHttpResponse response = SdkHttpResponse.builder()
                .statusCode(answer.status())
                .putHeader("Content-Length", Integer.toString(answer.body().length))
                .putHeader("Content-Type", answer.contentType())
                .build();
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return HttpExecuteResponse.builder().response(response)
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body()))).build();
            }

            @Override
            public void abort() {
                // The answer is already in memory: there is no transfer to abort.
            }
        };
    }

    @Override
    public void close() {
        // Holds no connection or thread to release.
    }

    @Override
    public String clientName() {
        return "Canned";
    }
}
