package xrayasync.localcloud.core.s3;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ServiceException;

/** The wire side of S3's ListBuckets ({@code GET /}) in S3's REST-XML protocol. */
public final class S3Api implements HttpHandler {

    private static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final XmlMapper XML = XmlMapper.builder().enable(ToXmlGenerator.Feature.WRITE_XML_DECLARATION).build();

    @JacksonXmlRootElement(localName = "ListAllMyBucketsResult", namespace = NAMESPACE)
    private record ListAllMyBucketsResult(
            @JacksonXmlProperty(localName = "Owner", namespace = NAMESPACE) Owner owner,
            @JacksonXmlElementWrapper(localName = "Buckets", namespace = NAMESPACE)
            @JacksonXmlProperty(localName = "Bucket", namespace = NAMESPACE) List<Bucket> buckets) {
    }

    private record Owner(@JacksonXmlProperty(localName = "ID", namespace = NAMESPACE) String id) {
    }

    private record Bucket(@JacksonXmlProperty(localName = "Name", namespace = NAMESPACE) String name,
            @JacksonXmlProperty(localName = "CreationDate", namespace = NAMESPACE) String creationDate) {
    }

    private final S3Service service;

    public S3Api(S3Service service) {
        this.service = service;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        try {
            service.received();
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            throw new ServiceException(503, "ServiceUnavailable", "The local cloud is shutting down.");
        }
        if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals("/")) {
            throw new ServiceException(501, "NotImplemented", "The local S3 serves ListBuckets (GET /) only.");
        }
        List<Bucket> buckets = service.listBuckets().stream()
                .map(bucket -> new Bucket(bucket.name(), bucket.creationDate().toString()))
                .toList();
        byte[] body = XML.writeValueAsBytes(new ListAllMyBucketsResult(new Owner("local-cloud"), buckets));
        LoopbackServer.respond(exchange, 200, "application/xml", Map.of("x-amz-request-id", requestId()), body);
    }

    // S3 request ids are 16 upper-case hex digits.
    private static String requestId() {
        return String.format(Locale.ROOT, "%016X", ThreadLocalRandom.current().nextLong());
    }
}
