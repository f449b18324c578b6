package io.ferry.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/// DuckDB as a contender of `bench/one-file`: its CSV reader loads the methylation table into a
/// table in memory, on every core, through its JDBC driver (`org.duckdb:duckdb_jdbc` from Maven
/// Central, on the class path beside this class), the closest it has to `ferry load` into an array.
///
/// ```text
/// java -cp benchmarks.jar:duckdb_jdbc.jar io.ferry.bench.DuckDbLoad FILE
/// ```
///
/// Only the JDBC API is compiled against: the driver is an optional contender, found at run time.
public final class DuckDbLoad {
    /// The table's columns as DuckDB types, the same widths as Ferry's dtype (`S10` is a string).
    static final String COLUMNS = "{'chr': 'VARCHAR', 'pos': 'INTEGER', 'pct': 'FLOAT', 'c': 'INTEGER', 't': 'INTEGER'}";

    private DuckDbLoad() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 1) {
            System.err.println("usage: DuckDbLoad FILE");
            System.exit(2);
        }
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            try (PreparedStatement load = db.prepareStatement("CREATE TABLE t AS SELECT * FROM read_csv(?, delim = '\\t',"
                    + " header = false, columns = " + COLUMNS + ")")) {
                load.setString(1, args[0]);
                load.execute();
            }
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
                r.next();
                System.out.println(r.getLong(1) + " rows");
            }
        }
    }
}
