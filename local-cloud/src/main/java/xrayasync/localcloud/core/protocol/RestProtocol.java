package xrayasync.localcloud.core.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingKnownType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.PayloadTrait;
import software.amazon.awssdk.core.traits.TimestampFormatTrait.Format;
import software.amazon.awssdk.protocols.xml.AwsXmlProtocolFactory;
import xrayasync.localcloud.core.http.EdgeRequest;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ResponseBody;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.http.WireProtocol;

/**
 * AWS REST-JSON (Lambda, X-Ray) and REST-XML (S3): the operation found by method and URI template, members in the
 * path, the query, headers and the status code as their locations say, and the payload either one member marked as
 * the payload (raw bytes, a string, or a structure) or the other members in a JSON object or an XML document.
 */
public final class RestProtocol implements ModelProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final RestProtocol JSON_PAYLOAD = new RestProtocol(false);
    public static final RestProtocol XML_PAYLOAD = new RestProtocol(true);

    private final boolean xml;

    private RestProtocol(boolean xml) {
        this.xml = xml;
    }

    @Override
    public WireProtocol errors() {
        return xml ? WireProtocol.REST_XML : WireProtocol.REST_JSON;
    }

    @Override
    public Optional<Call> route(ServiceModel model, EdgeRequest request, Predicate<Operation> served) {
        QueryString query = QueryString.parse(request.rawQuery());
        String method = request.method();
        return model.operations().stream()
                .map(RestRoute::of)
                .sorted(Comparator.comparingInt(RestRoute::specificity).reversed()
                        .thenComparing(route -> !served.test(route.operation())))
                .flatMap(route -> route.match(method, request.rawPath(), query, name -> request.header(name) != null)
                        .map(variables -> new Call(route.operation(), variables)).stream())
                .findFirst();
    }

    @Override
    public SdkRequest read(Call call, EdgeRequest request) {
        SdkPojo builder = call.operation().requestBuilder();
        QueryString query = QueryString.parse(request.rawQuery());
        boolean implicitPayload = false;
        for (SdkField<?> field : builder.sdkFields()) {
            Object value = switch (field.location()) {
                case PATH, GREEDY_PATH -> {
                    String text = call.pathVariables().get(field.locationName());
                    yield text == null ? null : WireValues.parse(field, text, Format.ISO_8601);
                }
                case QUERY_PARAM -> queryValue(field, query);
                case HEADER -> headerValue(field, request);
                case PAYLOAD -> {
                    if (!field.containsTrait(PayloadTrait.class)) {
                        implicitPayload = true;
                        yield null;
                    }
                    yield explicitPayload(field, request.body());
                }
                default -> null;
            };
            if (value != null) {
                field.set(builder, value);
            }
        }
        if (implicitPayload && request.body().length > 0) {
            readPayload(request.body(), builder);
        }
        return JsonShapes.build(builder);
    }

    private static Object queryValue(SdkField<?> field, QueryString query) {
        List<String> values = query.all(field.locationName());
        if (values.isEmpty()) {
            return null;
        }
        if (WireValues.type(field) == MarshallingKnownType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            return values.stream().map(value -> WireValues.parse(member, value, Format.ISO_8601)).toList();
        }
        return WireValues.parse(field, values.getFirst(), Format.ISO_8601);
    }

    private static Object headerValue(SdkField<?> field, EdgeRequest request) {
        switch (WireValues.type(field)) {
            case MAP -> {
                // A prefixed family of headers, such as S3's x-amz-meta-*.
                String prefix = field.locationName().toLowerCase(Locale.ROOT);
                Map<String, String> values = new LinkedHashMap<>();
                request.exchange().getRequestHeaders().forEach((name, all) -> {
                    if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                        values.put(name.substring(prefix.length()).toLowerCase(Locale.ROOT), all.getFirst());
                    }
                });
                return values.isEmpty() ? null : values;
            }
            case LIST -> {
                String text = request.header(field.locationName());
                SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
                return text == null ? null : List.of(text.split(",")).stream()
                        .map(part -> WireValues.parse(member, part.trim(), Format.RFC_822)).toList();
            }
            default -> {
                String text = request.header(field.locationName());
                return text == null ? null : WireValues.parse(field, text, Format.RFC_822);
            }
        }
    }

    private Object explicitPayload(SdkField<?> field, byte[] body) {
        return switch (WireValues.type(field)) {
            case SDK_BYTES -> SdkBytes.fromByteArray(body);
            case STRING -> body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
            case SDK_POJO -> {
                if (body.length == 0) {
                    yield null;
                }
                SdkPojo member = field.constructor().get();
                readPayload(body, member);
                yield JsonShapes.build(member);
            }
            default -> throw new IllegalStateException("No payload form for " + field.memberName());
        };
    }

    private void readPayload(byte[] body, SdkPojo builder) {
        if (xml) {
            XmlShapes.readMembers(XmlShapes.parse(body), builder);
            return;
        }
        try {
            JsonShapes.readMembers(JSON.readTree(body), builder);
        } catch (IOException | IllegalArgumentException malformed) {
            throw new ServiceException(400, "SerializationException", "The request body is not a JSON object: "
                    + malformed.getMessage());
        }
    }

    @Override
    public void answer(EdgeRequest request, Call call, SdkResponse response, RequestContext context)
            throws IOException {
        int status = 200;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(xml ? "x-amz-request-id" : "x-amzn-RequestId", context.requestId());
        headers.putAll(headers(response));
        byte[] body = new byte[0];
        boolean implicitPayload = false;
        for (SdkField<?> field : response.sdkFields()) {
            Object value = field.getValueOrDefault(response);
            boolean set = JsonShapes.isSet(value);
            if (field.location() == MarshallLocation.PAYLOAD && !field.containsTrait(PayloadTrait.class)) {
                implicitPayload = true;
            } else if (!set) {
                continue;
            } else if (field.location() == MarshallLocation.STATUS_CODE) {
                status = (Integer) value;
            } else if (field.location() == MarshallLocation.PAYLOAD) {
                body = explicitPayload(call, field, value);
            }
        }
        if (implicitPayload) {
            body = xml ? XmlShapes.document(call.operation().name() + "Result", namespace(call),
                    out -> XmlShapes.writeMembers(out, response)) : JSON.writeValueAsBytes(JsonShapes.write(response));
        }
        if (context.status() != null) {
            status = context.status();
        }
        LoopbackServer.respond(request.exchange(), status, xml ? "application/xml" : "application/json", headers,
                context.streamingOutput() != null ? context.streamingOutput() : ResponseBody.of(body));
    }

    /**
     * The members of a response that travel as headers, under their wire names: an answer's, and those an error
     * carries (S3's Content-Range on a 416, its ETag on a 304).
     */
    public static Map<String, String> headers(SdkPojo response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (SdkField<?> field : response.sdkFields()) {
            Object value = field.getValueOrDefault(response);
            if (field.location() == MarshallLocation.HEADER && JsonShapes.isSet(value)) {
                putHeader(headers, field, value);
            }
        }
        return headers;
    }

    private static void putHeader(Map<String, String> headers, SdkField<?> field, Object value) {
        switch (value) {
            case Map<?, ?> family -> family.forEach((name, text) -> headers.put(field.locationName() + name,
                    String.valueOf(text)));
            case List<?> list -> headers.put(field.locationName(), list.stream()
                    .map(member -> WireValues.text(field.getRequiredTrait(ListTrait.class).memberFieldInfo(), member,
                            Format.RFC_822))
                    .collect(Collectors.joining(",")));
            default -> headers.put(field.locationName(), WireValues.text(field, value, Format.RFC_822));
        }
    }

    private byte[] explicitPayload(Call call, SdkField<?> field, Object value) throws IOException {
        return switch (value) {
            case SdkBytes bytes -> bytes.asByteArray();
            case String text -> text.getBytes(StandardCharsets.UTF_8);
            case SdkPojo pojo -> xml ? XmlShapes.document(field.locationName(), namespace(call),
                    out -> XmlShapes.writeMembers(out, pojo)) : JSON.writeValueAsBytes(JsonShapes.write(pojo));
            default -> throw new IllegalStateException("No payload form for " + field.memberName());
        };
    }

    private static String namespace(Call call) {
        return call.operation().binding().addtionalMetadata(AwsXmlProtocolFactory.XML_NAMESPACE_ATTRIBUTE);
    }
}
