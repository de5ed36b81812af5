package xrayasync.localcloud.core.s3;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.RestProtocol;

/**
 * Which bytes of an object a GET or HEAD answers with, decided as S3 decides it (S3 API reference, GetObject and
 * HeadObject; RFC 9110, sections 13.2.2 and 14): the preconditions first, then the whole object, a byte range or, for
 * {@code partNumber}, one part of the multipart upload that made it.
 *
 * @param partial whether the answer is a 206 with a Content-Range
 * @param partsCount the object's number of parts, reported when a part of a multipart object is read; else null
 */
record RequestedBytes(long first, long length, boolean partial, Integer partsCount) {

    /** The conditional headers of a GET or HEAD, null when absent. */
    record Preconditions(String ifMatch, String ifNoneMatch, Instant ifModifiedSince, Instant ifUnmodifiedSince) {
    }

    private static final Pattern BYTE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /**
     * Checks the preconditions, then picks the bytes.
     *
     * @param range the Range header, or null
     * @param partNumber the partNumber query parameter, or null
     */
    static RequestedBytes of(S3Service.ObjectHead head, Preconditions conditions, String range, Integer partNumber) {
        check(head, conditions);
        if (range != null && partNumber != null) {
            throw new ServiceException(400, "InvalidRequest", "Cannot specify both Range header and partNumber query"
                    + " parameter: ask for a byte range or for a part.");
        }
        if (partNumber != null) {
            return part(head, partNumber);
        }
        return range == null ? whole(head) : range(head, range);
    }

    /** The value of the answer's Content-Range. */
    String contentRange(long size) {
        return "bytes " + first + "-" + (first + length - 1) + "/" + size;
    }

    private static RequestedBytes whole(S3Service.ObjectHead head) {
        return new RequestedBytes(0, head.size(), false, null);
    }

    /**
     * RFC 9110 section 13.2.2's order, which S3 follows: If-Match (412 when no ETag matches), else If-Unmodified-Since
     * (412 when modified after it); then If-None-Match (304 when an ETag matches), else If-Modified-Since (304 when not
     * modified after it). So If-Match holding makes If-Unmodified-Since moot (200), and If-None-Match failing answers
     * 304 whatever If-Modified-Since says, as the GetObject reference spells out.
     */
    private static void check(S3Service.ObjectHead head, Preconditions conditions) {
        boolean precondition = conditions.ifMatch() != null ? matches(conditions.ifMatch(), head.etag())
                : conditions.ifUnmodifiedSince() == null || !head.lastModified().isAfter(conditions.ifUnmodifiedSince());
        if (!precondition) {
            throw new ServiceException(412, "PreconditionFailed", "At least one of the pre-conditions you specified"
                    + " did not hold");
        }
        boolean modified = conditions.ifNoneMatch() != null ? !matches(conditions.ifNoneMatch(), head.etag())
                : conditions.ifModifiedSince() == null || head.lastModified().isAfter(conditions.ifModifiedSince());
        if (!modified) {
            throw new ServiceException(304, "NotModified", "Not Modified", RestProtocol.headers(GetObjectResponse
                    .builder().eTag(head.etag()).lastModified(head.lastModified()).build()));
        }
    }

    /** Whether an If-Match or If-None-Match list names the ETag (quoted or not; {@code *} names any). */
    private static boolean matches(String listed, String etag) {
        for (String candidate : listed.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || unquoted(tag.startsWith("W/") ? tag.substring(2) : tag).equals(unquoted(etag))) {
                return true;
            }
        }
        return false;
    }

    private static String unquoted(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1)
                : tag;
    }

    /**
     * {@code bytes=first-last}, {@code bytes=first-} and {@code bytes=-suffix}: a last byte past the end is the end, a
     * suffix longer than the object is all of it. A first byte at or past the end, a suffix of 0, and any range of an
     * empty object (S3 answers those with 416, as MinIO's and Ceph's compatibility fixes record) are 416 InvalidRange
     * with {@code Content-Range: bytes *}{@code /size}. What S3 does not serve it ignores and answers the whole object:
     * several ranges ("Amazon S3 doesn't support retrieving multiple ranges of data per GET request"), another unit, a
     * range that is not valid syntax (RFC 9110 section 14.2).
     */
    private static RequestedBytes range(S3Service.ObjectHead head, String range) {
        Matcher bytes = BYTE_RANGE.matcher(range.trim());
        if (!bytes.matches() || bytes.group(1).isEmpty() && bytes.group(2).isEmpty()) {
            return whole(head);
        }
        long size = head.size();
        long first;
        long last;
        try {
            if (bytes.group(1).isEmpty()) {
                long suffix = Long.parseLong(bytes.group(2));
                first = suffix == 0 ? size : Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(bytes.group(1));
                last = bytes.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(bytes.group(2)));
                if (!bytes.group(2).isEmpty() && Long.parseLong(bytes.group(2)) < first) {
                    return whole(head);
                }
            }
        } catch (NumberFormatException tooLong) {
            return whole(head);
        }
        if (size == 0 || first >= size) {
            throw new ServiceException(416, "InvalidRange", "The requested range is not satisfiable",
                    RestProtocol.headers(GetObjectResponse.builder().contentRange("bytes */" + size).build()));
        }
        return new RequestedBytes(first, last - first + 1, true, null);
    }

    /**
     * Part N of a multipart object is the bytes it was uploaded with, and the answer counts the parts; an object put
     * whole has one part, all of it, and no count (as S3 answers; moto and the Ceph S3 tests agree). A part number
     * past the last is 416 InvalidPartNumber.
     */
    private static RequestedBytes part(S3Service.ObjectHead head, int partNumber) {
        if (partNumber < 1 || partNumber > S3Service.MAX_PART_NUMBER) {
            throw new ServiceException(400, "InvalidArgument", "Part number must be an integer between 1 and "
                    + S3Service.MAX_PART_NUMBER + ", inclusive");
        }
        if (partNumber > head.parts().size()) {
            throw new ServiceException(416, "InvalidPartNumber", "The requested partnumber is not satisfiable");
        }
        if (head.size() == 0) {
            return whole(head);
        }
        long first = head.parts().subList(0, partNumber - 1).stream().mapToLong(S3Service.Part::size).sum();
        return new RequestedBytes(first, head.parts().get(partNumber - 1).size(), true,
                head.multipart() ? head.parts().size() : null);
    }
}
