#include "binlog_corpus.hpp"

#include <initializer_list>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ferry::mysql::agreement {
namespace {

using ferry::testing::Connection;

// Runs statements and counts the rows each changes, per table and kind.
class CorpusWriter {
 public:
  explicit CorpusWriter(Connection& c) : c_(c) {}

  void sql(const std::string& statement) { c_.execute(statement); }

  // A statement changing rows of `table` only.
  void dml(const std::string& table, RowsKind kind, const std::string& statement) {
    c_.execute(statement);
    log_.expected_rows[tally_key(kCorpusSchema, table, kind)].rows += row_count(statement);
  }

  // A statement changing several tables: ROW_COUNT() only gives the total, so the split is
  // stated here and the total checked.
  void dml_split(std::initializer_list<std::pair<std::string, uint64_t>> changed, RowsKind kind,
                 const std::string& statement) {
    c_.execute(statement);
    uint64_t total = 0;
    for (const auto& [table, rows] : changed) {
      log_.expected_rows[tally_key(kCorpusSchema, table, kind)].rows += rows;
      total += rows;
    }
    const uint64_t counted = row_count(statement);
    if (counted != total) {
      throw std::runtime_error("corpus statement changed " + std::to_string(counted) + " rows, not " +
                               std::to_string(total) + ": " + statement);
    }
  }

  CorpusLog take() { return std::move(log_); }

 private:
  uint64_t row_count(const std::string& statement) {
    const auto n = c_.query_value("SELECT ROW_COUNT()");
    if (!n || n->front() == '-') throw std::runtime_error("no row count after: " + statement);
    return std::stoull(*n);
  }

