-- What make_corpus.sh runs on a throwaway MariaDB server to get a binlog with every column type
-- the decoder reads, in full, minimal and no-blob row images, with and without optional
-- metadata, plus the non-row events a migration meets (DDL, XA, statement-logged variables,
-- compressed events, rotation). Values sit at the edges of their types: that is where decoders
-- go wrong. Rows are few and short so that the checked-in corpus stays small.
CREATE DATABASE fz;
USE fz;

CREATE TABLE ints (
  id INT PRIMARY KEY, t TINYINT, tu TINYINT UNSIGNED, s SMALLINT, su SMALLINT UNSIGNED,
  m MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, b BIGINT, bu BIGINT UNSIGNED,
  b1 BIT(1), b13 BIT(13), b64 BIT(64), y YEAR, bo BOOL);
INSERT INTO ints VALUES
  (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
   -9223372036854775808, 18446744073709551615, b'1', b'1010101010101', b'1111111111111111111111111111111111111111111111111111111111111111', 2155, TRUE),
  (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, b'0', b'0', b'0', 1901, FALSE),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE ints SET t = 0, b13 = b'1', y = 0 WHERE id = 2;
DELETE FROM ints WHERE id = 3;

CREATE TABLE nums (
  id INT PRIMARY KEY, f FLOAT, d DOUBLE, d1 DECIMAL(1,0), d2 DECIMAL(10,2), d3 DECIMAL(65,30),
  d4 DECIMAL(18,9) UNSIGNED, d5 DECIMAL(65,0), d6 DECIMAL(30,30), d7 DECIMAL(9,9));
INSERT INTO nums VALUES
  (1, 3.4e38, -1.7976931348623157e308, 9, -12345678.99,
   99999999999999999999999999999999999.999999999999999999999999999999, 999999999.999999999,
   -99999999999999999999999999999999999999999999999999999999999999999, 0.123456789012345678901234567890, -0.000000001),
  (2, -1.5, 0, -9, 0, 0, 0, 0, 0, 0),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE nums SET d2 = 0.01, d3 = -0.000000000000000000000000000001 WHERE id = 2;

CREATE TABLE times (
  id INT PRIMARY KEY, dt DATE, tm TIME, tm1 TIME(1), tm3 TIME(3), tm6 TIME(6), dtm DATETIME,
  dtm2 DATETIME(2), dtm6 DATETIME(6), ts TIMESTAMP NULL, ts1 TIMESTAMP(1) NULL,
  ts4 TIMESTAMP(4) NULL, ts6 TIMESTAMP(6) NULL);
INSERT INTO times VALUES
  (1, '1000-01-01', '-838:59:59', '-00:00:00.1', '-12:34:56.789', '838:59:59.000000',
   '1000-01-01 00:00:00', '9999-12-31 23:59:59.99', '2024-02-29 12:00:00.000001',
   '1970-01-01 00:00:01', '2038-01-19 03:14:07.9', '2001-02-03 04:05:06.7891', '1999-12-31 23:59:59.999999'),
  (2, '0000-00-00', '00:00:00', '-00:00:01.5', '00:00:00.001', '-00:00:00.000001',
   '0000-00-00 00:00:00', '2020-01-01 00:00:00.01', '2020-01-01 00:00:00', '0000-00-00 00:00:00',
   NULL, NULL, NULL),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

CREATE TABLE strs (
  id INT PRIMARY KEY, c CHAR(10), c255 CHAR(255), cb BINARY(4), vc VARCHAR(20),
  vc300 VARCHAR(300), vb VARBINARY(10), l1 CHAR(10) CHARACTER SET latin1,
  l2 VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin, tt TINYTEXT, tx TEXT,
  mt MEDIUMTEXT, lt LONGTEXT, tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB,
  e ENUM('a', 'b', '') , s SET('x', 'y', 'z'), j JSON, g GEOMETRY, pt POINT);
INSERT INTO strs VALUES
  (1, 'abc', REPEAT('é', 255), x'00ff0001', 'vé', REPEAT('x', 300), x'deadbeef', 'café', 'naïve',
   'tiny', 'text "quoted"\n', 'medium', 'long', x'00', x'0102', x'ff', x'7f', 'b', 'x,z',
   '{"k": [1, 2.5, null, "s"]}', ST_GeomFromText('LINESTRING(0 0, 1 1)'), POINT(1.5, -2.5)),
  (2, '', '', x'', '', '', x'', '', '', '', '', '', '', x'', x'', x'', x'', '', '', '[]',
   ST_GeomFromText('POINT(0 0)'), POINT(0, 0)),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE strs SET vc = 'changed', e = '', s = '' WHERE id = 1;
