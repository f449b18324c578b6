/// Text tables loaded into shared arrays, for other processes to map without a copy: in this
/// process ([SharedTables], what `ferry share` runs) or in the child JVMs of a
/// [io.ferry.proc.WorkerPool] ([LoadIntoSharedArray], the classic recipe's child), with the
/// loader's [io.ferry.text.LoadOptions]. It joins three packages that do not know each other:
/// `io.ferry.text` (the parse), `io.ferry.shm` (the segments) and `io.ferry.proc` (the children).
package io.ferry.share;
