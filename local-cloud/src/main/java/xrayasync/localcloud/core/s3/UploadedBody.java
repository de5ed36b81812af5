package xrayasync.localcloud.core.s3;

import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.Checksum;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.RequestContext;

/**
 * The bytes of an upload (PutObject, UploadPart) as S3 stores them, streamed: the body as sent, or, for the
 * {@code aws-chunked} encoding current SDKs use for streams, its chunks' data ({@link AwsChunkedInputStream}). Its
 * MD5 (the ETag) and the checksums the client announced, as a header or in {@code x-amz-trailer} (CRC32, CRC32C,
 * SHA-1, SHA-256), are computed as the bytes pass; {@link #verify} then checks them, and a Content-MD5, as S3 does:
 * a mismatch is S3's BadDigest.
 */
final class UploadedBody {

    /** A checksum computed on the bytes that pass through the stream it wraps. */
    private interface RunningChecksum {
        InputStream wrap(InputStream bytes);

        byte[] value();
    }

    private static final Map<String, Supplier<RunningChecksum>> CHECKSUMS = Map.of(
            "x-amz-checksum-crc32", () -> crc(new CRC32()),
            "x-amz-checksum-crc32c", () -> crc(new CRC32C()),
            "x-amz-checksum-sha1", () -> digest("SHA-1"),
            "x-amz-checksum-sha256", () -> digest("SHA-256"));

    private final RequestContext context;
    private final AwsChunkedInputStream chunked;
    private final RunningChecksum md5 = digest("MD5");
    private final Map<String, RunningChecksum> checksums = new LinkedHashMap<>();
    private final InputStream stream;

    private UploadedBody(RequestContext context, InputStream data, AwsChunkedInputStream chunked) {
        this.context = context;
        this.chunked = chunked;
        Set<String> announced = Arrays.stream(String.valueOf(context.header("x-amz-trailer")).split(","))
                .map(name -> name.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        CHECKSUMS.forEach((name, checksum) -> {
            if (context.header(name) != null || announced.contains(name)) {
                checksums.put(name, checksum.get());
            }
        });
        InputStream checked = md5.wrap(data);
        for (RunningChecksum checksum : checksums.values()) {
            checked = checksum.wrap(checked);
        }
        stream = checked;
    }

    /** The upload's body, to be decoded as it is read. */
    static UploadedBody of(RequestContext context) {
        String encoding = String.valueOf(context.header("Content-Encoding")).toLowerCase(Locale.ROOT);
        String contentSha = String.valueOf(context.header("x-amz-content-sha256"));
        if (encoding.contains("aws-chunked") || contentSha.startsWith("STREAMING-")) {
            AwsChunkedInputStream chunked = new AwsChunkedInputStream(context.streamingInput());
            return new UploadedBody(context, chunked, chunked);
        }
        return new UploadedBody(context, context.streamingInput(), null);
    }

    /** The object's bytes, decoded and checksummed as they are read, once. */
    InputStream stream() {
        return stream;
    }

    /** Checks the bytes read, to their end, against the checksums and the length the client sent. */
    void verify(long size) {
        Map<String, String> trailers = chunked == null ? Map.of() : chunked.trailers();
        trailers.keySet().stream().filter(name -> CHECKSUMS.containsKey(name) && !checksums.containsKey(name))
                .findFirst().ifPresent(name -> {
                    throw new ServiceException(400, "InvalidRequest", "The trailing checksum " + name + " was not"
                            + " announced: name it in the x-amz-trailer header.");
                });
        checksums.forEach((name, checksum) -> {
            String expected = trailers.getOrDefault(name, context.header(name));
            if (expected != null && !expected.equals(Base64.getEncoder().encodeToString(checksum.value()))) {
                throw new ServiceException(400, "BadDigest", "The " + name.substring("x-amz-checksum-".length())
                        .toUpperCase(Locale.ROOT) + " you specified did not match the calculated checksum.");
            }
        });
        String decodedLength = context.header("x-amz-decoded-content-length");
        if (chunked != null && decodedLength != null && !decodedLength.equals(String.valueOf(size))) {
            throw new ServiceException(400, "IncompleteBody", "You did not provide the number of bytes specified by"
                    + " the x-amz-decoded-content-length HTTP header (" + decodedLength + "; " + size + " came).");
        }
        String contentMd5 = context.header("Content-MD5");
        if (contentMd5 != null && !contentMd5.trim().equals(Base64.getEncoder().encodeToString(md5.value()))) {
            throw new ServiceException(400, "BadDigest", "The Content-MD5 you specified did not match what we"
                    + " received.");
        }
    }

    /** The ETag S3 gives the bytes read: their MD5 in hexadecimal, quoted. */
    String etag() {
        return "\"" + HexFormat.of().formatHex(md5.value()) + "\"";
    }

    static byte[] md5(byte[] bytes) {
        return messageDigest("MD5").digest(bytes);
    }

    private static RunningChecksum crc(Checksum checksum) {
        return new RunningChecksum() {
            @Override
            public InputStream wrap(InputStream bytes) {
                return new CheckedInputStream(bytes, checksum);
            }

            @Override
            public byte[] value() {
                long value = checksum.getValue();
                return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
            }
        };
    }

    private static RunningChecksum digest(String algorithm) {
        MessageDigest digest = messageDigest(algorithm);
        return new RunningChecksum() {
            private byte[] value;

            @Override
            public InputStream wrap(InputStream bytes) {
                return new DigestInputStream(bytes, digest);
            }

            @Override
            public byte[] value() {
                if (value == null) {
                    value = digest.digest();
                }
                return value;
            }
        };
    }

    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
