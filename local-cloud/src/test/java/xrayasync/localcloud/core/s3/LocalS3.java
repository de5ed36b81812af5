package xrayasync.localcloud.core.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.http.EdgeRouter;
import xrayasync.localcloud.core.http.LoopbackServer;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.http.WireProtocol;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.store.Store;

/**
 * The local S3 alone on a loopback port, over a store in the given folder, with the AWS SDK's S3 client pointed at it
 * (path-style, as SDKs address a custom endpoint); restartable on the same folder.
 */
public final class LocalS3 implements AutoCloseable {

    private final Path folder;
    private Store store;
    private S3Service service;
    private LoopbackServer server;
    private S3Client client;

    public LocalS3(Path folder) throws IOException {
        this.folder = folder;
        start();
    }

    private void start() throws IOException {
        store = Store.open(folder);
        service = new S3Service(store);
        ModelledApi api = new S3Api(service, LocalCloud.Settings.REGION).wire();
        server = LoopbackServer.bind("s3", WireProtocol.REST_XML).serve(new EdgeRouter(List.of(
                new EdgeRouter.Service("s3", api.errors(), unsigned -> false, api)), request -> {
                    throw new ServiceException(404, "NotFound", "no such path");
                }));
        client = S3Client.builder().endpointOverride(server.endpoint()).region(Region.of(LocalCloud.Settings.REGION))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalCloud.ACCESS_KEY, LocalCloud.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Stops and starts again on the same store, as a restart of the cloud does. */
    public void restart() throws IOException {
        close();
        start();
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public S3Client client() {
        return client;
    }

    public S3Service service() {
        return service;
    }

    /** How many blobs the store holds: the bytes of objects and of parts not yet completed. */
    public long blobCount() throws IOException {
        try (Stream<Path> blobs = Files.list(folder.resolve("blobs"))) {
            return blobs.count();
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
        store.close();
    }
}
