/// A small strict JSON reader and writer: handles, messages and attributes are JSON, never Java serialization.
package io.ferry.json;
