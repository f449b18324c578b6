package io.ferry.gzip;

/// Every [GzipStreamTest] again with the JDK's zlib, the fallback when ISA-L cannot be loaded.
@org.junit.jupiter.api.Tag("process")
class JdkGzipStreamTest extends GzipStreamTest {
    @Override
    DeflateDecoder decoder() {
        return new JdkDeflateDecoder();
    }
}
