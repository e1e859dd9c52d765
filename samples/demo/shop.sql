-- The quick start's sample database: a small shop with every column type ferry carries, edge
-- values included, filled server-side from MariaDB's SEQUENCE engine (seq_1_to_N).
CREATE DATABASE shop CHARACTER SET utf8mb4;
USE shop;

CREATE TABLE customers (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(200) NOT NULL,
  country CHAR(2) NOT NULL DEFAULT 'FR',
  created DATETIME(6) NOT NULL,
  balance DECIMAL(12,2) NOT NULL DEFAULT 0,
  vip TINYINT(1) NOT NULL DEFAULT 0,
  note TEXT NULL,
  UNIQUE KEY uk_email (email),
  KEY k_country (country)
);

CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  customer_id INT NOT NULL,
  status ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',
  tags SET('gift','express','fragile','bulk') NOT NULL DEFAULT '',
  amount DECIMAL(65,30) NOT NULL,
  weight FLOAT NOT NULL,
  ratio DOUBLE NULL,
  placed TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ship_date DATE NULL,
  ship_time TIME(2) NULL,
  flags BIT(8) NOT NULL DEFAULT b'0',
  yr YEAR NOT NULL DEFAULT 2024,
  payload JSON NULL,
  KEY k_customer (customer_id)
);

CREATE TABLE products (
  sku VARCHAR(32) CHARACTER SET latin1 NOT NULL PRIMARY KEY,
  name VARCHAR(100) CHARACTER SET latin1 NOT NULL,
  photo MEDIUMBLOB NULL,
  digest BINARY(16) NOT NULL,
  location POINT NOT NULL,
  area POLYGON NULL,
  price DECIMAL(10,2) UNSIGNED NOT NULL,
  stock SMALLINT UNSIGNED NOT NULL,
  stock_value DECIMAL(14,2) AS (price * stock) VIRTUAL
);

-- No key at all: one chunk, rows compared by their bytes.
CREATE TABLE audit_log (
  at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  level SMALLINT NOT NULL,
  msg VARCHAR(255) NULL
);

CREATE TABLE edge_values (
  id TINYINT NOT NULL PRIMARY KEY,
  i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT, u16 SMALLINT UNSIGNED, i24 MEDIUMINT, u24 MEDIUMINT UNSIGNED,
  i32 INT, u32 INT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED,
  d65 DECIMAL(65,30), f FLOAT, dbl DOUBLE, b64 BIT(64), b1 BIT(1), y YEAR,
  dt DATE, t0 TIME, t6 TIME(6), dtm DATETIME(6), ts TIMESTAMP(6) NULL,
  utf VARCHAR(20), lat VARCHAR(20) CHARACTER SET latin1, bin VARBINARY(20), tb TINYBLOB, lt LONGTEXT,
  e ENUM('a','b'), s SET('x','y','z'), j JSON, g GEOMETRY NULL
);

SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';  -- zero dates, as old applications stored them
INSERT INTO edge_values VALUES
  (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
   -99999999999999999999999999999999999.999999999999999999999999999999, -3.4028235e38, 1.7976931348623157e308,
   b'1111111111111111111111111111111111111111111111111111111111111111', b'1', 1901,
   '0000-00-00', '-838:59:59', '-838:59:58.999999', '0000-00-00 00:00:00.000000', '1970-01-01 00:00:01.000000',
   'é😀中', _latin1 X'636166E9', X'00FF00', X'', REPEAT('long text ', 1000),
   'b', 'x,z', '{"nested": {"a": [1, 2.5, "three", null, true]}}', ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')),
  (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0,
   0.000000000000000000000000000001, 1.17549435e-38, -2.2250738585072014e-308, b'0', b'0', 2155,
   '9999-12-31', '838:59:59', '00:00:00.000001', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999',
   '', '', '', NULL, '',
   'a', '', '[]', ST_GeomFromText('POINT(1.5 -2.25)')),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SET SESSION sql_mode = DEFAULT;

INSERT INTO customers (id, name, email, country, created, balance, vip, note)
SELECT seq, CONCAT(ELT(1 + seq % 5, 'Anaïs', 'Björn', 'Chloé', '李娜', 'Zoë 🚀'), ' #', seq), CONCAT('c', seq, '@example.com'),
       ELT(1 + seq % 4, 'FR', 'DE', 'JP', 'BR'), '2020-01-01' + INTERVAL seq MINUTE + INTERVAL seq MICROSECOND,
       (seq % 100000) / 100, seq % 7 = 0, IF(seq % 3 = 0, NULL, REPEAT('note ', seq % 20))
FROM seq_1_to_20000;

INSERT INTO orders (id, customer_id, status, tags, amount, weight, ratio, placed, ship_date, ship_time, flags, yr, payload)
SELECT seq * 10, 1 + seq % 20000, 1 + seq % 4, seq % 16, CAST(seq AS SIGNED) / 7 - 5000, seq / 3, IF(seq % 11 = 0, NULL, 1 / seq),
       '2023-01-01' + INTERVAL seq SECOND + INTERVAL (seq % 1000) * 1000 MICROSECOND,
       IF(seq % 5 = 0, NULL, '2023-06-01' + INTERVAL seq % 400 DAY), SEC_TO_TIME(CAST(seq % 100000 AS SIGNED) - 50000),
       seq % 256, 1990 + seq % 60, IF(seq % 2 = 0, JSON_OBJECT('seq', seq, 'items', JSON_ARRAY(seq % 3, 'x')), NULL)
FROM seq_1_to_200000;

INSERT INTO products (sku, name, photo, digest, location, area, price, stock)
SELECT CONCAT('SKU-', LPAD(seq, 6, '0')), CONCAT('Produit n°', seq), IF(seq % 4 = 0, NULL, RANDOM_BYTES(1 + seq % 1024)),
       UNHEX(MD5(seq)), POINT(seq / 10, -seq / 20),
       IF(seq % 3 = 0, ST_GeomFromText(CONCAT('POLYGON((0 0,', seq, ' 0,', seq, ' ', seq, ',0 0))')), NULL),
       (seq % 5000) / 10 + 0.99, seq % 60000
FROM seq_1_to_2000;

INSERT INTO audit_log (at, level, msg)
SELECT '2024-01-01' + INTERVAL seq SECOND, seq % 5, IF(seq % 10 = 0, NULL, CONCAT('event ', seq % 97))
FROM seq_1_to_10000;
INSERT INTO audit_log (at, level, msg) VALUES ('2024-01-01 00:00:01', 1, 'event 1');  -- a duplicate row
