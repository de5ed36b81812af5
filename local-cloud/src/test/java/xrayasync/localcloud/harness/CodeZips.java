package xrayasync.localcloud.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A function's deployment zip as {@code sam build} then {@code sam package} make it: the project's compiled classes and
 * resources at the root, its runtime jars under lib/ (from the Maven build of the function project).
 */
final class CodeZips {

    private CodeZips() {
    }

    static byte[] of(Path functionProject) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            add(zip, functionProject.resolve("target/classes"), "");
            add(zip, functionProject.resolve("target/dependency"), "lib/");
        }
        return bytes.toByteArray();
    }

    /** A zip that holds no code, only a text file. */
    static byte[] withoutCode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("no classes here".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static void add(ZipOutputStream zip, Path folder, String prefix) throws IOException {
        List<Path> files;
        try (Stream<Path> walked = Files.walk(folder)) {
            files = walked.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            zip.putNextEntry(new ZipEntry(prefix + folder.relativize(file).toString().replace('\\', '/')));
            Files.copy(file, zip);
            zip.closeEntry();
        }
    }
}
