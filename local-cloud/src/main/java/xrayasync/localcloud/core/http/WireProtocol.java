package xrayasync.localcloud.core.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private final String contentType;

    WireProtocol(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** Answers the exchange with the error, in this protocol's shape. */
    public void respond(HttpExchange exchange, ServiceException error) throws IOException {
        String requestId = UUID.randomUUID().toString();
        LoopbackServer.respond(exchange, error.status(), contentType, headers(error, requestId), body(error, requestId));
    }

    /** Runs a service's handler, answering what it throws in this protocol: its errors, and any failure as a 500. */
    public void handle(String service, HttpHandler handler, HttpExchange exchange) throws IOException {
        try {
            handler.handle(exchange);
        } catch (ServiceException error) {
            respond(exchange, error);
        } catch (IOException | RuntimeException failure) {
            respond(exchange, new ServiceException(500, "ServiceException", service + " failed: " + failure.getMessage()));
        }
    }

    abstract byte[] body(ServiceException error, String requestId) throws JsonProcessingException;

    abstract Map<String, String> headers(ServiceException error, String requestId);
}
