package xrayasync.localcloud.core.s3;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import xrayasync.localcloud.core.http.ServiceException;

/**
 * The data of an {@code aws-chunked} body (SigV4 streaming, "Uploading objects with trailing checksums"), decoded as
 * it is read: {@code <hex size>[;chunk-signature=…]\r\n<data>\r\n} up to a chunk of size 0, then the trailing
 * headers, one per line, up to an empty line. Chunk signatures are not checked (nothing here checks a signature).
 */
final class AwsChunkedInputStream extends InputStream {

    private static final int LONGEST_LINE = 8192;

    private final InputStream framed;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private long position;
    private long leftInChunk;
    private boolean ended;

    AwsChunkedInputStream(InputStream framed) {
        this.framed = new BufferedInputStream(framed, 1 << 16);
    }

    /** The trailing headers, by lower-case name; complete once the data has been read to its end. */
    Map<String, String> trailers() {
        return trailers;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (leftInChunk == 0 && !ended) {
            startChunk();
        }
        if (ended) {
            return -1;
        }
        int read = framed.read(buffer, offset, (int) Math.min(length, leftInChunk));
        if (read < 0) {
            throw incomplete();
        }
        position += read;
        leftInChunk -= read;
        if (leftInChunk == 0 && !readLine().isEmpty()) {
            throw malformed("a chunk's data must end with CRLF");
        }
        return read;
    }

    private void startChunk() throws IOException {
        String header = readLine();
        long size;
        try {
            size = Long.parseLong(header.split(";", 2)[0].trim(), 16);
        } catch (NumberFormatException notHex) {
            size = -1;
        }
        if (size < 0) {
            throw malformed("a chunk must begin with its size in hexadecimal");
        }
        if (size > 0) {
            leftInChunk = size;
            return;
        }
        ended = true;
        for (String line = readLineOrEnd(); line != null && !line.isEmpty(); line = readLineOrEnd()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
    }

    private String readLine() throws IOException {
        String line = readLineOrEnd();
        if (line == null) {
            throw incomplete();
        }
        return line;
    }

    /** A line without its CRLF, or null at the end of the body. */
    private String readLineOrEnd() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int next = framed.read(); next != '\n'; next = framed.read()) {
            if (next < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            position++;
            if (line.length() == LONGEST_LINE) {
                throw malformed("a chunk header or trailer is longer than " + LONGEST_LINE + " bytes");
            }
            line.append((char) next);
        }
        position++;
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        return line.substring(0, end);
    }

    private ServiceException malformed(String rule) {
        return new ServiceException(400, "IncompleteBody", "The aws-chunked body is malformed at byte " + position
                + ": " + rule + ".");
    }

    private static ServiceException incomplete() {
        return new ServiceException(400, "IncompleteBody", "You did not provide the number of bytes specified by the"
                + " Content-Length HTTP header.");
    }

    @Override
    public void close() throws IOException {
        framed.close();
    }
}
