package xrayasync.localcloud.core.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** How each protocol a local service speaks puts an error on the wire; the one place errors are rendered. */
public enum WireProtocol {

    /**
     * AWS REST-JSON (Lambda, X-Ray): the error code in {@code x-amzn-ErrorType}, a JSON body with the message. Lambda
     * adds {@code Type} (User or Service); the SDKs and the CLI read {@code message} whatever the service.
     */
    REST_JSON("application/json") {
        @Override
        byte[] body(ServiceException error, String requestId) throws JsonProcessingException {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("Type", error.status() < 500 ? "User" : "Service");
            body.put("message", error.getMessage());
            return JSON.writeValueAsBytes(body);
        }

        @Override
        Map<String, String> headers(ServiceException error, String requestId) {
            return Map.of("x-amzn-ErrorType", error.errorCode(), "x-amzn-RequestId", requestId);
        }
    },

    /**
     * AWS JSON 1.0 and 1.1 (CloudWatch Logs, SQS, …): the error code in the body's {@code __type}, and in
     * {@code x-amzn-ErrorType} too, as the services send it. A query-compatible service's error also carries its query
     * code and fault in {@code x-amzn-query-error} ({@code AWS.SimpleQueueService.NonExistentQueue;Sender}): botocore
     * and the Java SDK report that code as the error's code, and pick the exception class by {@code __type}.
     */
    AWS_JSON("application/x-amz-json-1.1") {
        @Override
        byte[] body(ServiceException error, String requestId) throws JsonProcessingException {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("__type", error.errorCode());
            body.put("message", error.getMessage());
            return JSON.writeValueAsBytes(body);
        }

        @Override
        Map<String, String> headers(ServiceException error, String requestId) {
            return error.queryCompatible()
                    ? Map.of("x-amzn-ErrorType", error.errorCode(), "x-amzn-RequestId", requestId,
                            "x-amzn-query-error", error.queryErrorCode() + ";" + error.fault())
                    : Map.of("x-amzn-ErrorType", error.errorCode(), "x-amzn-RequestId", requestId);
        }
    },

    /**
     * The AWS query protocol (CloudFormation, STS, …): an {@code ErrorResponse} document with the error's Type (Sender
     * for the caller's mistakes, Receiver for the service's), Code and Message, and the RequestId.
     */
    QUERY("text/xml") {
        @Override
        byte[] body(ServiceException error, String requestId) throws JsonProcessingException {
            return XML.writeValueAsBytes(new QueryErrorResponse(new QueryError(error.fault(), error.queryErrorCode(),
                    error.getMessage()), requestId));
        }

        @Override
        Map<String, String> headers(ServiceException error, String requestId) {
            return Map.of("x-amzn-RequestId", requestId);
        }
    },

    /** AWS REST-XML (S3): an {@code <Error>} document with Code, Message and RequestId. */
    REST_XML("application/xml") {
        @Override
        byte[] body(ServiceException error, String requestId) throws JsonProcessingException {
            return XML.writeValueAsBytes(new XmlError(error.errorCode(), error.getMessage(), requestId));
        }

        @Override
        Map<String, String> headers(ServiceException error, String requestId) {
            return Map.of("x-amz-request-id", requestId);
        }
    },

    /** The Lambda Runtime API: {@code errorMessage} and {@code errorType}, as the runtime clients read them. */
    RUNTIME_API("application/json") {
        @Override
        byte[] body(ServiceException error, String requestId) throws JsonProcessingException {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("errorMessage", error.getMessage());
            body.put("errorType", error.errorCode());
            return JSON.writeValueAsBytes(body);
        }

        @Override
        Map<String, String> headers(ServiceException error, String requestId) {
            return Map.of();
        }
    };

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final XmlMapper XML = XmlMapper.builder().enable(ToXmlGenerator.Feature.WRITE_XML_DECLARATION)
            .build();

    @JacksonXmlRootElement(localName = "Error")
    private record XmlError(@JsonProperty("Code") String code, @JsonProperty("Message") String message,
            @JsonProperty("RequestId") String requestId) {
    }

    @JacksonXmlRootElement(localName = "ErrorResponse")
    private record QueryErrorResponse(@JsonProperty("Error") QueryError error,
            @JsonProperty("RequestId") String requestId) {
    }

    private record QueryError(@JsonProperty("Type") String type, @JsonProperty("Code") String code,
            @JsonProperty("Message") String message) {
    }

    // Services whose REST protocol is XML (the rest of the REST services speak JSON).
    private static final Set<String> REST_XML_SERVICES = Set.of("s3", "s3control", "cloudfront", "route53");

    private final String contentType;

    WireProtocol(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * The protocol a request to a service the cloud does not know was sent in, so its error reaches the client in a
     * shape the client parses: a target header is AWS JSON, a form body is the query protocol, and a REST request is
     * XML for the few REST-XML services and JSON for the others.
     */
    public static WireProtocol of(HttpExchange exchange, String signingName) {
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (exchange.getRequestHeaders().containsKey("X-Amz-Target")) {
            return AWS_JSON;
        } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
            return QUERY;
        }
        return REST_XML_SERVICES.contains(signingName) ? REST_XML : REST_JSON;
    }

    /** Answers the exchange with the error, in this protocol's shape. */
    public void respond(HttpExchange exchange, ServiceException error) throws IOException {
        String requestId = UUID.randomUUID().toString();
        Map<String, String> headers = new LinkedHashMap<>(error.headers());
        headers.putAll(headers(error, requestId));
        LoopbackServer.respond(exchange, error.status(), contentType, headers, body(error, requestId));
    }

    /** Runs a service's handler, answering what it throws in this protocol: its errors, and any failure as a 500. */
    public void handle(String service, HttpExchange exchange, Answer answer) throws IOException {
        try {
            answer.run();
        } catch (ServiceException error) {
            respond(exchange, error);
        } catch (IOException | RuntimeException failure) {
            respond(exchange, new ServiceException(500, "ServiceException", service + " failed: " + failure.getMessage()));
        }
    }

    /** The work of answering a request, which may fail with a {@link ServiceException} or any other failure. */
    @FunctionalInterface
    public interface Answer {
        void run() throws IOException;
    }

    abstract byte[] body(ServiceException error, String requestId) throws JsonProcessingException;

    abstract Map<String, String> headers(ServiceException error, String requestId);
}
