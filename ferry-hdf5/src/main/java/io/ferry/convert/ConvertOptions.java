package io.ferry.convert;

import io.ferry.dtype.DType;
import io.ferry.dtype.FieldTypes;
import io.ferry.file.InputFile;
import io.ferry.file.StandardInput;
import io.ferry.hdf5.CStrings;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import io.ferry.pipeline.DatasetNames;
import io.ferry.pipeline.NameTemplate;
import io.ferry.pipeline.ProcessWorkers;
import io.ferry.text.LoadOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/// Everything a conversion takes besides its files: one immutable value shared by [Convert], the
/// `ferry convert` command and the Spark job, and the one place its rules are checked. Make one
/// with [#builder()] or start from [#DEFAULT] with [#toBuilder()].
///
/// ```java
/// ConvertOptions o = ConvertOptions.builder()
///         .dtype(DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4"))
///         .compression(Compression.gzip(4)).shuffle(true)
///         .workers(4).isolation(Isolation.PROCESS)
///         .build();
/// assert o.writeOptions().compression().equals(Compression.gzip(4));
/// assert ConvertOptions.DEFAULT.workers() == Runtime.getRuntime().availableProcessors();
/// ```
///
/// Two kinds of check, both here and nowhere else:
/// - a value alone (`workers` ≥ 1, a structured `dtype` …) when the value is built: a
///   [ConvertOptionException] naming the component, which `ferry convert` words as its option;
/// - the files of a run ([#checkFiles(List, Path)]): readable inputs, one dataset name each, an
///   output that may be written; called by [Convert#to(Path)] and the Spark job before any work.
///
/// Adding an option is a change to this file, then to whoever sets it: a record component (with
/// its `@param`), its check in the compact constructor, a field and a setter in [Builder], and the
/// component in [Builder#build()] and [#toBuilder()]; then the command lines' flag. A check's
/// message names component `fooBar` as `%s`: the commands say `--foo-bar` there
/// ([ConvertOptionException#commandLineMessage()]), so name the flag after the component.
///
/// @param dtype            the record layout: structured (named fields, a compound dataset per input),
///                         or plain (`f8`: a 2-D dataset rows × columns per input); `null` only while
///                         not given, or with `headerTypes` ([#checkFiles(List, Path)] refuses to run
///                         without either)
/// @param loadOptions      the loader's options (delimiter, comments, skiprows, usecols, max_rows, lenient)
/// @param compression      the chunks' compression
/// @param shuffle          HDF5's byte shuffle before compression
/// @param chunkRows        rows per HDF5 chunk; 0: about 1 MiB of records
/// @param workers          parallel workers, 1 or more (default: the cores)
/// @param isolation        threads of this JVM or child JVMs
/// @param memory           bytes of memory for records in flight and compression buffers; 0: the default
///                         (`Pipeline.defaultMemory`: 32 MiB per worker, at least 64 MiB)
/// @param overwrite        replace an existing output
/// @param keepGoing        write every input that succeeds, report the failures in the result
/// @param workerJvmOptions JVM options of worker processes; empty: [Convert#defaultWorkerJvmOptions]
/// @param stallTimeout     how long a worker process may make no progress on a part
/// @param name             how each input's dataset is named ([NameTemplate]; default `{stem}`)
/// @param group            the group every dataset goes in, such as `calls/2024`; `""` (or `/`): the root
/// @param append           add the datasets to an existing output, leaving what it holds as it is
///                         ([Hdf5Writer#append]); not with `overwrite`
/// @param attributes       string attributes of the output file's root, by name; not Ferry's own
///                         ([#RESERVED_ATTRIBUTES]), and no NUL in a name or value ([CStrings])
/// @param headerTypes      null, or: the inputs start with a header line naming their columns, and
///                         these are the types for those names ([io.ferry.text.HeaderLayout]); the
///                         dtype is then the header's
/// @param useColumns       with `headerTypes`: the columns to read, by header name or index; null: the
///                         load options' useCols
/// @param inferDtype       choose the dtype from a sample of the inputs ([io.ferry.text.TypeInference]);
///                         with `headerTypes`, the types of the names it leaves without one
/// @param inferSize        with `inferDtype`: the least size of an inferred `S` field; 0: the longest seen
public record ConvertOptions(DType dtype, LoadOptions loadOptions, Compression compression, boolean shuffle,
                             long chunkRows, int workers, Isolation isolation, long memory, boolean overwrite,
                             boolean keepGoing, List<String> workerJvmOptions, Duration stallTimeout,
                             NameTemplate name, String group, boolean append,
                             Map<String, String> attributes, FieldTypes headerTypes, List<String> useColumns,
                             boolean inferDtype, int inferSize) {
    /// The file attributes every output has, which [#attributes()] cannot set.
    public static final List<String> RESERVED_ATTRIBUTES = List.of("ferry_version", "created");

    /// No dtype yet; the loader's defaults, no compression, a worker per core as threads, the
    /// default memory, an existing output refused, the first failure stopping the run.
    public static final ConvertOptions DEFAULT = builder().build();

    /// @throws ConvertOptionException naming the component that breaks its rule
    public ConvertOptions {
        Objects.requireNonNull(loadOptions, "loadOptions");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(group, "group");
        try {
            DatasetNames.of(List.of(), name, group); // the group alone: the names need the files
        } catch (io.ferry.FerryException e) {
            throw new ConvertOptionException("group", "%s: " + e.getMessage());
        }
        if (group.contains("{") || group.contains("}")) {
            // `--group '{parent}'` made a group named {parent}, exit 0: the placeholders are the name's
            throw new ConvertOptionException("group", "%s '" + group + "' is a group's path, not a template: put"
                    + " placeholders in the name (--name '{parent}/{stem}')");
        }
        if (append && overwrite) {
            throw new ConvertOptionException("append", "%s adds to the output, overwrite (--force) replaces it: give one of them");
        }
        workerJvmOptions = List.copyOf(workerJvmOptions);
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        useColumns = useColumns == null ? null : List.copyOf(useColumns);
        for (String key : attributes.keySet()) {
            if (key.isEmpty() || RESERVED_ATTRIBUTES.contains(key)) {
                throw new ConvertOptionException("attributes", key.isEmpty() ? "%s: an attribute needs a name"
                        : "%s: attribute '" + key + "' is Ferry's own (" + String.join(", ", RESERVED_ATTRIBUTES)
                                + "): choose another name");
            }
            try {   // a NUL would end the name or value in the file, with the run going on as if it had not
                CStrings.checkName("attribute", key);
                CStrings.checkAttributeValue(key, attributes.get(key));
            } catch (IllegalArgumentException e) {
                throw new ConvertOptionException("attributes", "%s: " + e.getMessage());
            }
        }
        if (workers < 1) {
            throw new ConvertOptionException("workers", "%s takes a number of workers, 1 or more, not " + workers);
        }
        if (chunkRows < 0) {
            throw new ConvertOptionException("chunkRows", "%s takes a number of rows, 1 or more, not " + chunkRows);
        }
        if (memory < 0) {
            throw new ConvertOptionException("memory", "%s takes a number of bytes, 1 or more, not " + memory);
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            long ms = stallTimeout.toMillis();
            throw new ConvertOptionException("stallTimeout", "%s takes a number of seconds, more than 0, not "
                    + (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0)));
        }
    }

    /// {@return the HDF5 writer's options these options imply}
    public WriteOptions writeOptions() {
        WriteOptions.Builder b = WriteOptions.builder().compression(compression).shuffle(shuffle).overwrite(overwrite);
        return (chunkRows > 0 ? b.chunkRows(chunkRows) : b).build();
    }

    /// Checks, before any work, that a run of these options over `inputs` into `output` can start:
    /// a dtype is given, every input is a readable regular file (with [#keepGoing()], left to the
    /// run, which lists such an input among its failures and goes on), every input's dataset name
    /// ([#datasets(List)]) is a valid HDF5 path and no two inputs share one, and `output` may be
    /// written ([Hdf5Writer#checkTarget]: never an input, through a link either; never anything
    /// but a regular file; an existing one only with [#overwrite()]) or, with [#append()],
    /// appended to ([Hdf5Writer#checkAppend]: an HDF5 file without those names).
    ///
    /// @throws IllegalStateException when no dtype was given
    /// @throws io.ferry.FerryException naming the input, the two inputs, or the output and why
    /// @throws io.ferry.hdf5.TargetExistsException when `output` exists and overwriting is off
    public void checkFiles(List<Path> inputs, Path output) {
        if (dtype == null && headerTypes == null && !inferDtype) {
            throw new IllegalStateException("no dtype: set one, such as dtype(DType.parse(\"a:f8,b:f8\"))");
        }
        if (!keepGoing) {
            InputFile.checkReadable(inputs);
        }
        if (inputs.stream().filter(StandardInput::is).count() > 1) {
            throw new io.ferry.FerryException("standard input (-) is given more than once; it can be read only once");
        }
        if (isolation == Isolation.PROCESS && inputs.stream().anyMatch(StandardInput::is)) {
            throw new ConvertOptionException("isolation", "%s process cannot read standard input (-): worker processes have"
                    + " their own; use thread (the default)");
        }
        List<String> datasets = datasets(inputs);
        if (append) {
            Hdf5Writer.checkAppend(output, inputs, datasets, attributes.keySet());
        } else {
            Hdf5Writer.checkTarget(output, overwrite, inputs);
        }
    }

    /// {@return the dataset paths `inputs` become}, by [#name()] inside [#group()], without a
    /// leading `/` ([DatasetNames#of(List, NameTemplate, String)])
    /// @throws io.ferry.FerryException naming the input whose name is no HDF5 path, or two inputs
    ///         that would become one dataset
    public List<String> datasets(List<Path> inputs) {
        return DatasetNames.of(inputs, name, group);
    }

    /// {@return a builder with the default settings}
    public static Builder builder() {
        return new Builder();
    }

    /// {@return a builder starting from these settings}
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dtype = dtype;
        b.loadOptions = loadOptions;
        b.compression = compression;
        b.shuffle = shuffle;
        b.chunkRows = chunkRows;
        b.workers = workers;
        b.isolation = isolation;
        b.memory = memory;
        b.overwrite = overwrite;
        b.keepGoing = keepGoing;
        b.workerJvmOptions = workerJvmOptions;
        b.stallTimeout = stallTimeout;
        b.name = name;
        b.group = group;
        b.append = append;
        b.attributes = new java.util.LinkedHashMap<>(attributes);
        b.headerTypes = headerTypes;
        b.useColumns = useColumns;
        b.inferDtype = inferDtype;
        b.inferSize = inferSize;
        return b;
    }

    /// Builds [ConvertOptions]; every setter returns the builder, and [#build()] checks the values.
    public static final class Builder {
        private DType dtype;
        private LoadOptions loadOptions = LoadOptions.DEFAULT;
        private Compression compression = Compression.NONE;
        private boolean shuffle;
        private long chunkRows;
        private int workers = Runtime.getRuntime().availableProcessors();
        private Isolation isolation = Isolation.THREAD;
        private long memory;
        private boolean overwrite;
        private boolean keepGoing;
        private List<String> workerJvmOptions = List.of();
        private Duration stallTimeout = Duration.ofSeconds(ProcessWorkers.DEFAULT_STALL_SECONDS);
        private NameTemplate name = NameTemplate.DEFAULT;
        private String group = "";
        private boolean append;
        private Map<String, String> attributes = new java.util.LinkedHashMap<>();
        private FieldTypes headerTypes;
        private List<String> useColumns;
        private boolean inferDtype;
        private int inferSize;

        private Builder() {
        }

        /// Sets the record layout (named fields), or a plain type for grids; drops [#headerTypes].
        public Builder dtype(DType dtype) {
            this.dtype = Objects.requireNonNull(dtype, "dtype");
            this.headerTypes = null;
            this.inferDtype = false;
            return this;
        }

        /// Sets a string attribute of the output file; the last value for a name wins.
        public Builder attribute(String name, String value) {
            attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /// The inputs start with a header line naming their columns; `types` type those names.
        public Builder headerTypes(FieldTypes types) {
            this.headerTypes = Objects.requireNonNull(types, "types");
            this.dtype = null;
            return this;
        }

        /// Chooses the dtype from a sample of the inputs (with [#headerTypes]: the types it leaves out).
        public Builder inferDtype(boolean on) {
            this.inferDtype = on;
            if (on) {
                this.dtype = null;
            }
            return this;
        }

        /// With [#inferDtype]: `S` fields of at least `bytes` bytes (0: the longest text seen, rounded up).
        /// @throws ConvertOptionException when `bytes` is negative
        public Builder inferSize(int bytes) {
            if (bytes < 0) {
                throw new ConvertOptionException("inferSize", "%s takes a number of bytes, 0 or more, not " + bytes);
            }
            this.inferSize = bytes;
            return this;
        }

        /// With [#headerTypes]: the columns to read, by header name or index; null for the load options' useCols.
        public Builder useColumns(List<String> names) {
            this.useColumns = names;
            return this;
        }

        /// Sets the loader's options.
        public Builder loadOptions(LoadOptions options) {
            this.loadOptions = options;
            return this;
        }

        /// Sets the chunk compression (default none).
        public Builder compression(Compression c) {
            this.compression = c;
            return this;
        }

        /// Byte-shuffles chunks before compressing them.
        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        /// Sets the rows per HDF5 chunk, 1 or more (default: about 1 MiB of records).
        /// @throws ConvertOptionException when `rows` is less than 1
        public Builder chunkRows(long rows) {
            if (rows < 1) { // 0 is the record's "not set", never a value to ask for
                throw new ConvertOptionException("chunkRows", "%s takes a number of rows, 1 or more, not " + rows);
            }
            this.chunkRows = rows;
            return this;
        }

        /// Sets the number of parallel workers (default: the cores).
        public Builder workers(int n) {
            this.workers = n;
            return this;
        }

        /// Sets where workers parse (default [Isolation#THREAD]).
        public Builder isolation(Isolation isolation) {
            this.isolation = isolation;
            return this;
        }

        /// Sets the memory for records in flight and compression buffers, whatever the input size.
        /// @throws ConvertOptionException when `bytes` is not positive
        public Builder memory(long bytes) {
            if (bytes < 1) { // 0 is the record's "the default"
                throw new ConvertOptionException("memory", "%s takes a number of bytes, 1 or more, not " + bytes);
            }
            this.memory = bytes;
            return this;
        }

        /// Replaces an existing output (default: refuse it).
        public Builder overwrite(boolean replace) {
            this.overwrite = replace;
            return this;
        }

        /// Writes every input that succeeds and reports the failures, instead of stopping at the first.
        public Builder keepGoing(boolean on) {
            this.keepGoing = on;
            return this;
        }

        /// Sets the JVM options of worker processes ([Isolation#PROCESS]).
        public Builder workerJvmOptions(List<String> options) {
            this.workerJvmOptions = options;
            return this;
        }

        /// Sets how long a worker process may make no progress while it has a part to parse.
        public Builder stallTimeout(Duration limit) {
            this.stallTimeout = limit;
            return this;
        }

        /// Names each input's dataset by `template`: `{stem}` (the default: `data1.txt` → `data1`),
        /// `{name}`, `{parent}`, `{index}` ([NameTemplate]); a `/` makes groups.
        /// @throws ConvertOptionException naming a placeholder it does not know
        public Builder name(String template) {
            try {
                this.name = NameTemplate.parse(template);
            } catch (IllegalArgumentException e) {
                throw new ConvertOptionException("name", "%s: " + e.getMessage());
            }
            return this;
        }

        /// Puts every dataset in group `path` (such as `calls/2024`; default the root), made as needed.
        public Builder group(String path) {
            this.group = Objects.requireNonNull(path, "group");
            return this;
        }

        /// Adds the datasets to the existing output, leaving what it holds as it is (default: write a
        /// new file); see [Hdf5Writer#append].
        public Builder append(boolean on) {
            this.append = on;
            return this;
        }

        /// {@return the options}
        /// @throws ConvertOptionException naming the first value that breaks its rule
        public ConvertOptions build() {
            return new ConvertOptions(dtype, loadOptions, compression, shuffle, chunkRows, workers, isolation,
                    memory, overwrite, keepGoing, workerJvmOptions, stallTimeout, name, group, append,
                    attributes, headerTypes, useColumns, inferDtype, inferSize);
        }
    }
}