  Connection& c_;
  CorpusLog log_;
};

constexpr RowsKind kInsert = RowsKind::Write;
constexpr RowsKind kUpdate = RowsKind::Update;
constexpr RowsKind kDelete = RowsKind::Delete;

// X'000102...FF': every byte value once.
std::string every_byte() {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out = "X'";
  for (int b = 0; b < 256; ++b) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out + "'";
}

// 'p1','p2',... for ENUM and SET definitions.
std::string members(const std::string& prefix, int count) {
  std::string out;
  for (int i = 1; i <= count; ++i) out += (i > 1 ? ",'" : "'") + prefix + std::to_string(i) + "'";
  return out;
}

void integers(CorpusWriter& w) {
  w.sql(
      "CREATE TABLE ints (id INT NOT NULL PRIMARY KEY, t TINYINT, tu TINYINT UNSIGNED, s SMALLINT, "
      "su SMALLINT UNSIGNED, m MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, b BIGINT, "
      "bu BIGINT UNSIGNED, nn TINYINT NOT NULL)");
  // Minima, maxima, the values whose top bit is set (where the signed and unsigned readings
  // part), zeros, and NULL in every nullable column.
  w.dml("ints", kInsert,
        "INSERT INTO ints VALUES "
        "(1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, -128),"
        "(2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, "
        "18446744073709551615, 127),"
        "(3, -1, 128, -1, 32768, -1, 8388608, -1, 2147483648, -1, 9223372036854775808, -1),"
        "(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0),"
        "(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)");
  w.dml("ints", kInsert, "INSERT INTO ints VALUES (6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)");
  w.dml("ints", kUpdate, "UPDATE ints SET tu = 254, bu = 18446744073709551614 WHERE id = 2");
  w.dml("ints", kUpdate, "UPDATE ints SET id = id + 100 WHERE id IN (1, 2)");  // primary key, two rows
  w.dml("ints", kUpdate, "UPDATE ints SET t = NULL, b = NULL, iu = NULL WHERE id = 5");
  w.dml("ints", kUpdate, "UPDATE ints SET t = -7, bu = 7 WHERE id = 4");  // from NULL
  w.dml("ints", kDelete, "DELETE FROM ints WHERE id = 101");
  w.dml("ints", kDelete, "DELETE FROM ints WHERE id IN (3, 4)");
}

void numbers(CorpusWriter& w) {
  w.sql(
      "CREATE TABLE nums (id INT NOT NULL PRIMARY KEY, d65 DECIMAL(65,30), d10 DECIMAL(10,0), d5 DECIMAL(5,5), "
      "du DECIMAL(12,4) UNSIGNED, d1 DECIMAL(1,0), f FLOAT, d DOUBLE)");
  const std::string max65 = "99999999999999999999999999999999999.999999999999999999999999999999";
  const std::string tiny65 = "0.000000000000000000000000000001";
  w.dml("nums", kInsert,
        "INSERT INTO nums VALUES "
        "(1, " + max65 + ", 9999999999, 0.99999, 99999999.9999, 9, 0.1, 0.1),"
        "(2, -" + max65 + ", -9999999999, -0.99999, 0, -9, -0.0, -0.0),"
        "(3, " + tiny65 + ", 0, 0.00001, 0.0001, 0, 1e-38, 1.7976931348623157e308),"
        "(4, -" + tiny65 + ", 1, -0.00001, 1, 1, 3.4e38, -1.7976931348623157e308),"
        "(5, -12345678901234567890.123456789012345678901234567890, -1234567890, 0.5, 12.5, -1, -3.4e38, "
        "2.2250738585072014e-308),"
        "(6, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
        "(7, 0, 0, 0, 0, 0, 0, 0),"
        "(8, 123456789.987654321, 100, 0.1, 0.1, 5, 16777217, 9007199254740993),"
        "(9, -0.5, -1, -0.5, 0.5, -5, 1.17549435e-38, 4.9406564584124654e-324),"
        "(10, 1, 2, 0.25, 3, 2, 123456.789, 3.141592653589793)");
  w.dml("nums", kUpdate, "UPDATE nums SET f = f * 2, d = -d, d65 = d65 / 3 WHERE id IN (1, 3, 10)");
  w.dml("nums", kUpdate, "UPDATE nums SET id = 200 WHERE id = 2");
  w.dml("nums", kUpdate, "UPDATE nums SET d65 = NULL, f = NULL WHERE id = 7");
  w.dml("nums", kDelete, "DELETE FROM nums WHERE id IN (5, 9)");
}

// DECIMAL's 9-digit groups at their boundaries (a column of whole groups only, one more digit),
// and MariaDB's scales above MySQL's 30, up to 38.
void decimals(CorpusWriter& w) {
  w.sql(
      "CREATE TABLE decimals (id INT NOT NULL PRIMARY KEY, d9 DECIMAL(9,0), d18 DECIMAL(18,9), d19 DECIMAL(19,10), "
      "d30 DECIMAL(30,20), d38 DECIMAL(38,38), d40 DECIMAL(40,31), d65 DECIMAL(65,38))");
  w.dml("decimals", kInsert,
        "INSERT INTO decimals VALUES "
        "(1, 999999999, 999999999.999999999, 999999999.9999999999, 9999999999.99999999999999999999, "
        "0.99999999999999999999999999999999999999, 999999999.9999999999999999999999999999999, "
        "999999999999999999999999999.99999999999999999999999999999999999999),"
        "(2, -999999999, -999999999.999999999, -999999999.9999999999, -9999999999.99999999999999999999, "
        "-0.99999999999999999999999999999999999999, -999999999.9999999999999999999999999999999, "
        "-999999999999999999999999999.99999999999999999999999999999999999999),"
        "(3, 1, 0.000000001, -0.0000000001, 0.00000000000000000001, 0.00000000000000000000000000000000000001, "
        "-0.0000000000000000000000000000001, 0.00000000000000000000000000000000000001),"
        "(4, 0, 0, 0, 0, 0, 0, 0),"
        "(5, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
        "(6, 123456789, 123456789.123456789, -123456789.0123456789, 1234567890.12345678901234567890, "
        "0.12345678901234567890123456789012345678, -123456789.1234567890123456789012345678901, "
        "-123456789012345678901234567.12345678901234567890123456789012345678)");
  w.dml("decimals", kUpdate, "UPDATE decimals SET d38 = -d38, d65 = d65 / 7 WHERE id IN (1, 6)");
  w.dml("decimals", kDelete, "DELETE FROM decimals WHERE id = 2");
}

void bits_and_years(CorpusWriter& w) {
  w.sql(
      "CREATE TABLE bits (id INT NOT NULL PRIMARY KEY, b1 BIT(1), b8 BIT(8), b10 BIT(10), b63 BIT(63), b64 BIT(64), "
      "y YEAR)");
  // YEAR 0 is the year 0000, stored as the byte 0.
  w.dml("bits", kInsert,
        "INSERT INTO bits VALUES "
        "(1, b'1', b'11111111', b'1111111111', 0x7FFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 2155),"
        "(2, b'0', 0, 0, 0, 0, 0),"
        "(3, 1, 128, 512, 1, 0x8000000000000000, 1901),"
        "(4, NULL, NULL, NULL, NULL, NULL, NULL),"
        "(5, 0, 0x5A, b'1010101010', 0x5555555555555555, 0xAAAAAAAAAAAAAAAA, 1999)");
  w.dml("bits", kUpdate, "UPDATE bits SET b64 = b64 >> 1, y = 2000 WHERE id = 1");
  w.dml("bits", kUpdate, "UPDATE bits SET id = 30 WHERE id = 3");
  w.dml("bits", kUpdate, "UPDATE bits SET b64 = NULL, y = NULL WHERE id = 5");
  w.dml("bits", kDelete, "DELETE FROM bits WHERE id = 2");
}

// One row of `temporal`: the same literal in each fractional width of a type, which the server
// truncates to each width.
std::string temporal_row(int id, const std::string& date, const std::string& datetime, const std::string& time,
                         const std::string& timestamp) {
  std::string row = "(" + std::to_string(id) + ", " + date;
  for (const std::string* v : {&datetime, &time, &timestamp}) {
    for (int fsp = 0; fsp <= 6; ++fsp) row += ", " + *v;
  }
  return row + ")";
}

void temporals(CorpusWriter& w) {
  struct Family {
    const char* prefix;
    const char* type;
    const char* suffix;
  };
  // Columns dt0..dt6, t0..t6, ts0..ts6, in the order temporal_row() fills them.
  const Family families[] = {{"dt", "DATETIME", ""}, {"t", "TIME", ""}, {"ts", "TIMESTAMP", " NULL DEFAULT NULL"}};
  std::string columns = "id INT NOT NULL PRIMARY KEY, d DATE";
  for (const Family& f : families) {
    for (int fsp = 0; fsp <= 6; ++fsp) {
      const std::string n = std::to_string(fsp);
      columns += std::string(", ") + f.prefix + n + " " + f.type + "(" + n + ")" + f.suffix;
    }
  }
  w.sql("CREATE TABLE temporal (" + columns + ")");
  // Zero dates (sql_mode is ''), extremes, negative times with and without fractions (whose
  // fraction is stored inverted), the first TIMESTAMP and the last, fractions in every width.
  w.dml("temporal", kInsert,
        "INSERT INTO temporal VALUES " +
            temporal_row(1, "'0000-00-00'", "'0000-00-00 00:00:00'", "'00:00:00'", "'0000-00-00 00:00:00'") + "," +
            temporal_row(2, "'9999-12-31'", "'9999-12-31 23:59:59.999999'", "'838:59:59.999999'",
                         "'2038-01-19 03:14:07.999999'") + "," +
            temporal_row(3, "'1000-01-01'", "'1000-01-01 00:00:00.000001'", "'-838:59:59.000000'",
                         "'1970-01-01 00:00:01'") + "," +
            temporal_row(4, "'2024-02-29'", "'2024-02-29 12:34:56.123456'", "'-00:00:00.5'",
                         "'2024-02-29 12:34:56.123456'") + "," +
            temporal_row(5, "'0001-01-01'", "'0001-01-01 00:00:00.5'", "'-00:00:01.25'",
                         "'2001-09-09 01:46:40.5'") + "," +
            temporal_row(6, "'2024-00-00'", "'2024-00-00 00:00:00'", "'-00:00:00.000001'", "'1970-01-01 00:00:01.000001'") +
            "," + temporal_row(7, "NULL", "NULL", "NULL", "NULL") + "," +
            temporal_row(8, "'1999-12-31'", "'1999-12-31 23:59:59.987654'", "'-838:59:59.999999'",
                         "'1999-12-31 23:59:59.987654'") + "," +
            temporal_row(9, "'2000-01-01'", "'2000-01-01 00:00:00.1'", "'-12:34:56.789012'", "'2000-01-01 00:00:00.09'"));
  w.dml("temporal", kUpdate,
        "UPDATE temporal SET t3 = '-00:00:01.25', ts6 = '2038-01-19 03:14:07.999999', d = '0000-00-00' WHERE id = 4");
  w.dml("temporal", kUpdate, "UPDATE temporal SET id = 40 WHERE id = 4");
  w.dml("temporal", kUpdate, "UPDATE temporal SET dt6 = NULL, t6 = NULL, ts6 = NULL WHERE id IN (1, 2)");
  w.dml("temporal", kDelete, "DELETE FROM temporal WHERE id = 5");

  // MariaDB's pre-10.1.2 layouts, as tables made before mysql56_temporal_format or with it off
  // still have: the binlog's old DATETIME (8 bytes), TIME (3 bytes) and TIMESTAMP (4 bytes).
  // With fractional digits these are MariaDB 5.3's formats, which mariadb-binlog cannot print
  // (nor ferry decode), so only the whole-second ones are here.
  w.sql("SET GLOBAL mysql56_temporal_format = OFF");
  w.sql("CREATE TABLE old_temporal (id INT NOT NULL PRIMARY KEY, dt DATETIME, t TIME, ts TIMESTAMP NULL DEFAULT NULL)");
  w.sql("SET GLOBAL mysql56_temporal_format = ON");
  w.dml("old_temporal", kInsert,
        "INSERT INTO old_temporal VALUES (1, '2001-02-03 04:05:06', '-12:34:56', '2001-02-03 04:05:06'),"
        "(2, '0000-00-00 00:00:00', '-838:59:59', '1970-01-01 00:00:01'),"
        "(3, '9999-12-31 23:59:59', '838:59:59', '2038-01-19 03:14:07'),"
        "(4, NULL, NULL, NULL), (5, '2024-00-00 00:00:00', '00:00:00', '0000-00-00 00:00:00')");
  w.dml("old_temporal", kUpdate, "UPDATE old_temporal SET id = 10, t = '-00:00:01' WHERE id = 1");
  w.dml("old_temporal", kDelete, "DELETE FROM old_temporal WHERE id = 2");
}

void strings(CorpusWriter& w) {
  w.sql(
      "CREATE TABLE strings (id INT NOT NULL PRIMARY KEY, "
      "c10 CHAR(10), c255 CHAR(255), v20 VARCHAR(20), v300 VARCHAR(300), "  // utf8mb4: 40, 1020, 80, 1200 bytes
      "lc CHAR(5) CHARACTER SET latin1, lv VARCHAR(255) CHARACTER SET latin1, "
      "lv300 VARCHAR(300) CHARACTER SET latin1, "  // 1- and 2-byte lengths in latin1
      "bn BINARY(4), vb VARBINARY(10), vb300 VARBINARY(300), "
      "tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB, "
      "tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT CHARACTER SET latin1) DEFAULT CHARSET utf8mb4");
  const std::string bytes = every_byte();
  // 4-byte UTF-8; latin1 bytes >= 0x80 given as bytes, not converted; control characters,
  // quotes and backslashes (a literal "\x41" too, which mariadb-binlog prints like the byte
  // 0x41 escaped); " /* " inside a value, which its type comment also starts with; zero bytes
  // in binary strings; a MEDIUMBLOB over 64 KiB (3-byte length).
  w.dml("strings", kInsert,
        "INSERT INTO strings VALUES (1, 'abc', REPEAT('€', 255), 'ü 😀', REPEAT('😀', 300), "
        "_latin1 X'80A0E9FF', _latin1 X'00414280FF', CONCAT(REPEAT(_latin1 X'E9', 299), _latin1 X'FF'), "
        "X'00010000', X'00FF00', " + bytes + ", X'00', " + bytes + ", REPEAT(" + bytes + ", 300), REPEAT(" + bytes +
            ", 20), "
            "'it''s \\\\ \\n \\t \\0 end', 'tab\\there /* not a comment */ \\\\x41 ', '𝄞 music 🎵', "
            "CONCAT(_latin1 X'E9', REPEAT(_latin1 X'FF', 1000)))");
  w.dml("strings", kInsert,
        "INSERT INTO strings VALUES (2, '', '', '', '', '', '', '', X'', X'', X'', X'', X'', X'', X'', '', '', '', ''),"
        "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        "NULL),"
        // Trailing spaces: CHAR drops them, VARCHAR keeps them; BINARY pads with zero bytes.
        "(4, 'a  ', 'b ', 'c  ', ' d ', 'e ', ' ', '  ', 'ab', X'2000', X'20', ' ', X'0000', ' ', ' ', ' ', ' ', ' ', ' ')");
  w.dml("strings", kUpdate, "UPDATE strings SET v300 = REPEAT('x', 300), vb = X'FFFF', tx = REPEAT('ab', 200) WHERE id = 1");
  w.dml("strings", kUpdate, "UPDATE strings SET bl = X'DEADBEEF', lt = 'changed' WHERE id = 2");  // only blobs change
  w.dml("strings", kUpdate, "UPDATE strings SET id = 10 WHERE id = 1");
  w.dml("strings", kUpdate, "UPDATE strings SET c10 = 'x', mb = NULL WHERE id IN (2, 4)");
  w.dml("strings", kDelete, "DELETE FROM strings WHERE id = 3");
  w.dml("strings", kDelete, "DELETE FROM strings WHERE id = 10");
}

