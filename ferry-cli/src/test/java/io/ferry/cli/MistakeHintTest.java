package io.ferry.cli;

import io.ferry.json.Json;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static io.ferry.cli.ShmCommandsTest.Run;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The mistakes people make, through the command: the error's line as before, then a `hint:` line
/// that says what to type, and the call it suggests works.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class MistakeHintTest {
    private static final String ROWS = "chr1\t10\t1.5\t3\t4\nchr2\t20\t2.5\t5\t6\n";

    @TempDir
    Path dir;

    @Test
    void aHeaderLine() throws Exception {
        Path f = Files.writeString(dir.resolve("h.txt"), "chr\tpos\tpct\tc\tt\n" + ROWS);
        Run r = ferry("load", f.toString(), "--dtype", SAMPLE_DTYPE);
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry load: " + f + ":1:5: field 'pos' (2 of 5): 'pos' is not an integer (<i4)\n"
                + "hint: line 1 looks like a header (names where values go); try --skiprows 1\n", r.err());
        assertEquals(0, ferry("load", f.toString(), "--dtype", SAMPLE_DTYPE, "--skiprows", "1").exit());
    }

    /// numpy reads `1.0` into an int through a float; strict Ferry refuses it and names the flag
    /// that reads it as numpy does, spelled as a flag.
    @Test
    void anIntegerWrittenWithAFraction() throws Exception {
        Path f = Files.writeString(dir.resolve("f.txt"), "1 2\n3 1.0\n");
        Run r = ferry("load", f.toString(), "--dtype", "i4");
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry load: " + f + ":2:3: column 2 (2 of 2): '1.0' is not an integer (<i4)\n"
                + "hint: numpy reads a number with a fraction or an exponent into an integer through a float,"
                + " cutting off the fraction (a path numpy 1.23 deprecated); try --lenient\n", r.err());
        Run lenient = ferry("load", f.toString(), "--dtype", "i4", "--lenient");
        assertEquals(0, lenient.exit(), lenient.err());
    }

    @Test
    void aWrongDelimiterInConvert() throws Exception {
        Path f = Files.writeString(dir.resolve("c.csv"), ROWS.replace('\t', ','));
        Path out = dir.resolve("o.h5");
        Run r = ferry("convert", f.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "-q");
        assertEquals(1, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("ferry convert: " + f + ":1:16: field 'pos' (2 of 5): row has 1 field"), r.err());
        assertEquals("hint: the line holds commas, which do not separate fields without a delimiter; try --delimiter comma",
                lines.get(1));
        assertFalse(Files.exists(out));
        assertEquals(0, ferry("convert", f.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "-q",
                "--delimiter", "comma").exit());
    }

    /// A worker JVM sends its error's hint with the message: `--isolation process` says what
    /// threads say, the header hint with `--header` too.
    @Test
    void aWorkerProcessSendsTheHintBack() throws Exception {
        Path csv = Files.writeString(dir.resolve("c.csv"), ROWS.replace('\t', ','));
        Path header = Files.writeString(dir.resolve("h.txt"), "chr\tpos\tpct\tc\tt\n" + ROWS);
        for (Path f : List.of(csv, header)) {
            Path out = dir.resolve("o.h5");
            Run threads = ferry("convert", f.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "-q");
            Run processes = ferry("convert", f.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "-q",
                    "--isolation", "process");
            assertEquals(1, processes.exit(), processes.err());
            assertTrue(processes.err().contains("\nhint: "), processes.err());
            assertEquals(threads.err(), processes.err());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void spacesWithADelimiterGivenAndASemicolon() throws Exception {
        Path spaced = Files.writeString(dir.resolve("s.txt"), ROWS.replace('\t', ' '));
        assertTrue(ferry("load", spaced.toString(), "--dtype", SAMPLE_DTYPE, "-d", "tab").err()
                .endsWith("\nhint: the line holds spaces, which do not separate fields now (runs of whitespace do when"
                        + " no delimiter is given); try without --delimiter\n"));
        Path semi = Files.writeString(dir.resolve("e.csv"), ROWS.replace('\t', ';'));
        Run r = ferry("load", semi.toString(), "--dtype", SAMPLE_DTYPE, "-d", ",");
        assertTrue(r.err().endsWith("; try --delimiter semicolon\n"), r.err());
        assertEquals(0, ferry("load", semi.toString(), "--dtype", SAMPLE_DTYPE, "--delimiter", "semicolon").exit());
        Path pipes = Files.writeString(dir.resolve("p.txt"), ROWS.replace('\t', '|'));
        assertTrue(ferry("load", pipes.toString(), "--dtype", SAMPLE_DTYPE).err().endsWith("; try --delimiter '|'\n"));
    }

    /// `--json`: the hint as the Python package reads it, with the option's value as text.
    @Test
    void theHintInJson() throws Exception {
        Path f = Files.writeString(dir.resolve("h.txt"), "chr\tpos\tpct\tc\tt\n" + ROWS);
        Map<String, Object> error;
        try (FerryJvm ferry = FerryJvm.start("convert", f.toString(), "-o", dir.resolve("o.h5").toString(), "--dtype",
                SAMPLE_DTYPE, "--json")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(1, ferry.exitCode(), ferry.output());
            String line = ferry.output().lines().filter(l -> l.startsWith("{\"error\"")).findFirst().orElseThrow();
            error = Json.asObject(Json.asObject(Json.parse(line), "line").get("error"), "error");
        }
        assertEquals(Map.of("reason", "line 1 looks like a header (names where values go)", "option", "skiprows",
                "value", "1"), error.get("hint"));
    }

    @Test
    void noHintWhereTheDataIsWrong() throws Exception {
        Path f = Files.writeString(dir.resolve("b.txt"), ROWS + "chr3\tx\t1.5\t3\t4\n");
        Run r = ferry("load", f.toString(), "--dtype", SAMPLE_DTYPE);
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    /// numpy's spellings of a dtype: the usage error as before (exit 64), then what to write, which works.
    @Test
    void numpysDtypeSpellings() throws Exception {
        Path f = Files.writeString(dir.resolve("t.txt"), ROWS);
        Run r = ferry("load", f.toString(), "--dtype", "S10,int,float,i4,i4");
        assertEquals(64, r.exit(), r.err());
        assertEquals("ferry load: --dtype 'S10,int,float,i4,i4': unexpected text after the dtype: ',int,float,i4,i4'"
                + " (at character 4)\n"
                + "hint: numpy's int is int64, which Ferry writes i8; numpy's float is float64, which Ferry writes f8;"
                + " numpy names fields it is not given f0, f1, ...; Ferry wants each named (name:type);"
                + " try --dtype f0:S10,f1:i8,f2:f8,f3:i4,f4:i4\n", r.err());
        assertEquals(0, ferry("load", f.toString(), "--dtype", "f0:S10,f1:i8,f2:f8,f3:i4,f4:i4").exit());
        Run u = ferry("convert", f.toString(), "-o", dir.resolve("o.h5").toString(), "--dtype", "chr:U10,pos:i4,pct:f4,c:i4,t:i4");
        assertEquals(64, u.exit(), u.err());
        assertTrue(u.err().endsWith("\nhint: Ferry reads text as bytes into S<n> (n bytes, Latin-1), not numpy's U<n>"
                + " (4 bytes a character); try --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4\n"), u.err());
    }

    /// `--keep-going`: each failure listed with its hint.
    @Test
    void eachFailureOfKeepGoingWithItsHint() throws Exception {
        Path good = Files.writeString(dir.resolve("good.txt"), ROWS);
        Path header = Files.writeString(dir.resolve("header.txt"), "chr\tpos\tpct\tc\tt\n" + ROWS);
        Run r = ferry("convert", good.toString(), header.toString(), "-o", dir.resolve("o.h5").toString(), "--dtype",
                SAMPLE_DTYPE, "-q", "--keep-going");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("\n  " + header + ":1:5: field 'pos' (2 of 5): 'pos' is not an integer (<i4)\n"
                + "  hint: line 1 looks like a header (names where values go); try --skiprows 1\n"), r.err());
    }

    /// Where the command has `--header`, a header line's hint names it too, and it works.
    @Test
    void convertsHeaderOption() throws Exception {
        Path f = Files.writeString(dir.resolve("h.txt"), "chr\tpos\tpct\tc\tt\n" + ROWS);
        Path out = dir.resolve("o.h5");
        Run r = ferry("convert", f.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "-q");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().endsWith("\nhint: line 1 looks like a header (names where values go); try --skiprows 1,"
                + " or --header to take the names from it\n"), r.err());
        assertEquals(0, ferry("convert", f.toString(), "-o", out.toString(), "--dtype", "S10,i4,f4,i4,i4", "-q",
                "--header").exit());
    }

    /// Under `--header`, a word in the first data row is wrong data, not a header still in the
    /// rows: the hint said "try --skiprows 2", which then failed for a header of the wrong line.
    @Test
    void noHeaderHintAfterTheHeader() throws Exception {
        Path f = Files.writeString(dir.resolve("na.txt"), "chr pos\nNA NA\nchr1 10\n");
        Run r = ferry("convert", f.toString(), "-o", dir.resolve("na.h5").toString(), "--header", "--dtype", "chr:S4,pos:i4",
                "-q");
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: " + f + ":2:4: field 'pos' (2 of 2): 'NA' is not an integer (<i4)\n", r.err());
    }
}
