package io.ferry.pipeline;

/// Makes a [PartReader.Factory] from JSON, so a child JVM can build the same readers as its parent.
///
/// Implementations are public classes with a public no-argument constructor; the parent names the
/// class and sends the JSON config (for the text loader: the dtype and the loader's options).
public interface PartReaderRecipe {
    /// {@return the readers `config` describes}
    PartReader.Factory readers(Object config);
}
