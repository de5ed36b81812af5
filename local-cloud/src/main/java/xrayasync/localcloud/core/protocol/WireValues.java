package xrayasync.localcloud.core.protocol;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.protocol.MarshallingKnownType;
import software.amazon.awssdk.core.traits.TimestampFormatTrait;
import software.amazon.awssdk.core.traits.TimestampFormatTrait.Format;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * A model field's scalar value as text on the wire and back: numbers, booleans, bytes (base64) and timestamps in the
 * format the field's trait names, or else the protocol's default for where the value travels.
 */
final class WireValues {

    private static final DateTimeFormatter ISO_8601 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private WireValues() {
    }

    static MarshallingKnownType type(SdkField<?> field) {
        return field.marshallingType().getKnownType();
    }

    /** Whether values of this field are text on the wire (not a structure, list, map or document). */
    static boolean isScalar(SdkField<?> field) {
        return switch (type(field)) {
            case SDK_POJO, LIST, MAP, DOCUMENT -> false;
            default -> true;
        };
    }

    static Format timestampFormat(SdkField<?> field, Format protocolDefault) {
        return field.getOptionalTrait(TimestampFormatTrait.class).map(TimestampFormatTrait::format)
                .orElse(protocolDefault);
    }

    /** A scalar as text: what a header, a query parameter, a path segment or an XML element carries. */
    static String text(SdkField<?> field, Object value, Format timestamps) {
        return switch (value) {
            case Instant instant -> timestamp(instant, timestampFormat(field, timestamps));
            case SdkBytes bytes -> Base64.getEncoder().encodeToString(bytes.asByteArray());
            case Double number -> BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
            case Float number -> BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
            default -> value.toString();
        };
    }

    static String timestamp(Instant instant, Format format) {
        return switch (format) {
            case ISO_8601 -> ISO_8601.format(instant);
            case RFC_822 -> DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
            case UNIX_TIMESTAMP -> epochSeconds(instant).toPlainString();
            case UNIX_TIMESTAMP_MILLIS -> Long.toString(instant.toEpochMilli());
        };
    }

    /** Epoch seconds with the milliseconds as decimals, as the JSON protocols write timestamps. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3).stripTrailingZeros();
    }

    static Instant fromEpochSeconds(BigDecimal seconds) {
        return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    }

    /** A scalar from its text; a value that does not parse is the client's error, answered as AWS answers it. */
    static Object parse(SdkField<?> field, String text, Format timestamps) {
        String trimmed = text.trim();
        try {
            return switch (type(field)) {
                case STRING -> text;
                case INTEGER -> Integer.valueOf(trimmed);
                case LONG -> Long.valueOf(trimmed);
                case SHORT -> Short.valueOf(trimmed);
                case BYTE -> Byte.valueOf(trimmed);
                case DOUBLE -> Double.valueOf(trimmed);
                case FLOAT -> Float.valueOf(trimmed);
                case BIG_DECIMAL -> new BigDecimal(trimmed);
                case BOOLEAN -> Boolean.valueOf(trimmed);
                case SDK_BYTES -> SdkBytes.fromByteArray(Base64.getDecoder().decode(trimmed));
                case INSTANT -> instant(trimmed, timestampFormat(field, timestamps));
                default -> throw new IllegalStateException(field.memberName() + " is not a scalar field");
            };
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException malformed) {
            throw invalid(field, text);
        }
    }

    private static Instant instant(String text, Format format) {
        return switch (format) {
            case ISO_8601 -> Instant.parse(text.endsWith("Z") || text.contains("+") ? text : text + "Z");
            case RFC_822 -> DateTimeFormatter.RFC_1123_DATE_TIME.parse(text, Instant::from);
            case UNIX_TIMESTAMP -> fromEpochSeconds(new BigDecimal(text));
            case UNIX_TIMESTAMP_MILLIS -> Instant.ofEpochMilli(Long.parseLong(text));
        };
    }

    static ServiceException invalid(SdkField<?> field, String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return new ServiceException(400, "ValidationException", "'" + shown + "' is not a valid "
                + type(field).name().toLowerCase(Locale.ROOT) + " for " + field.locationName() + ".");
    }
}
