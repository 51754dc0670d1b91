-- The e-commerce pipeline, in ksqlDB's SQL dialect: raw JSON events in, enriched orders and revenue
-- per category out. The producer (producer.mjs) writes the three input topics, keyed by id.

-- Inputs -------------------------------------------------------------------------------------------

-- Every order placed; the record key is the order id.
CREATE STREAM orders (
  order_id VARCHAR KEY,
  customer_id VARCHAR,
  product_id VARCHAR,
  quantity INT,
  unit_price DOUBLE,
  ordered_at BIGINT
) WITH (KAFKA_TOPIC = 'orders', VALUE_FORMAT = 'JSON', TIMESTAMP = 'ordered_at', PARTITIONS = 1);

-- The latest version of each customer (a changelog keyed by customer id).
CREATE TABLE customers (
  customer_id VARCHAR PRIMARY KEY,
  name VARCHAR,
  email VARCHAR,
  country VARCHAR
) WITH (KAFKA_TOPIC = 'customers', VALUE_FORMAT = 'JSON', PARTITIONS = 1);

-- The latest version of each product (a changelog keyed by product id).
CREATE TABLE products (
  product_id VARCHAR PRIMARY KEY,
  name VARCHAR,
  category VARCHAR,
  price DOUBLE
) WITH (KAFKA_TOPIC = 'products', VALUE_FORMAT = 'JSON', PARTITIONS = 1);

-- Enrichment ---------------------------------------------------------------------------------------

-- Orders with their customer. A stream-table join looks the customer up by the table's primary key;
-- the stream is repartitioned by customer_id for it, which becomes the key of the result.
CREATE STREAM orders_with_customer AS
  SELECT
    o.customer_id AS customer_id,
    o.order_id AS order_id,
    c.name AS customer_name,
    c.country AS country,
    o.product_id AS product_id,
    o.quantity AS quantity,
    o.unit_price AS unit_price,
    o.ordered_at AS ordered_at
  FROM orders o
  LEFT JOIN customers c ON o.customer_id = c.customer_id
  EMIT CHANGES;

-- ... and with their product (keyed by product_id, the join column).
CREATE STREAM orders_with_product AS
  SELECT
    owc.product_id AS product_id,
    owc.order_id AS order_id,
    owc.customer_id AS customer_id,
    owc.customer_name AS customer_name,
    owc.country AS country,
    p.name AS product_name,
    p.category AS category,
    owc.quantity AS quantity,
    owc.unit_price AS unit_price,
    owc.quantity * owc.unit_price AS total,
    owc.ordered_at AS ordered_at
  FROM orders_with_customer owc
  LEFT JOIN products p ON owc.product_id = p.product_id
  EMIT CHANGES;

-- Keyed by order id again, so the PostgreSQL sink (connectors/postgres-sink.json) can upsert on it.
-- Avro, with its schema in the registry, gives the JDBC sink the typed columns it needs.
CREATE STREAM orders_enriched WITH (KAFKA_TOPIC = 'orders_enriched', VALUE_FORMAT = 'AVRO') AS
  SELECT
    order_id,
    customer_id,
    customer_name,
    country,
    product_id,
    product_name,
    category,
    quantity,
    unit_price,
    total,
    ordered_at
  FROM orders_with_product
  PARTITION BY order_id
  EMIT CHANGES;

-- Aggregation --------------------------------------------------------------------------------------

-- Revenue and order count per product category in one-hour windows, updated as orders arrive. The
-- window's start and end are part of each row's key.
CREATE TABLE revenue_by_category_hourly WITH (KAFKA_TOPIC = 'revenue_by_category_hourly', VALUE_FORMAT = 'AVRO') AS
  SELECT
    category,
    COUNT(*) AS order_count,
    SUM(total) AS revenue
  FROM orders_enriched
  WINDOW TUMBLING (SIZE 1 HOUR)
  GROUP BY category
  EMIT CHANGES;
