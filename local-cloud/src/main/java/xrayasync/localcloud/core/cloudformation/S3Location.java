package xrayasync.localcloud.core.cloudformation;

import java.net.URI;
import java.util.Optional;

/** A bucket and key, as a template's CodeUri or a TemplateURL names them. */
public record S3Location(String bucket, String key) {

    /** From s3://bucket/key or an https or http URL (path-style, or the bucket in the host). */
    public static Optional<S3Location> of(String url) {
        if (url.startsWith("s3://")) {
            String rest = url.substring("s3://".length());
            int slash = rest.indexOf('/');
            return slash < 1 ? Optional.empty()
                    : Optional.of(new S3Location(rest.substring(0, slash), rest.substring(slash + 1)));
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            return Optional.empty();
        }
        URI uri = URI.create(url);
        String path = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
        String host = uri.getHost() == null ? "" : uri.getHost();
        int dotS3 = host.indexOf(".s3.");
        if (dotS3 > 0 || host.endsWith(".s3.amazonaws.com")) {
            return Optional.of(new S3Location(host.substring(0, host.indexOf(".s3")), path));
        }
        int slash = path.indexOf('/');
        return slash < 1 ? Optional.empty()
                : Optional.of(new S3Location(path.substring(0, slash), path.substring(slash + 1)));
    }
}
