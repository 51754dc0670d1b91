-- The e-commerce pipeline, in ksqlDB's SQL dialect. Orders come in as Avro (schema
-- schemas/order.avsc, registered as orders-value) keyed by order id; three tables come out, each
-- upserted into PostgreSQL by a connector in connectors/.
--
-- Every statement can run again (IF NOT EXISTS): `venice up` applies this file at each start (the
-- demo component), and `venice ksql -f sql/pipeline.sql` does the same by hand.

-- Queries read the orders from the beginning, so those produced before a query existed count too.
SET 'auto.offset.reset' = 'earliest';

-- Input -------------------------------------------------------------------------------------------

-- Every order placed. Its value columns come from the registry (order_id, customer_id, seller_id,
-- product_id, quantity, price_in_cents, timestamp); the key is the order id as a STRING. The order's
-- own timestamp is its event time, so windows follow when orders were placed.
CREATE STREAM IF NOT EXISTS orders (order_key VARCHAR KEY)
  WITH (KAFKA_TOPIC = 'orders', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO', PARTITIONS = 1,
        TIMESTAMP = '`TIMESTAMP`');

-- Outputs -----------------------------------------------------------------------------------------
-- Column names in backticks stay lower case, so they are plain names in PostgreSQL.

-- Remaining inventory per product: every product starts with 100,000 units, and each order takes its
-- quantity. The key is the product id (connectors/inventory-sink.json upserts on it).
CREATE TABLE IF NOT EXISTS inventory WITH (KAFKA_TOPIC = 'inventory', VALUE_FORMAT = 'AVRO') AS
  SELECT
    product_id,
    100000 - SUM(quantity) AS `remaining`,
    SUM(quantity) AS `units_sold`,
    COUNT(*) AS `order_count`
  FROM orders
  GROUP BY product_id
  EMIT CHANGES;

-- Revenue per seller per minute, in one-minute tumbling windows. The seller and the window's start
-- are copied into the value: they are the PostgreSQL primary key (connectors/seller-revenue-sink.json).
CREATE TABLE IF NOT EXISTS seller_revenue_per_minute
  WITH (KAFKA_TOPIC = 'seller_revenue_per_minute', VALUE_FORMAT = 'AVRO') AS
  SELECT
    seller_id,
    AS_VALUE(seller_id) AS `seller_id`,
    FROM_UNIXTIME(WINDOWSTART) AS `minute`,
    COUNT(*) AS `order_count`,
    SUM(quantity * price_in_cents) AS `revenue_in_cents`
  FROM orders
  WINDOW TUMBLING (SIZE 1 MINUTE)
  GROUP BY seller_id
  EMIT CHANGES;

-- Deals of the day: each product's best (lowest) price paid on each day (UTC), with how many orders
-- and units it sold that day.
CREATE TABLE IF NOT EXISTS deals_of_the_day
  WITH (KAFKA_TOPIC = 'deals_of_the_day', VALUE_FORMAT = 'AVRO') AS
  SELECT
    product_id,
    AS_VALUE(product_id) AS `product_id`,
    FROM_UNIXTIME(WINDOWSTART) AS `day`,
    MIN(price_in_cents) AS `best_price_in_cents`,
    COUNT(*) AS `order_count`,
    SUM(quantity) AS `units_sold`
  FROM orders
  WINDOW TUMBLING (SIZE 1 DAY)
  GROUP BY product_id
  EMIT CHANGES;
