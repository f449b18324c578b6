package io.ferry.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Publishing a creator record: whole, exclusive, and nothing beside it (its draft is gone).
class CreatorRecordTest {
    @TempDir
    Path dir;

    @Test
    void aRecordIsPublishedWholeOnceAndItsDraftIsGone() throws Exception {
        CreatorTag tag = new CreatorTag(4242, CreatorTag.PLAIN);
        CreatorRecord.Identity me = new CreatorRecord.Identity(77, "pid:[1]");
        assertTrue(CreatorRecord.publish(dir, tag, me));
        assertEquals(List.of(tag.recordName()), names());
        Path record = dir.resolve(tag.recordName());
        assertEquals("pid=4242 start=77 pidns=pid:[1]\n", Files.readString(record));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)));

        // the name is taken: not published, the record as it was, no draft left
        assertFalse(CreatorRecord.publish(dir, tag, new CreatorRecord.Identity(78, "pid:[1]")));
        assertEquals(List.of(tag.recordName()), names());
        assertEquals("pid=4242 start=77 pidns=pid:[1]\n", Files.readString(record));
        assertTrue(CreatorRecord.read(dir, tag) instanceof CreatorRecord.Reading.Found f && f.creator().equals(me));
    }

    @Test
    void aDraftIsNamedForItsTagAndNothingElseIsTakenForOne() {
        CreatorTag tag = new CreatorTag(4242, 3);
        String draft = tag.draftName(Long.MAX_VALUE);
        assertEquals(tag, CreatorTag.ofDraft(draft).orElseThrow());
        assertTrue(CreatorTag.ofDraft(tag.recordName()).isEmpty());
        assertTrue(CreatorTag.ofRecord(draft).isEmpty());
        assertTrue(CreatorTag.ofDraft(tag.recordName() + ".x.draft.tmp").isEmpty());
        assertTrue(CreatorTag.ofDraft(tag.segmentPrefix() + "abcd").isEmpty());
    }

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
