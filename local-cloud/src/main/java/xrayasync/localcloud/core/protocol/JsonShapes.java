package xrayasync.localcloud.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TimestampFormatTrait.Format;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * The AWS SDK's model objects as the JSON protocols (AWS JSON 1.0 and 1.1, REST-JSON) put them in a body, written and
 * read from the models' field metadata: each payload member under its wire name, timestamps as epoch seconds unless
 * the member says otherwise, bytes as base64, unset members left out.
 */
public final class JsonShapes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonShapes() {
    }

    /** The payload members of a model object as a JSON object. */
    public static ObjectNode write(SdkPojo pojo) {
        ObjectNode object = NODES.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (field.location() == MarshallLocation.PAYLOAD && isSet(value)) {
                object.set(field.locationName(), value(field, value));
            }
        }
        return object;
    }

    /** Lists and maps the SDK made up for an unset member are unset, not empty. */
    static boolean isSet(Object value) {
        return value != null && !(value instanceof SdkAutoConstructList<?>) && !(value instanceof SdkAutoConstructMap<?, ?>);
    }

    private static JsonNode value(SdkField<?> field, Object value) {
        return switch (value) {
            case SdkPojo pojo -> write(pojo);
            case List<?> list -> {
                SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
                ArrayNode array = NODES.arrayNode();
                list.forEach(element -> array.add(element == null ? NODES.nullNode() : value(member, element)));
                yield array;
            }
            case Map<?, ?> map -> {
                SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
                ObjectNode object = NODES.objectNode();
                map.forEach((key, element) -> object.set(key.toString(), element == null ? NODES.nullNode()
                        : value(member, element)));
                yield object;
            }
            case Instant instant -> switch (WireValues.timestampFormat(field, Format.UNIX_TIMESTAMP)) {
                case UNIX_TIMESTAMP -> NODES.numberNode(WireValues.epochSeconds(instant));
                case UNIX_TIMESTAMP_MILLIS -> NODES.numberNode(instant.toEpochMilli());
                case ISO_8601, RFC_822 -> NODES.textNode(WireValues.text(field, instant, Format.UNIX_TIMESTAMP));
            };
            case SdkBytes bytes -> NODES.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
            case String text -> NODES.textNode(text);
            case Boolean flag -> NODES.booleanNode(flag);
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case Short number -> NODES.numberNode(number);
            case Byte number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            case Float number -> NODES.numberNode(number);
            case BigDecimal number -> NODES.numberNode(number);
            default -> throw new IllegalStateException("No JSON form for " + field.memberName() + ": " + value.getClass());
        };
    }

    /** Reads a JSON object into a model object's builder, then builds it. */
    public static <T> T read(JsonNode object, SdkPojo builder) {
        readMembers(object, builder);
        return build(builder);
    }

    /** Reads a JSON object's members into a model object's payload members (null: none). */
    static void readMembers(JsonNode object, SdkPojo builder) {
        if (object == null || object.isNull()) {
            return;
        }
        if (!object.isObject()) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
        for (SdkField<?> field : builder.sdkFields()) {
            JsonNode value = object.get(field.unmarshallLocationName());
            if (field.location() == MarshallLocation.PAYLOAD && value != null && !value.isNull()) {
                field.set(builder, read(field, value));
            }
        }
    }

    /** Builds a model object from its builder. */
    @SuppressWarnings("unchecked")
    static <T> T build(SdkPojo builder) {
        return ((SdkBuilder<?, T>) builder).build();
    }

    private static Object read(SdkField<?> field, JsonNode value) {
        return switch (WireValues.type(field)) {
            case SDK_POJO -> read(value, field.constructor().get());
            case LIST -> {
                SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
                List<Object> list = new ArrayList<>();
                value.forEach(element -> list.add(element.isNull() ? null : read(member, element)));
                yield list;
            }
            case MAP -> {
                SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
                Map<String, Object> map = new LinkedHashMap<>();
                value.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().isNull() ? null
                        : read(member, entry.getValue())));
                yield map;
            }
            case INSTANT -> value.isNumber()
                    ? switch (WireValues.timestampFormat(field, Format.UNIX_TIMESTAMP)) {
                        case UNIX_TIMESTAMP_MILLIS -> Instant.ofEpochMilli(value.asLong());
                        default -> WireValues.fromEpochSeconds(value.decimalValue());
                    }
                    : WireValues.parse(field, value.asText(), Format.ISO_8601);
            case BOOLEAN -> value.isBoolean() ? value.asBoolean() : WireValues.parse(field, value.asText(), Format.ISO_8601);
            case DOCUMENT -> throw new IllegalStateException("Document members are not read: " + field.memberName());
            default -> WireValues.parse(field, value.isTextual() ? value.asText() : value.toString(), Format.UNIX_TIMESTAMP);
        };
    }
}
