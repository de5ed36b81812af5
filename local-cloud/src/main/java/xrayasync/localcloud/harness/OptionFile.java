package xrayasync.localcloud.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file a command-line option names: one that is not there is refused with a sentence naming the option. */
final class OptionFile {

    private OptionFile() {
    }

    /** @param whatToGive what the option takes, for the sentence ("a SAM template", say) */
    static Path require(Path file, String option, String whatToGive) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("There is no file " + file + " (" + option + "): give " + whatToGive
                    + ", as a path from " + Path.of("").toAbsolutePath() + " or an absolute one.");
        }
        return file;
    }

    static byte[] read(Path file, String option, String whatToGive) throws IOException {
        return Files.readAllBytes(require(file, option, whatToGive));
    }
}
