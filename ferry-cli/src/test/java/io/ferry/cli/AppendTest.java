package io.ferry.cli;

import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry convert --append`: datasets added to an existing HDF5 file, h5py's or Ferry's, with
/// what was there untouched, judged by h5py; names in the way refused before any work; and a run
/// killed with `kill -9` at seeded moments leaving the file as h5py read it before.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class AppendTest {
    @TempDir
    Path dir;

    /// A file h5py wrote: a float dataset at the root, a compound one in group `g`, an attribute.
    private Path h5pyFile() {
        Path f = dir.resolve("theirs.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f['old'] = np.arange(1000, dtype='<f8')
                    f.create_dataset('g/rec', data=np.array([(1, b'x'), (2, b'y')], dtype=[('a', '<i4'), ('b', 'S3')]), compression='gzip')
                    f.attrs['made_by'] = 'h5py'
                """, f.toString());
        return f;
    }

    /// {@return a digest of every dataset and attribute of `h5`, as h5py reads them}
    static String contents(Path h5) {
        return PythonPeer.run("""
                import sys, h5py, hashlib
                with h5py.File(sys.argv[1], 'r') as f:
                    out = [repr(sorted(f.attrs.items()))]
                    def visit(name, o):
                        if isinstance(o, h5py.Dataset):
                            out.append('%s %s %s %s' % (name, o.dtype, o.shape, hashlib.sha256(o[...].tobytes()).hexdigest()))
                    f.visititems(visit)
                    print('\\n'.join(out))
                """, h5.toString());
    }

    private Path table(String name, long rows, long seed) throws IOException {
        Path f = dir.resolve(name);
        MethylationTable.write(f, rows, seed);
        return f;
    }

    private List<String> strays() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ferry-tmp")).toList();
        }
    }

    /// A file on a file system mounted read-only: the message said "chmod u+w", which cannot help.
    @Test
    void aFileOnAReadOnlyMountSaysSo() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("ro"));
        PrivateMounts.mountTmpfs(mount, "4m");
        try {
            Path h5 = mount.resolve("a.h5");
            Path a = table("a.txt", 10, 1);
            assertEquals(0, ferry("convert", a.toString(), "-o", h5.toString(), "--dtype", SAMPLE_DTYPE, "-q").exit());
            assertEquals(0, new ProcessBuilder("mount", "-o", "remount,ro", mount.toString()).inheritIO().start().waitFor());
            var r = ferry("convert", a.toString(), "-o", h5.toString(), "--append", "--name", "again", "--dtype", SAMPLE_DTYPE);
            assertEquals(1, r.exit(), r.err());
            assertEquals("ferry convert: " + h5 + ": cannot be appended to: it is on a read-only file system (mounted"
                    + " read-only: chmod cannot help); copy it somewhere writable, or remount it read-write\n", r.err());
        } finally {
            PrivateMounts.unmount(mount);
        }
    }

    @Test
    void datasetsAreAddedToAnH5pyFileWhoseContentsStayAsTheyWere() throws IOException {
        Path h5 = h5pyFile();
        String before = contents(h5);
        Path a = table("a.txt", 3000, 1);
        Path b = table("b.txt", 2000, 2);
        var r = ferry("convert", a.toString(), b.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE, "-q",
                "--group", "g/new");
        assertEquals(0, r.exit(), r.err());
        String after = contents(h5);
        for (String line : before.split("\n")) {
            assertTrue(after.contains(line), "lost or changed: " + line + "\nnow:\n" + after);
        }
        ManyInputsTest.assertDatasetsAmong(h5, Map.of("g/new/a", a, "g/new/b", b));
        // and once more, into a file Ferry wrote
        Path c = table("c.txt", 500, 3);
        r = ferry("convert", c.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE, "-q");
        assertEquals(0, r.exit(), r.err());
        ManyInputsTest.assertDatasetsAmong(h5, Map.of("g/new/a", a, "g/new/b", b, "c", c));
        assertEquals(List.of(), strays());
    }

    @Test
    void namesInTheWayAreRefusedBeforeAnyWorkAndTheFileIsUntouched() throws IOException {
        Path h5 = h5pyFile();
        byte[] before = Files.readAllBytes(h5);
        Path old = table("old.txt", 10, 1);
        var r = ferry("convert", old.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE);
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: input " + old + ": /old exists already in " + h5 + " (a dataset); appending adds"
                + " datasets, it never replaces anything: give the input another name\n", r.err());
        // a group there was called a dataset
        r = ferry("convert", old.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE, "--name", "g");
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: input " + old + ": /g exists already in " + h5 + " (a group); appending adds"
                + " datasets, it never replaces anything: give the input another name\n", r.err());
        r = ferry("convert", old.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE, "--group", "old");
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: input " + old + ": dataset /old/old needs /old to be a group, but in " + h5
                + " it is a dataset\n", r.err());
        // a root attribute the file has: replaced with exit 0, an array of the file's by the string given
        r = ferry("convert", old.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE, "--name", "new",
                "--attr", "made_by=ferry");
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: --attr made_by: " + h5 + " has a root attribute made_by already; appending adds, it"
                + " never replaces one: give another name\n", r.err());
        r = ferry("convert", old.toString(), "-o", h5.toString(), "--append", "--force", "--dtype", SAMPLE_DTYPE);
        assertEquals(64, r.exit(), r.err());
        assertEquals("ferry convert: --append adds to the output, overwrite (--force) replaces it: give one of them\n", r.err());
        Path missing = dir.resolve("missing.h5");
        r = ferry("convert", old.toString(), "-o", missing.toString(), "--append", "--dtype", SAMPLE_DTYPE);
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: " + missing + ": no such file to append to; leave appending off to create it\n", r.err());
        r = ferry("convert", old.toString(), "-o", old.toString(), "--append", "--dtype", SAMPLE_DTYPE, "--name", "x");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("ferry convert: " + old + ": is the input " + old), r.err());
        Path text = table("text.h5", 10, 2);
        r = ferry("convert", old.toString(), "-o", text.toString(), "--append", "--dtype", SAMPLE_DTYPE);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("ferry convert: " + text + ": cannot be appended to: it is not an HDF5 file HDF5 can open"),
                r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(h5)), "the file changed");
        assertEquals(List.of(), strays());
    }

    /// A name through an external link wrote into the other file, in place (HDF5 follows the link
    /// from the copy): a failed append left that file changed, and a link back into the file
    /// itself lost the dataset with exit 0. Names go through the file's own groups only.
    @Test
    void aNameThroughALinkIsRefusedAndNoFileIsTouched() throws IOException {
        Path other = dir.resolve("precious.h5");
        Path h5 = dir.resolve("links.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f['grp/keep'] = np.arange(10)
                with h5py.File(sys.argv[2], 'w') as f:
                    f['eg'] = h5py.ExternalLink('precious.h5', '/grp')
                    f['mine/x'] = np.arange(3)
                    f['sg'] = h5py.SoftLink('/mine')
                """, other.toString(), h5.toString());
        byte[] otherBefore = Files.readAllBytes(other);
        byte[] before = Files.readAllBytes(h5);
        Path a = table("a.txt", 10, 1);
        var r = ferry("convert", a.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE, "--group", "eg");
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: input " + a + ": dataset /eg/a would go through /eg, which in " + h5 + " is an external"
                + " link to /grp in precious.h5; appending writes in this file's own groups only: give another --group or"
                + " --name\n", r.err());
        r = ferry("convert", a.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE, "--name", "sg/a");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("would go through /sg, which in " + h5 + " is a soft link to /mine;"), r.err());
        assertTrue(java.util.Arrays.equals(otherBefore, Files.readAllBytes(other)), "the linked file changed");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(h5)), "the file changed");
        assertEquals(List.of(), strays());
    }

    /// A file h5py holds open for writing: refused as "not an HDF5 file", which it is.
    @Test
    void aFileAnotherProgramWritesIsRefusedSayingSo() throws Exception {
        Path h5 = h5pyFile();
        Process holder = new ProcessBuilder(PythonPeer.PYTHON, "-c", """
                import sys, h5py
                f = h5py.File(sys.argv[1], 'r+')
                print('open', flush=True)
                sys.stdin.read()
                """, h5.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertEquals("open", new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine());
            Path a = table("a.txt", 10, 1);
            var r = ferry("convert", a.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE);
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().startsWith("ferry convert: " + h5 + ": cannot be appended to now: another program has it"
                    + " open for writing (HDF5's file lock is held); close it there, then append"), r.err());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        assertEquals(List.of(), strays());
    }

    @Test
    void aFailedAppendLeavesTheFileAsItWas() throws IOException {
        Path h5 = h5pyFile();
        byte[] before = Files.readAllBytes(h5);
        Path good = table("good.txt", 5000, 1);
        Path bad = Files.writeString(dir.resolve("bad.txt"), "chr1 1 0.5 1 1\nchr1 x 0.5 1 1\n");
        var r = ferry("convert", good.toString(), bad.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("bad.txt:2:"), r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(h5)), "the file changed");
        assertEquals(List.of(), strays());
    }

    /// `kill -9` at seeded moments of an append, in a child JVM: every time, h5py reads every old
    /// dataset as before, and the new one is either all there (the run had finished) or absent.
    /// The copy a killed run leaves is removed by the next append of the file.
    @Test
    void anAppendKilledAtAnyMomentLeavesTheOldDatasetsReadable() throws Exception {
        Path h5 = h5pyFile();
        String before = contents(h5);
        Path big = table("big.txt", 600_000, 5);
        Random seeded = new Random(21);
        int killedWhileWriting = 0;
        java.util.Set<String> straysSeen = new java.util.HashSet<>();
        for (int round = 0; round < 4; round++) {
            // a moment counted from when the copy appears: the JVM's start takes longer than the
            // rest on a busy machine, and a kill before the copy exists proves nothing
            long delay = seeded.nextInt(round == 0 ? 50 : 1200);
            java.util.Set<String> earlier = java.util.Set.copyOf(strays());
            try (FerryJvm run = FerryJvm.start("convert", big.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE,
                    "-q", "--name", "new" + round, "--compression", "gzip:6")) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (strays().stream().allMatch(earlier::contains) && run.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                Thread.sleep(delay);
                run.killIfAlive(); // a seeded moment may come after the append has finished
                run.assertExitsWithin(Duration.ofSeconds(30));
            }
            killedWhileWriting += straysSeen.addAll(strays()) ? 1 : 0; // a new copy left: killed while writing
            String after = contents(h5);
            for (String line : before.split("\n")) {
                assertTrue(after.contains(line), "killed after " + delay + " ms: lost or changed: " + line + "\nnow:\n" + after);
            }
            before = after; // a round that finished added its dataset: it is old now
        }
        assertTrue(killedWhileWriting > 0, "no kill landed while the copy was being written: the test proved nothing");
        Path small = table("small.txt", 100, 6);
        var r = ferry("convert", small.toString(), "-o", h5.toString(), "--append", "--dtype", SAMPLE_DTYPE, "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(), strays(), "the copies of killed runs are swept");
        ManyInputsTest.assertDatasetsAmong(h5, Map.of("small", small));
    }

    /// The README's section on `--append`, run by bash as written.
    @Test
    void theReadmeSectionRunsAsWritten() throws Exception {
        Path work = ManyInputsTest.readmeWorkDir(dir);
        ManyInputsTest.bash(work, ManyInputsTest.readmeShell("### Adding to a file (`--append`)"));
        Path ex = work.resolve("examples");
        ManyInputsTest.assertDatasets(work.resolve("grown.h5"), Map.of("sample1", ex.resolve("sample1.txt"),
                "later/sample2", ex.resolve("sample2.txt"), "later/sample3", ex.resolve("sample3.txt")));
    }
}
