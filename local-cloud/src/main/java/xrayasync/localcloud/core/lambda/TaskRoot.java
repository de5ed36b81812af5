package xrayasync.localcloud.core.lambda;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import xrayasync.localcloud.core.template.FunctionDefinition;

/**
 * A function's code as Lambda unpacks it in /var/task: classes and resources at the top, the runtime jars under lib/.
 * It is assembled from either of the layouts a CodeUri folder can hold: what {@code sam build} writes (that same
 * layout, under .aws-sam/build), or a Maven build of the function project (target/classes and target/dependency).
 */
public final class TaskRoot {

    /**
     * The deployment package Lambda reports for the code: the zip's size and its SHA-256 (base64), of a zip of the
     * task root's files in name order with fixed entry times, so the same code always gives the same digest.
     */
    public record CodePackage(long size, String sha256) {

        public static CodePackage of(Path root) throws IOException {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
            CountingStream counter = new CountingStream();
            try (ZipOutputStream zip = new ZipOutputStream(new DigestOutputStream(counter, sha256));
                    Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    ZipEntry entry = new ZipEntry(root.relativize(file).toString());
                    entry.setTime(0);
                    zip.putNextEntry(entry);
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
            return new CodePackage(counter.count, Base64.getEncoder().encodeToString(sha256.digest()));
        }
    }

    private final Path directory;
    private CodePackage codePackage;

    private TaskRoot(Path directory) {
        this.directory = directory;
    }

    /** Assembles a function's code into the folder given, which it replaces. */
    public static TaskRoot assemble(FunctionDefinition function, Path root) throws IOException {
        Path code = function.codeDirectory();
        deleteRecursively(root);
        if (Files.isDirectory(code.resolve("target/classes")) && Files.isDirectory(code.resolve("target/dependency"))) {
            copyTree(code.resolve("target/classes"), root);
            copyTree(code.resolve("target/dependency"), root.resolve("lib"));
        } else if (isDeploymentLayout(code)) {
            copyTree(code, root);
        } else {
            throw new IllegalStateException(function.logicalId() + " is not built: " + code + " holds neither what"
                    + " sam build writes (classes and lib/) nor a Maven build (target/classes and target/dependency)."
                    + " Build it first with sam build, or with ./mvnw package.");
        }
        return new TaskRoot(root);
    }

    /** Whether a folder holds code as Lambda runs it: no project to build, and classes or jars under lib/. */
    public static boolean isDeploymentLayout(Path code) throws IOException {
        if (!Files.isDirectory(code) || Files.exists(code.resolve("pom.xml"))) {
            return false;
        }
        try (Stream<Path> files = Files.walk(code)) {
            return files.anyMatch(file -> file.toString().endsWith(".class")
                    || (file.getParent().equals(code.resolve("lib")) && file.toString().endsWith(".jar")));
        }
    }

    public Path directory() {
        return directory;
    }

    /** The code's deployment package, measured the first time it is asked for. */
    public synchronized CodePackage codePackage() {
        if (codePackage == null) {
            try {
                codePackage = CodePackage.of(directory);
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        }
        return codePackage;
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

    /** Deletes a folder and what it holds; one that is not there is deleted. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }
}
