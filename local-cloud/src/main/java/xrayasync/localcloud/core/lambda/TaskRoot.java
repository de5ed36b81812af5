package xrayasync.localcloud.core.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import xrayasync.localcloud.core.template.FunctionDefinition;

/**
 * A function's code as Lambda unpacks it in /var/task: the sam build layout, classes at the top and the runtime
 * jars under lib/, assembled from the function project's target/classes and target/dependency.
 */
public final class TaskRoot {

    private TaskRoot() {
    }

    public static Path assemble(FunctionDefinition function, Path workDirectory) throws IOException {
        Path classes = function.codeDirectory().resolve("target/classes");
        Path dependencies = function.codeDirectory().resolve("target/dependency");
        if (!Files.isDirectory(classes) || !Files.isDirectory(dependencies)) {
            throw new IllegalStateException(function.logicalId() + " is not built: " + classes + " and "
                    + dependencies + " must exist. Build it first with ./mvnw package (the same layout sam build packs).");
        }
        Path root = workDirectory.resolve(function.logicalId());
        deleteRecursively(root);
        copyTree(classes, root);
        copyTree(dependencies, root.resolve("lib"));
        return root;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            files.forEach(file -> {
                Path destination = target.resolve(source.relativize(file).toString());
                try {
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException failure) {
                    throw new UncheckedIOException(failure);
                }
            });
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
