package xrayasync.otel.triggered;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/**
 * An SDK HTTP client that answers each request from the canned answers registered for its service and path, without
 * a network.
 */
final class CannedHttpClient implements SdkHttpClient {

    /** An answer to the requests whose path ends with pathSuffix, made to service, or to any service when null. */
    private record Answer(String service, String pathSuffix, int status, String contentType, byte[] body) {

        boolean matches(String requestService, String path) {
            return (service == null || service.equals(requestService)) && path.endsWith(pathSuffix);
        }
    }

    // Where a signed request names its service: the signing name in the credential scope of SigV4's Authorization
    // header (date/region/service/aws4_request), the same whatever endpoint the request goes to.
    private static final Pattern SIGNING_SERVICE =
            Pattern.compile("Credential=[^/,]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    // The MD5 of "{}", the payload priming sends, which the SQS client checks SendMessage's answer against.
    private static final String EMPTY_OBJECT_MD5 = "99914b932bd37a50b983c5e7c90ae93b";

    // One bucket rather than none, so that parsing a bucket is primed too.
    private static final String ONE_BUCKET = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult"
            + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets><Bucket><Name>priming</Name>"
            + "<CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>";

    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    /**
     * Answers to every AWS call either function primes: Lambda's 202 to an Event Invoke, SQS's SendMessage of "{}",
     * SNS's Publish, EventBridge's PutEvents, S3's ListBuckets. SQS, SNS, EventBridge and ListBuckets all use the path
     * "/", so those answers are told apart by service.
     */
    static CannedHttpClient forPriming() {
        return new CannedHttpClient()
                .answer("lambda", "/invocations", 202, "application/json", "")
                .answer("sqs", "/", 200, "application/x-amz-json-1.0",
                        "{\"MessageId\":\"priming\",\"MD5OfMessageBody\":\"" + EMPTY_OBJECT_MD5 + "\"}")
                .answer("sns", "/", 200, "text/xml",
                        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>priming</MessageId></PublishResult></PublishResponse>")
                .answer("events", "/", 200, "application/x-amz-json-1.1",
                        "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"priming\"}]}")
                .answer("s3", "/", 200, "application/xml", ONE_BUCKET);
    }

    /** Answers every request whose path ends with pathSuffix; the first registered answer that matches wins. */
    CannedHttpClient answer(String pathSuffix, int status, String contentType, String body) {
        return answer(null, pathSuffix, status, contentType, body);
    }

    /** Answers the requests to one service (its SigV4 signing name) whose path ends with pathSuffix. */
    CannedHttpClient answer(String service, String pathSuffix, int status, String contentType, String body) {
        answers.add(new Answer(service, pathSuffix, status, contentType, body.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** The requests made so far, as "METHOD /encoded/path", in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        String method = request.httpRequest().method().name();
        // An empty path is the root, as it goes on the wire: query-protocol clients such as SNS's leave it empty.
        String path = request.httpRequest().encodedPath().isEmpty() ? "/" : request.httpRequest().encodedPath();
        String service = request.httpRequest().firstMatchingHeader("Authorization")
                .map(SIGNING_SERVICE::matcher).filter(Matcher::find).map(found -> found.group(1)).orElse(null);
        requests.add(method + " " + path);
        Answer answer = answers.stream().filter(candidate -> candidate.matches(service, path)).findFirst()
                .orElseThrow(() -> new IllegalStateException("CannedHttpClient has no answer for " + method + " "
                        + path + " to " + service + ": register one with answer(service, pathSuffix, …) before the"
                        + " SDK call that makes it."));
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