void enums_and_sets(CorpusWriter& w) {
  // ENUM with more than 255 members takes 2 bytes; SET with 9 members 2 bytes, with 64 8 bytes.
  w.sql("CREATE TABLE enums (id INT NOT NULL PRIMARY KEY, e ENUM('a','b','c'), e300 ENUM(" + members("m", 300) +
        "), s SET('x','y','z'), s9 SET(" + members("s", 9) + "), s64 SET(" + members("b", 64) +
        "), en ENUM('', 'blank') NOT NULL)");
  std::string all64;
  for (int i = 1; i <= 64; ++i) all64 += (i > 1 ? ",b" : "b") + std::to_string(i);
  // '' in a column without that member is the error value, index 0 (sql_mode is '').
  w.dml("enums", kInsert,
        "INSERT INTO enums VALUES (1, 'a', 'm1', 'x', 's9', 'b1', ''),"
        "(2, 'c', 'm300', 'x,y,z', 's1,s9', '" + all64 + "', 'blank'),"
        "(3, NULL, NULL, NULL, NULL, NULL, ''),"
        "(4, '', '', '', '', '', 'blank'),"
        "(5, 'b', 'm256', 'y', 's8', 'b64', ''),"
        "(6, 'b', 'm255', 'z', 's1,s2,s3,s4,s5,s6,s7,s8,s9', 'b32,b33', 'blank')");
  w.dml("enums", kUpdate, "UPDATE enums SET e300 = 'm299', s64 = 'b2,b63' WHERE id = 1");
  w.dml("enums", kUpdate, "UPDATE enums SET id = 20 WHERE id = 2");
  w.dml("enums", kUpdate, "UPDATE enums SET e = NULL, s64 = NULL WHERE id IN (5, 6)");
  w.dml("enums", kDelete, "DELETE FROM enums WHERE id = 4");
}

