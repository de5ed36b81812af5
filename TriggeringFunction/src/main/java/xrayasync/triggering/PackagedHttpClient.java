package xrayasync.triggering;

import java.util.List;
import java.util.ServiceLoader;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpService;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** The one synchronous HTTP client the function's package carries, built once and shared by its SDK clients. */
final class PackagedHttpClient {

    private PackagedHttpClient() {
    }

    /**
     * Builds the client of the only SdkHttpService in the package: the pom picks it (url-connection-client), and the
     * benchmark measures another (aws-crt-client) by swapping the jars, with no code change.
     */
    static SdkHttpClient create() {
        List<SdkHttpService> services = ServiceLoader.load(SdkHttpService.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (services.size() != 1) {
            throw new IllegalStateException("The function's package carries " + services.size() + " HTTP clients for"
                    + " the AWS SDK " + services.stream().map(service -> service.getClass().getName()).toList()
                    + ", and needs exactly one: keep url-connection-client, and exclude apache-client, apache5-client"
                    + " and netty-nio-client from the SDK dependencies in pom.xml.");
        }
        return services.getFirst().createHttpClientBuilder().build();
    }
}
