package xrayasync.localcloud.harness;

import java.nio.file.Path;

/**
 * The repository's root folder: the {@code project.root} system property where the build sets it (tests run in a
 * module's folder), else the working folder, where the README's commands run.
 */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path locate() {
        return Path.of(System.getProperty("project.root", "")).toAbsolutePath().normalize();
    }
}