void json_and_geometry(CorpusWriter& w) {
  w.sql("CREATE TABLE docs (id INT NOT NULL PRIMARY KEY, j JSON, g GEOMETRY, pt POINT, pg POLYGON)");
  w.dml("docs", kInsert,
        "INSERT INTO docs VALUES "
        "(1, '{\"a\": [1, {\"b\": null, \"c\": [true, false, 1.5e10]}], \"d\": \"é😀\", "
        "\"e\": {\"f\": {\"g\": {\"h\": \"\\\\\\\"quoted\\\\\\\"\"}}}}', "
        "ST_GeomFromText('LINESTRING(0 0, 1 1, 2 3)', 4326), POINT(1, 2), "
        "ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2))')),"
        "(2, '[]', ST_GeomFromText('POINT(-1.5 1e300)'), POINT(-0.0, 0.1), "
        "ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))')),"
        "(3, NULL, NULL, NULL, NULL),"
        "(4, '\"\"', ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 1))'), POINT(0, 0), NULL)");
  w.dml("docs", kUpdate, "UPDATE docs SET j = JSON_SET(j, '$.a[0]', 2), pt = POINT(3, 4) WHERE id = 1");
  w.dml("docs", kUpdate, "UPDATE docs SET id = 5 WHERE id = 2");
  w.dml("docs", kDelete, "DELETE FROM docs WHERE id = 4");
}

