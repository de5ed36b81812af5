package xrayasync.localcloud.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    record Note(String text, int number) {
    }

    @TempDir
    Path folder;

    @Test
    void aRecordPutIsThereAfterTheStoreIsOpenedAgain() throws IOException {
        try (Store store = Store.open(folder)) {
            store.records("note").put("a", "scope", 5, new Note("kept", 1));
        }
        try (Store store = Store.open(folder)) {
            assertEquals(Optional.of(new Note("kept", 1)), store.records("note").get("a", Note.class));
        }
    }

    @Test
    void aScopeListsItsRecordsInTimeOrderWithinTheWindow() throws IOException {
        try (Store store = Store.open(folder)) {
            Records notes = store.records("note");
            notes.put("late", "s", 30, new Note("late", 3));
            notes.put("early", "s", 10, new Note("early", 1));
            notes.put("middle", "s", 20, new Note("middle", 2));
            notes.put("elsewhere", "t", 15, new Note("elsewhere", 9));
            assertEquals(List.of("early", "middle"), notes.inScope("s", 0, 30, 10, Note.class).stream()
                    .map(Records.Entry::key).toList());
            assertEquals(List.of("early", "elsewhere", "middle", "late"), notes.between(0, 100, Note.class).stream()
                    .map(Records.Entry::key).toList());
        }
    }

    @Test
    void aFailingTransactionLeavesNothingAndTheOthersCommit() throws Exception {
        try (Store store = Store.open(folder)) {
            Records notes = store.records("note");
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> writes = new ArrayList<>();
                for (int index = 0; index < 50; index++) {
                    String key = "n" + index;
                    writes.add(threads.submit(() -> notes.put(key, "s", 1, new Note(key, 0))));
                }
                for (Future<?> write : writes) {
                    write.get();
                }
            }
            assertThrows(IllegalStateException.class, () -> store.transaction(() -> {
                notes.put("half", "s", 1, new Note("half", 0));
                throw new IllegalStateException("broken on purpose");
            }));
            assertEquals(50, notes.count());
            assertFalse(notes.get("half", Note.class).isPresent());
        }
    }

    @Test
    void aBlobIsWholeOnceWrittenAndUnnamedBlobsAreSweptAway() throws IOException {
        try (Store store = Store.open(folder)) {
            Blobs.Blob kept = store.blobs().write(new ByteArrayInputStream(new byte[] {1, 2, 3}));
            Blobs.Blob orphan = store.blobs().write(new ByteArrayInputStream(new byte[] {4}));
            store.blobs().retainOnly(List.of(kept.id()));
            assertEquals(3, kept.size());
            assertTrue(Files.isRegularFile(store.blobs().file(kept.id())));
            assertFalse(Files.exists(store.blobs().file(orphan.id())));
        }
    }

    @Test
    void aSecondCloudOnTheFolderIsRefusedWithTheHolderNamed() throws IOException {
        try (WorkFolderLock held = WorkFolderLock.take(folder)) {
            IOException refused = assertThrows(IOException.class, () -> WorkFolderLock.take(folder));
            assertTrue(refused.getMessage().contains("process " + ProcessHandle.current().pid()), refused.getMessage());
            assertTrue(refused.getMessage().contains("--work-dir"), refused.getMessage());
        }
        WorkFolderLock.take(folder).close();
    }
}
