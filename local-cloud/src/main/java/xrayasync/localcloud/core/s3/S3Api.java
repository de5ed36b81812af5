package xrayasync.localcloud.s3;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import xrayasync.localcloud.http.LoopbackServer;

/** S3's ListBuckets, over a fixed list of buckets, in S3's REST-XML protocol. */
public final class S3Api implements AutoCloseable {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final List<String> buckets;
    private final LoopbackServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger slowResponsesLeft = new AtomicInteger();
    private volatile Duration slowness = Duration.ZERO;

    public S3Api(List<String> buckets) throws IOException {
        this.buckets = List.copyOf(buckets);
        this.server = new LoopbackServer("S3", this::handle);
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** How many requests S3 has received. */
    public int requestCount() {
        return requests.get();
    }

    /** Fault injection: the next {@code responses} answers come only after {@code delay}. */
    public void slowDown(Duration delay, int responses) {
        slowness = delay;
        slowResponsesLeft.set(responses);
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        if (slowResponsesLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            try {
                Thread.sleep(slowness);
            } catch (InterruptedException closing) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Map<String, String> headers = Map.of("x-amz-request-id", UUID.randomUUID().toString().replace("-", "")
                .substring(0, 16).toUpperCase());
        if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals("/")) {
            LoopbackServer.respond(exchange, 501, "application/xml", headers, error("NotImplemented",
                    "The local S3 serves ListBuckets (GET /) only.").getBytes(StandardCharsets.UTF_8));
            return;
        }
        StringBuilder body = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append("<Owner><ID>local-cloud</ID></Owner><Buckets>");
        for (String bucket : buckets) {
            body.append("<Bucket><Name>").append(bucket).append("</Name><CreationDate>").append(CREATED)
                    .append("</CreationDate></Bucket>");
        }
        body.append("</Buckets></ListAllMyBucketsResult>");
        LoopbackServer.respond(exchange, 200, "application/xml", headers, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>";
    }

    @Override
    public void close() {
        server.close();
    }
}
