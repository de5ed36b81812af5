package xrayasync.localcloud.core.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The digests SQS returns, against values computed independently of this code (the aws-md5-of-message-attributes
 * package's published examples) and the MD5 of a body.
 */
class MessageChecksumsTest {

    private static final SqsService.AttributeValue TEXT = new SqsService.AttributeValue("String", "attribValue 1",
            null);
    private static final SqsService.AttributeValue CUSTOM_NUMBER = new SqsService.AttributeValue("Number.float",
            "4563442423554324324264524243.32543234", null);
    private static final SqsService.AttributeValue BINARY = new SqsService.AttributeValue("Binary", null,
            "Hello binary world!".getBytes(StandardCharsets.UTF_8));

    @Test
    void aStringAttribute() {
        assertEquals("19e27d4e946b072f3f58da80d94fd778", MessageChecksums.ofAttributes(Map.of("attribName1", TEXT)));
    }

    @Test
    void aCustomNumberTypeIsSentAsAString() {
        assertEquals("9fe1b90bbd9965bdf77bac517c7d2495",
                MessageChecksums.ofAttributes(Map.of("customNumberTypeAttrib", CUSTOM_NUMBER)));
    }

    @Test
    void aBinaryAttribute() {
        assertEquals("31a92b15d92f8db860eda32aceb656c3",
                MessageChecksums.ofAttributes(Map.of("binaryAttribute", BINARY)));
    }

    @Test
    void severalAttributesAreDigestedInNameOrder() {
        assertEquals("c932db14a896c663f83c260297d594ff", MessageChecksums.ofAttributes(Map.of("attribName1", TEXT,
                "customNumberTypeAttrib", CUSTOM_NUMBER, "binaryAttribute", BINARY)));
    }

    @Test
    void noAttributesHaveNoDigest() {
        assertNull(MessageChecksums.ofAttributes(Map.of()));
    }

    @Test
    void theBodysDigestIsOfItsUtf8Bytes() {
        assertEquals("5d41402abc4b2a76b9719d911017c592", MessageChecksums.ofBody("hello"));
    }
}
