package io.ferry.text;

import io.ferry.FerryException;
import io.ferry.dtype.DType;
import io.ferry.dtype.FieldTypes;
import io.ferry.dtype.ScalarType;
import io.ferry.file.InputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/// Tables whose first line names their columns (`--header`): the record dtype and the loader's
/// options for their rows, from the header of every input (which must agree) and types for the
/// names ([FieldTypes]), as `np.genfromtxt(file, names=True, dtype=…)` reads such a table.
///
/// ```java
/// HeaderLayout h = HeaderLayout.of(files, LoadOptions.DEFAULT, List.of("chr", "pos"), FieldTypes.parse("S10,i8"));
/// TextLoader loader = TextLoader.of(h.dtype(), h.options());  // chr:S10,pos:i8 from columns 0 and 1, after the header
/// ```
///
/// @param header  the first input's header
/// @param dtype   the record: a field per column read, named by the header
/// @param options the loader's options for the rows: skiprows past the header, useCols as indices
public record HeaderLayout(Header header, DType dtype, LoadOptions options) {

    /// {@return the inputs after the first whose header cannot be read or differs from the first
    /// input's, by index in `files`, with why, in order}: the inputs a run that keeps going
    /// (`--keep-going`) leaves out, when [#of] is given the others
    /// @throws FerryException when the first input has no header line
    /// @throws IOException when the first input cannot be read
    public static Map<Integer, Exception> differing(List<Path> files, LoadOptions options) throws IOException {
        return differing(Header.read(files.getFirst(), options), files, options);
    }

    private static Map<Integer, Exception> differing(Header first, List<Path> files, LoadOptions options) {
        Map<Integer, Exception> differing = new LinkedHashMap<>();
        for (int i = 1; i < files.size(); i++) {
            try {
                InputFile.checkReadable(files.get(i));   // a missing file said as a worker says it
                first.checkSame(files.getFirst(), Header.read(files.get(i), options), files.get(i));
            } catch (IOException | FerryException e) {
                differing.put(i, e);
            }
        }
        return differing;
    }

    /// {@return the layout of `files`, each with a header line after `options`' skiprows}
    /// @param useColNames the columns to read by name (or their index as text, `2`, `-1`), or
    ///                    null for `options`' useCols (every column when it has none)
    /// @param types       the fields' types, in the order of the columns read, or by name
    /// @throws FerryException naming the two files and the first column where their headers differ,
    ///         a file without a header, or a column name the header lacks
    /// @throws IllegalArgumentException when the types do not fit the names ([FieldTypes#resolve])
    /// @throws IOException when a file cannot be read
    public static HeaderLayout of(List<Path> files, LoadOptions options, List<String> useColNames, FieldTypes types)
            throws IOException {
        return of(files, options, useColNames, types, name -> null);
    }

    /// As [#of(List, LoadOptions, List, FieldTypes)], the type of a field given none by name taken
    /// from `otherwise` (null: none).
    public static HeaderLayout of(List<Path> files, LoadOptions options, List<String> useColNames, FieldTypes types,
                                  Function<String, ScalarType> otherwise) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files");
        }
        Header first = Header.read(files.getFirst(), options);
        Map<Integer, Exception> differing = differing(first, files, options);
        if (!differing.isEmpty()) {
            Exception e = differing.values().iterator().next();
            if (e instanceof IOException io) {
                throw io;
            }
            throw (FerryException) e;
        }
        int[] cols = useColNames == null ? options.useCols() : columns(first, useColNames, files.getFirst());
        List<String> names = new ArrayList<>();
        if (cols == null) {
            names.addAll(first.names());
        } else {
            // A negative index counts from the header's end, as np.genfromtxt(names=True) takes it,
            // and the rows are read by the index it resolves to: left negative, it counted from
            // each row's end, and a row longer or shorter than the header gave another column's
            // values under this name (exit 0).
            cols = cols.clone();
            for (int k = 0; k < cols.length; k++) {
                int c = cols[k];
                int at = c < 0 ? c + first.names().size() : c;
                cols[k] = at;
                if (at < 0 || at >= first.names().size()) {
                    throw new FerryException(files.getFirst() + ":" + (first.line() + 1) + ": usecols " + c
                            + " is not a column of the header (" + first.names().size() + " columns: "
                            + String.join(", ", first.names()) + ")");
                }
                names.add(first.names().get(at));
            }
        }
        for (String name : names) {   // a field name Ferry refuses: the bare "control character in field name", exit 64
            int c = name.chars().filter(ch -> ch < 0x20 || ch == 0x7f).findFirst().orElse(-1);
            if (c >= 0) {
                throw new FerryException(files.getFirst() + ":" + (first.line() + 1) + ": column "
                        + (first.names().indexOf(name) + 1) + " of the header is named '" + Header.shown(name)
                        + "', with a control character (" + String.format("\\x%02x", c) + "), which a field name cannot"
                        + " hold; edit the header, or name the fields in --dtype and skip the header line (--skiprows 1)");
            }
        }
        for (int i = 0; i < names.size(); i++) {   // a field twice: the record's bare "duplicate field name"
            if (names.indexOf(names.get(i)) != i) {
                throw new FerryException(files.getFirst() + ":" + (first.line() + 1) + ": usecols names the column "
                        + names.get(i) + " twice; a record has each field once");
            }
        }
        DType dtype = types.resolve(names, first.names(), otherwise);
        LoadOptions.Builder rows = first.rowOptions(options).toBuilder();
        if (cols != null) {
            rows.useCols(cols);
        }
        return new HeaderLayout(first, dtype, rows.build());
    }

    /// {@return the columns `given` names}: an index as numpy takes it (a number is always one,
    /// as numpy's ints are, even where the header has a column of that name: pandas' `to_csv`
    /// writes `,0,1,2`, and `--usecols 1,2` read the columns named 1 and 2, numpy's 2 and 3), or
    /// a header name
    private static int[] columns(Header header, List<String> given, Path file) {
        int[] cols = new int[given.size()];
        for (int i = 0; i < cols.length; i++) {
            String g = given.get(i).strip();
            try {
                cols[i] = Integer.parseInt(g);
                continue;
            } catch (NumberFormatException aName) {
                // a name
            }
            cols[i] = header.column(g);
            if (cols[i] < 0) {
                throw new FerryException(file + ":" + (header.line() + 1) + ": usecols '" + g + "' is not a column of"
                        + " the header (" + String.join(", ", header.names()) + ")");
            }
        }
        return cols;
    }
}
