package io.ferry.pipeline;

import io.ferry.FerryException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Dataset names from templates and groups: the doc examples as written, every placeholder, and
/// each refusal's message.
class DatasetNamesTest {
    @Test
    void docExamples() {
        NameTemplate t = NameTemplate.parse("{parent}/{stem}");
        assertTrue(t.apply(Path.of("calls/s1/chr2.cov.gz"), 2).equals("s1/chr2"));
        assertTrue(NameTemplate.parse("part{index}").apply(Path.of("x.txt"), 7).equals("part7"));

        List<String> names = DatasetNames.of(List.of(Path.of("a/s1.txt"), Path.of("b/s1.txt")),
                NameTemplate.parse("{parent}/{stem}"), "calls");
        assertTrue(names.equals(List.of("calls/a/s1", "calls/b/s1")));
    }

    @Test
    void everyPlaceholderAndStandardInput() {
        NameTemplate t = NameTemplate.parse("{index}_{parent}_{name}_{stem}");
        assertEquals("3_s1_chr2.cov.gz_chr2", t.apply(Path.of("/data/s1/chr2.cov.gz"), 3));
        assertEquals("0_stdin_stdin_stdin", t.apply(Path.of("-"), 0));
        assertEquals(List.of("stdin"), DatasetNames.of(List.of(Path.of("-")), NameTemplate.DEFAULT, "/"));
        assertEquals(List.of("g/h/x"), DatasetNames.of(List.of(Path.of("x.txt")), NameTemplate.DEFAULT, "/g/h"));
        assertEquals(List.of("x"), DatasetNames.of(List.of(Path.of("x.txt")), NameTemplate.parse("/{stem}"), ""));
    }

    @Test
    void unknownPlaceholdersAndStrayBracesAreRefusedNamingWhatIsKnown() {
        var e = assertThrows(IllegalArgumentException.class, () -> NameTemplate.parse("{stem}_{sample}"));
        assertEquals("the name template '{stem}_{sample}' has an unknown placeholder {sample}; known are {stem}, {name},"
                + " {parent} and {index}", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NameTemplate.parse("a{stem"));
        assertEquals("the name template 'a{stem' has a '{' that is not part of a placeholder (at character 2);"
                + " placeholders are {stem}, {name}, {parent} and {index}", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NameTemplate.parse(""));
        assertTrue(e.getMessage().startsWith("the name template is empty"), e.getMessage());
    }

    @Test
    void twoInputsOfOneNameAreRefusedNamingBoth() {
        var e = assertThrows(FerryException.class, () -> DatasetNames.of(List.of(Path.of("a/x.txt"), Path.of("b/x.txt")),
                NameTemplate.DEFAULT, ""));
        assertEquals("inputs a/x.txt and b/x.txt would both become dataset /x; name them apart (a name template such as"
                + " {parent}/{stem}) or convert them in separate runs", e.getMessage());
    }

    @Test
    void aDatasetWhereAnotherNeedsAGroupIsRefusedNamingBoth() {
        // one template gives every name as many parts, so only names given outright can do this
        var e = assertThrows(FerryException.class, () -> DatasetNames.checkUnique(
                List.of(Path.of("a.txt"), Path.of("b.txt")), List.of("s/a", "s/a/b")));
        assertEquals("input a.txt would become dataset /s/a, which input b.txt needs as a group for its dataset /s/a/b;"
                + " a dataset cannot also be a group", e.getMessage());
    }

    @Test
    void namesThatAreNoHdf5PathAreRefusedNamingTheInputAndTheTemplate() {
        var e = assertThrows(FerryException.class, () -> DatasetNames.of(List.of(Path.of("x.txt")),
                NameTemplate.parse("{stem}/"), ""));
        assertEquals("input x.txt: its dataset name 'x/' (from the name template '{stem}/') has an empty part"
                + " (two '/' in a row, or one at the end)", e.getMessage());
        e = assertThrows(FerryException.class, () -> DatasetNames.of(List.of(Path.of("x.txt")), NameTemplate.DEFAULT, "a//b"));
        assertEquals("the group 'a//b' has an empty part (two '/' in a row, or one at the end)", e.getMessage());
        e = assertThrows(FerryException.class, () -> DatasetNames.of(List.of(Path.of("x.txt")), NameTemplate.DEFAULT, "../up"));
        assertEquals("the group '../up' has a part '..', which HDF5 does not take as a name", e.getMessage());
        e = assertThrows(FerryException.class, () -> DatasetNames.of(List.of(Path.of("/x.txt")), NameTemplate.parse("{parent}"), ""));
        assertEquals("input /x.txt: its dataset name '' (from the name template '{parent}') is empty", e.getMessage());
    }
}