DELETE FROM strs WHERE id = 2;

-- ENUM and SET of two bytes and of eight bytes.
SET SESSION group_concat_max_len = 100000;
SET @members = (SELECT GROUP_CONCAT(CONCAT('''m', seq, '''')) FROM seq_1_to_300);
SET @ddl = CONCAT('CREATE TABLE wide_enum (id INT PRIMARY KEY, e ENUM(', @members, '), s SET(',
  (SELECT GROUP_CONCAT(CONCAT('''s', seq, '''')) FROM seq_1_to_64), '))');
PREPARE stmt FROM @ddl;
EXECUTE stmt;
DEALLOCATE PREPARE stmt;
INSERT INTO wide_enum VALUES (1, 'm300', 's1,s64'), (2, 'm1', ''), (3, NULL, NULL);

-- Columns in MariaDB's own (pre-5.6) temporal format.
SET GLOBAL mysql56_temporal_format = OFF;
CREATE TABLE old_times (id INT PRIMARY KEY, tm TIME, dtm DATETIME, ts TIMESTAMP NULL);
SET GLOBAL mysql56_temporal_format = ON;
INSERT INTO old_times VALUES (1, '-838:59:59', '9999-12-31 23:59:59', '2038-01-19 03:14:07'),
  (2, '00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00'), (3, NULL, NULL, NULL);

-- MariaDB column compression.
CREATE TABLE compressed_cols (id INT PRIMARY KEY, v VARCHAR(100) COMPRESSED, b BLOB COMPRESSED);
INSERT INTO compressed_cols VALUES (1, REPEAT('a', 50), REPEAT('b', 60)), (2, NULL, NULL);

-- Partial images: only the key in before images, only changed columns in after images.
SET SESSION binlog_row_image = MINIMAL;
UPDATE ints SET tu = 7 WHERE id = 1;
UPDATE strs SET tx = 'minimal' WHERE id = 1;
DELETE FROM times WHERE id = 3;
SET SESSION binlog_row_image = NOBLOB;
UPDATE strs SET vc = 'noblob' WHERE id = 1;
SET SESSION binlog_row_image = FULL;

-- TABLE_MAPs with less optional metadata, then none.
SET GLOBAL binlog_row_metadata = MINIMAL;
UPDATE strs SET c = 'min-meta' WHERE id = 1;
UPDATE wide_enum SET e = 'm2' WHERE id = 1;
SET GLOBAL binlog_row_metadata = NO_LOG;
UPDATE strs SET c = 'no-meta' WHERE id = 1;
UPDATE nums SET d1 = 1 WHERE id = 1;
SET GLOBAL binlog_row_metadata = FULL;

-- A multi-table transaction, and an XA one.
BEGIN;
INSERT INTO ints (id, t) VALUES (10, 1), (11, 2), (12, 3);
UPDATE nums SET f = 1 WHERE id = 1;
COMMIT;
XA START 'fuzz-xa';
INSERT INTO ints (id) VALUES (20);
XA END 'fuzz-xa';
XA PREPARE 'fuzz-xa';
XA COMMIT 'fuzz-xa';

-- Statement-logged events: INTVAR, RAND, USER_VAR before their QUERY.
CREATE TABLE stmt_log (id INT AUTO_INCREMENT PRIMARY KEY, v DOUBLE, u VARCHAR(10));
SET SESSION binlog_format = STATEMENT;
SET @u = 'user-var';
INSERT INTO stmt_log (v, u) VALUES (RAND(), @u);
INSERT INTO stmt_log (v, u) VALUES (LAST_INSERT_ID(), NULL);
SET SESSION binlog_format = ROW;

-- MariaDB's log_bin_compress: QUERY_COMPRESSED and the compressed rows events.
SET GLOBAL log_bin_compress_min_len = 10;
SET GLOBAL log_bin_compress = ON;
INSERT INTO strs (id, tx) VALUES (5, REPEAT('compress me ', 20));
UPDATE strs SET tx = REPEAT('again ', 20) WHERE id = 5;
DELETE FROM strs WHERE id = 5;
ALTER TABLE stmt_log COMMENT 'a comment long enough to be compressed';
SET GLOBAL log_bin_compress = OFF;

ALTER TABLE ints ADD COLUMN extra INT DEFAULT 7;
INSERT INTO ints (id) VALUES (30);
DROP TABLE stmt_log;

-- ROTATE, then a new file that starts with GTID_LIST and BINLOG_CHECKPOINT.
FLUSH BINARY LOGS;
INSERT INTO ints (id) VALUES (40);
