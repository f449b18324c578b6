package io.ferry.dtype;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/// A numpy-compatible dtype: either one plain scalar type (`<f4`) or a structured record of named
/// fields (`[('chr', '|S10'), ('pos', '<i4')]`).
///
/// A record's layout is numpy's packed default (`align=False`): fields follow each other with no
/// padding, so offsets and [#itemSize()] equal numpy's, and the bytes of a record are exactly the
/// bytes numpy stores for it.
///
/// ```text
///  record of chr:S10,pos:i4,pct:f4,c:i4,t:i4   (itemsize 26)
///  0                   10       14       18       22       26
///  +-------------------+--------+--------+--------+--------+
///  | chr  S10          | pos i4 | pct f4 | c   i4 | t   i4 |
///  +-------------------+--------+--------+--------+--------+
/// ```
///
/// Parsed from any of numpy's spellings:
///
/// ```java
/// DType a = DType.parse("chr:S10,pos:i4,pct:f4");                       // compact, for the command line
/// DType b = DType.parse("[('chr', '|S10'), ('pos', '<i4'), ('pct', '<f4')]"); // as Python prints descr
/// DType c = DType.parse("[[\"chr\", \"|S10\"], [\"pos\", \"<i4\"], [\"pct\", \"<f4\"]]"); // as JSON
/// assert a.equals(b) && b.equals(c);
/// assert a.itemSize() == 18 && a.field("pct").offset() == 14;
/// assert a.descrJson().equals("[[\"chr\", \"|S10\"], [\"pos\", \"<i4\"], [\"pct\", \"<f4\"]]");
/// ```
public final class DType {
    private final ScalarType scalar;          // plain dtypes only
    private final List<Field> fields;         // structured dtypes only
    private final Map<String, Field> byName;
    private final long itemSize;

    private DType(ScalarType scalar, List<Field> fields) {
        this.scalar = scalar;
        this.fields = fields;
        Map<String, Field> map = new HashMap<>();
        long size = scalar != null ? scalar.size() : 0;
        for (Field f : fields) {
            map.put(f.name(), f);
            size = Math.max(size, f.offset() + f.size());
        }
        this.byName = map;
        this.itemSize = size;
    }

    /// {@return a plain dtype of one scalar type}
    public static DType of(ScalarType scalar) {
        return new DType(Objects.requireNonNull(scalar, "scalar"), List.of());
    }

    /// {@return a structured dtype with fields packed in the given order}
    /// @param namesAndTypes alternating names (String) and types (ScalarType or a type string)
    public static DType record(Object... namesAndTypes) {
        if (namesAndTypes.length % 2 != 0) {
            throw new IllegalArgumentException("names and types come in pairs");
        }
        Builder b = builder();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            Object t = namesAndTypes[i + 1];
            b.add((String) namesAndTypes[i], t instanceof ScalarType s ? s : ScalarType.parse(t.toString()));
        }
        return b.build();
    }

    /// Parses a dtype from numpy's descr (as Python prints it, or as JSON), the compact form
    /// `name:type,...`, or a single type string such as `<f4`.
    ///
    /// @throws DTypeSpecException quoting the spec and pointing at the bad part
    public static DType parse(String spec) {
        return DTypeParser.parse(spec);
    }

    /// {@return a builder for a structured dtype}
    public static Builder builder() {
        return new Builder();
    }

    /// {@return whether this dtype has named fields}
    public boolean isStructured() {
        return scalar == null;
    }

    /// {@return the scalar type of a plain dtype}
    /// @throws IllegalStateException for a structured dtype
    public ScalarType scalar() {
        if (scalar == null) {
            throw new IllegalStateException("structured dtype " + descr() + " has no single scalar type");
        }
        return scalar;
    }

    /// {@return the fields in order; empty for a plain dtype}
    public List<Field> fields() {
        return fields;
    }

    /// {@return the field called `name`}
    /// @throws IllegalArgumentException naming the fields there are, when there is none so called
    public Field field(String name) {
        Field f = byName.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no field '" + name + "' in " + descr()
                    + (isStructured() ? " (fields: " + names() + ")" : " (a plain dtype has no fields)"));
        }
        return f;
    }

    /// {@return the field names in order}
    public List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    /// {@return bytes per element (per record), as numpy's `itemsize`}
    public long itemSize() {
        return itemSize;
    }

    /// {@return numpy's descr as Python prints it}, e.g. `[('chr', '|S10'), ('pos', '<i4')]`;
    /// for a plain dtype its type string, e.g. `<f4`.
    public String descr() {
        if (!isStructured()) {
            return scalar.str();
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            b.append(i == 0 ? "" : ", ").append('(').append(PythonLiterals.repr(f.name()))
                    .append(", '").append(f.type().str()).append("')");
        }
        return b.append(']').toString();
    }

    /// {@return numpy's descr as `json.dumps` writes it}, e.g. `[["chr", "|S10"], ["pos", "<i4"]]`;
    /// for a plain dtype a JSON string, e.g. `"<f4"`.
    public String descrJson() {
        if (!isStructured()) {
            return '"' + scalar.str() + '"';
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            b.append(i == 0 ? "" : ", ").append('[').append(PythonLiterals.json(f.name()))
                    .append(", \"").append(f.type().str()).append("\"]");
        }
        return b.append(']').toString();
    }

    /// {@return the compact spelling}, e.g. `chr:S10,pos:<i4`; parses back to an equal dtype
    /// when every name is a plain word.
    public String compact() {
        if (!isStructured()) {
            return scalar.str();
        }
        StringBuilder b = new StringBuilder();
        for (Field f : fields) {
            b.append(b.isEmpty() ? "" : ",").append(f.name()).append(':').append(f.type().str());
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DType d && Objects.equals(scalar, d.scalar) && fields.equals(d.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scalar, fields);
    }

    @Override
    public String toString() {
        return descr();
    }

    /// Builds a structured dtype field by field, packing each after the last.
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();
        private final Map<String, Field> names = new HashMap<>();
        private long offset;

        private Builder() {
        }

        /// Adds a field after the ones already added.
        /// @throws IllegalArgumentException for an empty or duplicate name
        public Builder add(String name, ScalarType type) {
            String problem = nameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (names.containsKey(name)) {
                throw new IllegalArgumentException("duplicate field name '" + name + "'");
            }
            Field f = new Field(name, type, offset);
            fields.add(f);
            names.put(name, f);
            offset += type.size();
            return this;
        }

        boolean has(String name) {
            return names.containsKey(name);
        }

        /// {@return the structured dtype}
        /// @throws IllegalStateException when no field was added
        public DType build() {
            if (fields.isEmpty()) {
                throw new IllegalStateException("a structured dtype needs at least one field");
            }
            return new DType(null, Collections.unmodifiableList(new ArrayList<>(fields)));
        }
    }

    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty field name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character in field name";
            }
        }
        return null;
    }
}
