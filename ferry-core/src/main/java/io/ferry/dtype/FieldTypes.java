package io.ferry.dtype;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/// Types for fields whose names come from elsewhere (a table's header line), as `--dtype` gives
/// them with `--header`: in order (`S10,i4,f4,i4,i4`), one for every field (`f8`), or by name
/// (`pos:i8`, or a whole dtype whose names the header must have).
///
/// ```java
/// List<String> names = List.of("chr", "pos", "pct");
/// assert FieldTypes.parse("S10,i4,f4").resolve(names).equals(DType.parse("chr:S10,pos:i4,pct:f4"));
/// assert FieldTypes.parse("f8").resolve(names).equals(DType.parse("chr:f8,pos:f8,pct:f8"));
/// assert FieldTypes.parse("chr:S10,pos:i8,pct:f4").resolve(names).equals(DType.parse("chr:S10,pos:i8,pct:f4"));
/// ```
public final class FieldTypes {
    private final String spec;
    private final List<ScalarType> inOrder;          // null when by name
    private final Map<String, ScalarType> byName;    // null when in order

    private FieldTypes(String spec, List<ScalarType> inOrder, Map<String, ScalarType> byName) {
        this.spec = spec;
        this.inOrder = inOrder;
        this.byName = byName;
    }

    /// {@return types that name no field: every field's type comes from elsewhere (`--dtype infer`)}
    public static FieldTypes inferred() {
        return new FieldTypes("infer", null, Map.of());
    }

    /// Parses `spec`: types separated by commas, or a dtype with names (compact, descr or JSON).
    /// @throws DTypeSpecException quoting the spec and pointing at the bad part
    public static FieldTypes parse(String spec) {
        String s = spec.strip();
        if (s.startsWith("[") || s.contains(":")) {
            DType named = DType.parse(spec);
            Map<String, ScalarType> m = new LinkedHashMap<>();
            for (Field f : named.fields()) {
                m.put(f.name(), f.type());
            }
            return new FieldTypes(spec, null, m);
        }
        List<ScalarType> types = new ArrayList<>();
        int at = 0;
        for (String t : spec.split(",", -1)) {
            try {
                types.add(ScalarType.parse(t.strip()));
            } catch (DTypeSpecException e) {
                throw new DTypeSpecException(spec, at + Math.max(0, t.indexOf(t.strip())) + e.position(), e.reason());
            }
            at += t.length() + 1;
        }
        return new FieldTypes(spec, types, null);
    }

    /// {@return whether the types are given by name}
    public boolean byName() {
        return byName != null;
    }

    /// {@return whether a field of `names` has no type here}: by name, one not named, whose type
    /// then comes from elsewhere (a sample of the rows)
    public boolean leavesUntyped(List<String> names) {
        return byName != null && !byName.keySet().containsAll(names);
    }

    /// {@return the record of fields `names` with these types}
    /// @throws IllegalArgumentException when the types do not fit the names: another count in
    ///         order, a name the header lacks, or names left without a type (listed)
    public DType resolve(List<String> names) {
        return resolve(names, name -> null);
    }

    /// As [#resolve(List)], with the type of a field given no type by name taken from
    /// `otherwise` (null: none, an error listing it).
    public DType resolve(List<String> names, Function<String, ScalarType> otherwise) {
        return resolve(names, names, otherwise);
    }

    /// As [#resolve(List, Function)] for the fields `names` chosen among the columns `known` (a
    /// header's): a type by name may be for a column not chosen, not for one `known` lacks.
    public DType resolve(List<String> names, List<String> known, Function<String, ScalarType> otherwise) {
        DType.Builder b = DType.builder();
        if (inOrder != null) {
            if (inOrder.size() != 1 && inOrder.size() != names.size()) {
                throw new IllegalArgumentException("--dtype '" + spec + "' gives " + inOrder.size() + " types for the "
                        + names.size() + " columns of the header (" + String.join(", ", names) + ")");
            }
            for (int i = 0; i < names.size(); i++) {
                b.add(names.get(i), inOrder.get(inOrder.size() == 1 ? 0 : i));
            }
            return b.build();
        }
        List<String> unknown = new ArrayList<>(byName.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--dtype '" + spec + "' names " + String.join(", ", unknown)
                    + ", not in the header (" + String.join(", ", known) + ")");
        }
        List<String> untyped = new ArrayList<>();
        for (String n : names) {
            ScalarType t = byName.containsKey(n) ? byName.get(n) : otherwise.apply(n);
            if (t == null) {
                untyped.add(n);
            } else if (untyped.isEmpty()) {
                b.add(n, t);
            }
        }
        if (!untyped.isEmpty()) {
            throw new IllegalArgumentException("--dtype '" + spec + "' gives no type for " + String.join(", ", untyped)
                    + ": name them (" + String.join(",", untyped.stream().map(n -> n + ":f8").toList())
                    + ") or give every type in order");
        }
        return b.build();
    }
}
