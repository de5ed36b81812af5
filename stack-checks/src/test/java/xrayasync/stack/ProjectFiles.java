package xrayasync.stack;

import java.nio.file.Path;

/** Where the repository's own files are, as the build passes it to the tests. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    static Path root() {
        return Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    }
}
