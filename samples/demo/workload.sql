-- The quick start's live write workload: orders placed, paid and cancelled, balances moved,
-- audit rows written and purged, stock changed, while ferry dumps, loads and syncs.
USE shop;
DELIMITER //
CREATE PROCEDURE workload(IN seconds INT)
BEGIN
  DECLARE stop_at DATETIME(6) DEFAULT NOW(6) + INTERVAL seconds SECOND;
  DECLARE n BIGINT DEFAULT 0;
  WHILE NOW(6) < stop_at DO
    SET n = n + 1;
    START TRANSACTION;
      INSERT INTO orders (id, customer_id, status, tags, amount, weight, placed, payload)
      VALUES (3000000 + n, 1 + n % 20000, 'new', 'gift', n / 3, n / 7, NOW(3), JSON_OBJECT('live', n));
      UPDATE customers SET balance = balance - 1.25 WHERE id = 1 + n % 20000;
    COMMIT;
    UPDATE orders SET status = 'paid', ship_date = CURDATE() WHERE id = (1 + (n * 7919) % 200000) * 10;
    DELETE FROM orders WHERE id = (1 + (n * 104729) % 200000) * 10 + 0 AND status = 'cancelled';
    INSERT INTO audit_log (level, msg) VALUES (n % 5, CONCAT('live ', n));
    DELETE FROM audit_log WHERE level = 4 AND msg = CONCAT('event ', n % 97) LIMIT 1;
    UPDATE products SET stock = stock + 1 WHERE sku = CONCAT('SKU-', LPAD(1 + n % 2000, 6, '0'));
    IF n % 50 = 0 THEN
      UPDATE customers SET id = id + 100000 WHERE id = n / 50 AND id < 100000;  -- a key change
    END IF;
    DO SLEEP(0.002);
  END WHILE;
  SELECT n AS workload_rounds;
END //
DELIMITER ;