// MariaDB's own types (stored as fixed-length binary strings), generated columns (logged with
// their values) and an invisible column.
void mariadb_types(CorpusWriter& w) {
  w.sql(
      "CREATE TABLE mariadb_types (id INT NOT NULL PRIMARY KEY, i6 INET6, u UUID, i4 INET4, "
      "gv INT AS (id * 2) VIRTUAL, gs VARCHAR(20) AS (CONCAT('s', id)) STORED, inv INT INVISIBLE DEFAULT 5)");
  w.dml("mariadb_types", kInsert,
        "INSERT INTO mariadb_types (id, i6, u, i4) VALUES "
        "(1, '2001:db8::ff00:42:8329', '123e4567-e89b-12d3-a456-426655440000', '192.168.0.1'),"
        "(2, '::', '00000000-0000-0000-0000-000000000000', '0.0.0.0'),"
        "(3, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '255.255.255.255'),"
        "(4, NULL, NULL, NULL)");
  w.dml("mariadb_types", kUpdate, "UPDATE mariadb_types SET id = 10, i4 = '10.0.0.1' WHERE id = 1");
  w.dml("mariadb_types", kDelete, "DELETE FROM mariadb_types WHERE id = 3");
}

// A column of every charset kind, ENUM and SET and GEOMETRY among them: the TABLE_MAP's charset
// metadata lists only some column types, and lists per column (COLUMN_CHARSET) when no charset
// dominates, so a reader that counts the wrong columns gives later columns the wrong charset.
void mixed_charsets(CorpusWriter& w) {
  w.sql("CREATE TABLE mixed (id INT NOT NULL PRIMARY KEY, e ENUM('p','q') CHARACTER SET latin1, vb VARBINARY(8), "
        "v VARCHAR(8) CHARACTER SET utf16, pt POINT, lt TEXT CHARACTER SET latin1, "
        "s20 SET(" + members("t", 20) + ") CHARACTER SET utf8mb4, bn BINARY(3), c CHAR(3) CHARACTER SET ascii, "
        "u32 VARCHAR(4) CHARACTER SET utf32, blb BLOB, j JSON)");
  w.dml("mixed", kInsert,
        "INSERT INTO mixed VALUES "
        "(1, 'q', X'00FF', 'ab😀', POINT(5, 6), _latin1 X'E9FF', 't1,t17,t20', X'010203', 'abc', 'x😀', X'00', '{}'),"
        "(2, 'p', X'', '', NULL, '', '', X'', '', '', X'', '[1]'),"
        "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
  w.dml("mixed", kUpdate, "UPDATE mixed SET v = 'z', s20 = 't9' WHERE id = 1");
  w.dml("mixed", kDelete, "DELETE FROM mixed WHERE id = 2");

  // One charset with exceptions: logged as a default plus (column, charset) pairs, for the
  // string columns and for the ENUM/SET columns each.
  w.sql("CREATE TABLE defaults (id INT NOT NULL PRIMARY KEY, a VARCHAR(5), b VARCHAR(5) CHARACTER SET latin1, c TEXT, "
        "d CHAR(2), e VARBINARY(3), f TEXT, g ENUM('a','b'), h SET('c','d') CHARACTER SET latin1, i ENUM('x'), "
        "j ENUM('y')) DEFAULT CHARSET utf8mb4");
  w.dml("defaults", kInsert,
        "INSERT INTO defaults VALUES (1, 'é', _latin1 X'E9', 't', 'ch', X'00FF', '😀', 'b', 'c,d', 'x', 'y'),"
        "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
  w.dml("defaults", kUpdate, "UPDATE defaults SET b = 'x', h = 'd' WHERE id = 1");
  w.dml("defaults", kDelete, "DELETE FROM defaults WHERE id = 2");
}

// MariaDB's compressed columns (10.3+), logged as types 140 and 141 with the stored bytes: a
// header byte, then the value as is (shorter than column_compression_threshold, 100 bytes, or
// not shorter compressed) or a raw deflate stream. Both ways in each column, the threshold's
// edge (99 and 100 bytes), bytes that do not compress, 1-, 2- and 3-byte lengths, latin1 and
// utf8mb4 text, binary, NULL and empty values.
void compressed_columns(CorpusWriter& w) {
  w.sql("CREATE TABLE compressed (id INT NOT NULL PRIMARY KEY, "
        "vu VARCHAR(1000) COMPRESSED CHARACTER SET utf8mb4, vl VARCHAR(200) COMPRESSED CHARACTER SET latin1, "
        "vb VARBINARY(300) COMPRESSED, b BLOB COMPRESSED, t TEXT COMPRESSED, "
        "tt TINYTEXT COMPRESSED CHARACTER SET latin1, mb MEDIUMBLOB COMPRESSED) DEFAULT CHARSET utf8mb4");
  const std::string bytes = every_byte();
  // 128 bytes that deflate cannot shorten: stored as is although over the threshold.
  const std::string noise = "CONCAT(UNHEX(SHA2('ferry', 512)), UNHEX(SHA2('corpus', 512)))";
  w.dml("compressed", kInsert,
        "INSERT INTO compressed VALUES "
        "(1, 'abc', _latin1 X'E9', X'00FF', X'000102', 'ü 😀', _latin1 X'FF', X'DEADBEEF'),"
        "(2, REPEAT('ab😀 ', 200), REPEAT(_latin1 X'E9', 200), REPEAT(X'00FF', 150), REPEAT(" + bytes + ", 40), "
        "REPEAT('text ', 3000), REPEAT('y', 255), REPEAT(" + bytes + ", 400)),"
        "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
        "(4, '', '', X'', X'', '', '', X''),"
        "(5, REPEAT('z', 99), REPEAT('z', 100), " + noise + ", " + noise + ", REPEAT('é', 50), REPEAT('q', 99), " +
            noise + ")");
  w.dml("compressed", kUpdate, "UPDATE compressed SET vu = REPEAT('ü', 1000), b = NULL, t = 'short' WHERE id = 1");
  w.dml("compressed", kUpdate, "UPDATE compressed SET id = 20 WHERE id = 2");
  w.dml("compressed", kUpdate, "UPDATE compressed SET vl = REPEAT('w', 150), mb = '' WHERE id IN (4, 5)");
  w.dml("compressed", kDelete, "DELETE FROM compressed WHERE id = 3");
  w.dml("compressed", kDelete, "DELETE FROM compressed WHERE id = 20");
}

// 300 columns: a column count over 250 takes 3 bytes, and the bitmaps 38 bytes.
void wide(CorpusWriter& w) {
  std::string columns = "id INT NOT NULL PRIMARY KEY";
  std::string values_1 = "(1";
  std::string values_2 = "(2";
  for (int i = 1; i < 300; ++i) {
    columns += ", c" + std::to_string(i) + " SMALLINT";
    values_1 += ", " + std::to_string(i * (i % 2 ? 1 : -1));
    values_2 += i % 3 ? ", NULL" : ", 0";
  }
  w.sql("CREATE TABLE wide (" + columns + ")");
  w.dml("wide", kInsert, "INSERT INTO wide VALUES " + values_1 + ")," + values_2 + ")");
  w.dml("wide", kUpdate, "UPDATE wide SET c150 = 7, c299 = NULL WHERE id = 1");
  w.dml("wide", kDelete, "DELETE FROM wide WHERE id = 2");
}

// No primary key: the before image of MINIMAL and NOBLOB logging is the whole row.
void keyless(CorpusWriter& w) {
  w.sql("CREATE TABLE keyless (a INT, b VARCHAR(10), c BLOB)");
  w.dml("keyless", kInsert, "INSERT INTO keyless VALUES (1, 'one', X'01'), (2, NULL, NULL), (3, 'three', X'')");
  w.dml("keyless", kUpdate, "UPDATE keyless SET b = 'two' WHERE a = 2");
  w.dml("keyless", kDelete, "DELETE FROM keyless WHERE a = 3");
}

// Statements over more rows than one event holds (binlog_row_event_max_size, 8 KiB by
// default): several rows events, STMT_END_F on the last only.
void big_statements(CorpusWriter& w) {
  w.sql("CREATE TABLE big (id INT NOT NULL PRIMARY KEY, pad VARCHAR(200))");
  w.dml("big", kInsert, "INSERT INTO big SELECT seq, REPEAT(CHAR(65 + seq % 26), 150) FROM seq_1_to_400");
  w.dml("big", kUpdate, "UPDATE big SET pad = CONCAT(pad, '!') WHERE id <= 300");
  // One statement, two tables: their events share the statement.
  w.dml_split({{"keyless", 2}, {"big", 1}}, kUpdate,
              "UPDATE keyless k, big g SET k.a = k.a + 100, g.pad = 'joined' WHERE g.id = 1");
  w.dml("big", kDelete, "DELETE FROM big WHERE id > 100");
}

// Several statements in one transaction.
void transaction(CorpusWriter& w) {
  w.sql("BEGIN");
  w.dml("ints", kInsert, "INSERT INTO ints VALUES (7, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2), (8, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3)");
  w.dml("ints", kUpdate, "UPDATE ints SET nn = -nn WHERE id IN (7, 8)");
  w.dml("bits", kDelete, "DELETE FROM bits WHERE id = 30");
  w.sql("COMMIT");
}

}  // namespace

CorpusLog write_corpus(Connection& connection) {
  CorpusWriter w(connection);
  // Zero dates and invalid ENUM values need a permissive sql_mode; literals are UTC so that the
  // TIMESTAMP extremes are in range.
  w.sql("SET SESSION sql_mode = ''");
  w.sql("SET SESSION time_zone = '+00:00'");
  w.sql(std::string("CREATE DATABASE ") + kCorpusSchema);
  w.sql(std::string("USE ") + kCorpusSchema);
  integers(w);
  numbers(w);
  decimals(w);
  bits_and_years(w);
  temporals(w);
  // Table ids go on across files, and each file starts with its own TABLE_MAPs.
  w.sql("FLUSH BINARY LOGS");
  strings(w);
  enums_and_sets(w);
  json_and_geometry(w);
  mariadb_types(w);
  mixed_charsets(w);
  compressed_columns(w);
  wide(w);
  keyless(w);
  big_statements(w);
  transaction(w);
  return w.take();
}

Catalog read_catalog(Connection& connection) {
  Catalog catalog;
  const auto rows = connection.query(
      std::string("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE FROM information_schema.COLUMNS "
                  "WHERE TABLE_SCHEMA = '") +
      kCorpusSchema + "' ORDER BY TABLE_NAME, ORDINAL_POSITION");
  for (const auto& row : rows) {
    ColumnFacts c;
    c.name = row[1].value_or("");
    const std::string type = row[2].value_or("");
    const std::string data_type = row[3].value_or("");
    c.is_unsigned = type.find(" unsigned") != std::string::npos;
    // INET6, UUID and INET4 are binary strings underneath, and logged so.
    c.is_binary = data_type == "binary" || data_type == "varbinary" || data_type.ends_with("blob") ||
                  data_type == "inet6" || data_type == "uuid" || data_type == "inet4";
    if (data_type == "enum" || data_type == "set") {
      // enum('a','b'): the corpus's members hold no quotes or commas.
      const size_t open = type.find('(');
      std::string list = type.substr(open + 1, type.size() - open - 2);
      size_t at = 0;
      while (at < list.size()) {
        const size_t end = list.find('\'', at + 1);
        c.members.push_back(list.substr(at + 1, end - at - 1));
        at = end + 2;
      }
    }
    catalog[std::string(kCorpusSchema) + "." + row[0].value_or("")].push_back(std::move(c));
  }
  return catalog;
}

}  // namespace ferry::mysql::agreement
