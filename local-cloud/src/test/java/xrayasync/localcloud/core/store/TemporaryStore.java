package xrayasync.localcloud.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A store of its own for each test, in a folder removed afterwards: {@code @RegisterExtension}. */
public final class TemporaryStore implements BeforeEachCallback, AfterEachCallback {

    private Path folder;
    private Store store;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("store-test");
        store = Store.open(folder);
    }

    /** The test's store, open from before the test until after it. */
    public Store store() {
        return store;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
