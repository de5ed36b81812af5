package xrayasync.localcloud.core.sqs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests SQS returns so a client can check what it received: of the body's UTF-8 bytes, and of the message
 * (or system) attributes encoded as the Amazon SQS Developer Guide's "Calculating the MD5 message digest for message
 * attributes" lays down
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation):
 * the attributes sorted by name, each as its name, its data type (each a 4-byte big-endian length and UTF-8 bytes),
 * one transport byte (1 for String and Number, 2 for Binary, custom types by their base type) and its value (a 4-byte
 * length and the UTF-8 string or the binary bytes).
 */
final class MessageChecksums {

    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private MessageChecksums() {
    }

    static String ofBody(String body) {
        return md5(body.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of the attributes, or null when there are none (SQS then returns no digest). */
    static String ofAttributes(Map<String, SqsService.AttributeValue> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        new TreeMap<>(attributes).forEach((name, value) -> {
            lengthAndBytes(encoded, name.getBytes(StandardCharsets.UTF_8));
            lengthAndBytes(encoded, value.dataType().getBytes(StandardCharsets.UTF_8));
            if (value.isBinary()) {
                encoded.write(BINARY_TRANSPORT);
                lengthAndBytes(encoded, value.binaryValue());
            } else {
                encoded.write(STRING_TRANSPORT);
                lengthAndBytes(encoded, value.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        });
        return md5(encoded.toByteArray());
    }

    private static void lengthAndBytes(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every Java platform has MD5", impossible);
        }
    }
}
