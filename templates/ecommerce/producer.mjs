// Example producer for the e-commerce pipeline: writes the product catalogue and the customers (keyed
// by id, so the topics are changelogs), then a stream of orders. Any Kafka client works with Venice;
// this one uses kafkajs.
//
//   npm install && npm run produce
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 ORDERS=100 INTERVAL_MS=0 node producer.mjs
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const brokers = (process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092').split(',');
const orderCount = Number(process.env.ORDERS ?? 20);
const intervalMs = Number(process.env.INTERVAL_MS ?? 250);

const products = [
  { product_id: 'p-1', name: 'Espresso machine', category: 'kitchen', price: 249.0 },
  { product_id: 'p-2', name: 'Coffee beans 1 kg', category: 'groceries', price: 18.5 },
  { product_id: 'p-3', name: 'Milk frother', category: 'kitchen', price: 39.9 },
  { product_id: 'p-4', name: 'Travel mug', category: 'outdoor', price: 14.0 },
  { product_id: 'p-5', name: 'Cold brew bottle', category: 'kitchen', price: 22.0 },
];

const customers = [
  { customer_id: 'c-1', name: 'Ada Byron', email: 'ada@example.com', country: 'GB' },
  { customer_id: 'c-2', name: 'Grace Hopper', email: 'grace@example.com', country: 'US' },
  { customer_id: 'c-3', name: 'Margherita Hack', email: 'margherita@example.com', country: 'IT' },
];

const pick = (items) => items[Math.floor(Math.random() * items.length)];
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const json = (key, value) => ({ key, value: JSON.stringify(value) });

const kafka = new Kafka({ clientId: 'venice-ecommerce-producer', brokers, logLevel: logLevel.WARN });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
try {
  await producer.send({ topic: 'products', messages: products.map((p) => json(p.product_id, p)) });
  await producer.send({ topic: 'customers', messages: customers.map((c) => json(c.customer_id, c)) });
  console.log(`wrote ${products.length} products and ${customers.length} customers to ${brokers.join(',')}`);

  for (let i = 1; i <= orderCount; i++) {
    const product = pick(products);
    const order = {
      order_id: `o-${Date.now()}-${i}`,
      customer_id: pick(customers).customer_id,
      product_id: product.product_id,
      quantity: 1 + Math.floor(Math.random() * 3),
      unit_price: product.price,
      ordered_at: Date.now(),
    };
    await producer.send({ topic: 'orders', messages: [json(order.order_id, order)] });
    console.log(`order ${order.order_id}: ${order.quantity} x ${product.name}`);
    if (intervalMs > 0) await pause(intervalMs);
  }
} finally {
  await producer.disconnect();
}
