package io.ferry.dtype;

import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class DTypeTest {
    private static final String METH = "chr:S10,pos:i4,pct:f4,c:i4,t:i4";

    @Test
    void threeSpellingsGiveOneDtype() {
        DType compact = DType.parse(METH);
        DType python = DType.parse("[('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]");
        DType json = DType.parse("[[\"chr\", \"|S10\"], [\"pos\", \"<i4\"], [\"pct\", \"<f4\"], [\"c\", \"<i4\"], [\"t\", \"<i4\"]]");
        assertEquals(compact, python);
        assertEquals(python, json);
        assertEquals(26, compact.itemSize());
        assertEquals(List.of(0L, 10L, 14L, 18L, 22L), compact.fields().stream().map(Field::offset).toList());
        assertEquals(compact, DType.parse(compact.descr()));
        assertEquals(compact, DType.parse(compact.descrJson()));
        assertEquals(compact, DType.parse(compact.compact()));
    }

    @Test
    void plainTypes() {
        DType f4 = DType.parse("<f4");
        assertFalse(f4.isStructured());
        assertEquals("<f4", f4.descr());
        assertEquals("\"<f4\"", f4.descrJson());
        assertEquals(DType.parse("\"<f4\""), f4);
        assertEquals(DType.parse("float32"), f4);
        assertEquals(">u2", DType.parse(">u2").descr());
        assertEquals("|b1", DType.parse("?").descr());
        assertEquals("|i1", DType.parse("<i1").descr());
        assertEquals("|S3", DType.parse(">S3").descr());
    }

    /// numpy is the judge: offsets, itemsize and both spellings of descr must equal numpy's own.
    @Test
    void layoutAndDescrEqualNumpys() {
        List<String> specs = List.of(METH, "a:b1,b:u1,c:i2,d:>u4,e:f8,f:<i8,g:S1,h:>f4,i:u8,j:i1",
                "x:>f8", "only:S7");
        PythonPeer.require("numpy");
        for (String spec : specs) {
            DType d = DType.parse(spec);
            String out = PythonPeer.run("""
                    import sys, json, numpy as np
                    dt = np.dtype(json.loads(sys.argv[1]) and [tuple(f) for f in json.loads(sys.argv[1])])
                    print(dt.descr)
                    print(json.dumps(dt.descr))
                    print(dt.itemsize)
                    print([dt.fields[n][1] for n in dt.names])
                    """, d.descrJson());
            String[] lines = out.strip().split("\n");
            assertEquals(lines[0], d.descr(), spec);
            assertEquals(lines[1], d.descrJson(), spec);
            assertEquals(Long.parseLong(lines[2]), d.itemSize(), spec);
            assertEquals(lines[3], d.fields().stream().map(f -> Long.toString(f.offset())).toList().toString(), spec);
        }
    }

    @Test
    void oddFieldNamesPrintAsPythonDoes() {
        DType d = DType.builder().add("it's", ScalarType.parse("i4")).add("say \"hi\"", ScalarType.parse("f8")).build();
        PythonPeer.require("numpy");
        String out = PythonPeer.run("""
                import sys, json, numpy as np
                dt = np.dtype([tuple(f) for f in json.loads(sys.argv[1])])
                print(dt.descr)
                print(json.dumps(dt.descr))
                """, d.descrJson());
        String[] lines = out.strip().split("\n");
        assertEquals(lines[0], d.descr());
        assertEquals(lines[1], d.descrJson());
        assertEquals(d, DType.parse(d.descr()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            chr:S0,pos:i4           | 5  | size 0 for S
            chr:S10,pos:i3          | 13 | size 3 for i
            chr:S10,pos:q4          | 12 | unknown type 'q4'
            chr:S10,chr:i4          | 8  | duplicate field name 'chr'
            chr:S10,:i4             | 8  | empty field name
            chr:S10,pos:i4 junk     | 15 | expected ',' between fields
            "[('a', '<i4')] x"      | 15 | unexpected text after the dtype
            "[('a', '<i4'), ('', '<f8')]" | 16 | empty field name
            "[('a', '<i4', (3,))]"  | 12 | sub-array fields
            "[('a', '<i4')"         | 13 | expected ']' but the spec ended
            pos:i                   | 5  | missing size after 'i'
            pos:b                   | 5  | missing size after 'b' (e.g. b1 for bool, i1 for int8)
            x:f2                    | 3  | f2 is not supported
            ""                      | 0  | empty dtype spec
            """)
    void badSpecsQuoteTheSpecAndPointAtTheProblem(String spec, int position, String why) {
        DTypeSpecException e = assertThrows(DTypeSpecException.class, () -> DType.parse(spec));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains(spec), e.getMessage());
        assertEquals(position, e.position(), e.getMessage());
        String[] lines = e.getMessage().split("\n");
        assertEquals("  " + " ".repeat(position) + "^", lines[2]);
    }
}
