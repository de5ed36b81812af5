package xrayasync.localcloud.core.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.RequestContext;

/**
 * The bytes of an upload (PutObject, UploadPart) as S3 stores them: the body as sent, or, for the {@code aws-chunked}
 * encoding current SDKs use for streams (SigV4 streaming, "Uploading objects with trailing checksums"), the chunks'
 * data without their framing, and the trailing headers after the last chunk. A checksum the client sent, as a header
 * or a trailer, is checked as S3 checks it (CRC32, CRC32C, SHA-1, SHA-256); a mismatch is S3's BadDigest.
 */
final class UploadedBody {

    private static final Map<String, Function<byte[], byte[]>> CHECKSUMS = Map.of(
            "x-amz-checksum-crc32", bytes -> crc(new CRC32(), bytes),
            "x-amz-checksum-crc32c", bytes -> crc(new CRC32C(), bytes),
            "x-amz-checksum-sha1", bytes -> digest("SHA-1", bytes),
            "x-amz-checksum-sha256", bytes -> digest("SHA-256", bytes));

    private UploadedBody() {
    }

    static byte[] read(RequestContext context) {
        byte[] body = context.body();
        Map<String, String> trailers = new LinkedHashMap<>();
        String encoding = String.valueOf(context.header("Content-Encoding")).toLowerCase(Locale.ROOT);
        String contentSha = String.valueOf(context.header("x-amz-content-sha256"));
        if (encoding.contains("aws-chunked") || contentSha.startsWith("STREAMING-")) {
            body = unchunk(body, trailers);
        }
        byte[] data = body;
        CHECKSUMS.forEach((name, compute) -> {
            String expected = trailers.getOrDefault(name, context.header(name));
            if (expected != null && !expected.equals(Base64.getEncoder().encodeToString(compute.apply(data)))) {
                throw new ServiceException(400, "BadDigest", "The " + name.substring("x-amz-checksum-".length())
                        .toUpperCase(Locale.ROOT) + " you specified did not match the calculated checksum.");
            }
        });
        return data;
    }

    /** The data of an aws-chunked body: {@code <hex size>[;chunk-signature=…]\r\n<data>\r\n}, up to size 0. */
    private static byte[] unchunk(byte[] body, Map<String, String> trailers) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = lineEnd(body, at);
            String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size;
            try {
                size = Integer.parseInt(header.split(";", 2)[0].trim(), 16);
            } catch (NumberFormatException malformed) {
                throw new ServiceException(400, "IncompleteBody", "The aws-chunked body is malformed at byte " + at
                        + ": a chunk must begin with its size in hexadecimal.");
            }
            at = lineEnd + 2;
            if (size == 0) {
                break;
            }
            if (at + size > body.length) {
                throw new ServiceException(400, "IncompleteBody", "You did not provide the number of bytes specified"
                        + " by the Content-Length HTTP header.");
            }
            data.write(body, at, size);
            at += size + 2;
        }
        while (at < body.length) {
            int lineEnd = lineEnd(body, at);
            String line = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int colon = line.indexOf(':');
            if (colon > 0) {
                trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            at = lineEnd + 2;
        }
        return data.toByteArray();
    }

    private static int lineEnd(byte[] body, int from) {
        for (int at = from; at + 1 < body.length; at++) {
            if (body[at] == '\r' && body[at + 1] == '\n') {
                return at;
            }
        }
        return body.length;
    }

    private static byte[] crc(Checksum checksum, byte[] bytes) {
        checksum.update(bytes, 0, bytes.length);
        long value = checksum.getValue();
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
