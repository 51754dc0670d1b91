// The figures the ecommerce pipeline should show in PostgreSQL, worked out from the orders themselves,
// and the figures it does show. Windows are summed away (per seller over every minute, per product
// over every day), so the comparison does not depend on when the orders were produced.
import pg from 'pg';
import { createRecordGenerator, loadSchemaFile } from '../../src/datagen/index.js';
import { ECOMMERCE_TEMPLATE_DIR, ORDER_SCHEMA_PATH } from '../../src/demo/files.js';
import path from 'node:path';

export interface Figures {
  /** product: [units sold, orders, remaining] */
  inventory: Record<string, [number, number, number]>;
  /** seller: [orders, revenue in cents], over all minutes */
  sellerRevenue: Record<string, [number, number]>;
  /** product: [best price, orders, units], over all days */
  deals: Record<string, [number, number, number]>;
}

const INITIAL_STOCK = 100_000;

interface Order {
  seller_id: string;
  product_id: string;
  quantity: number;
  price_in_cents: number;
}

/** The first `count` orders of the demo's seeded sequence, as its generator makes them. */
export function demoOrders(seed: string, count: number): Order[] {
  const schema = loadSchemaFile(path.join(ECOMMERCE_TEMPLATE_DIR, ORDER_SCHEMA_PATH));
  const generator = createRecordGenerator(schema, { seed, keyField: 'order_id' });
  return Array.from({ length: count }, () => {
    const value = generator.next().value;
    return {
      seller_id: String(value.seller_id),
      product_id: String(value.product_id),
      quantity: Number(value.quantity),
      price_in_cents: Number(value.price_in_cents),
    };
  });
}

export function expectedFigures(orders: readonly Order[]): Figures {
  const figures: Figures = { inventory: {}, sellerRevenue: {}, deals: {} };
  for (const order of orders) {
    const stock = (figures.inventory[order.product_id] ??= [0, 0, INITIAL_STOCK]);
    stock[0] += order.quantity;
    stock[1] += 1;
    stock[2] -= order.quantity;
    const seller = (figures.sellerRevenue[order.seller_id] ??= [0, 0]);
    seller[0] += 1;
    seller[1] += order.quantity * order.price_in_cents;
    const deal = (figures.deals[order.product_id] ??= [Number.MAX_SAFE_INTEGER, 0, 0]);
    deal[0] = Math.min(deal[0], order.price_in_cents);
    deal[1] += 1;
    deal[2] += order.quantity;
  }
  return figures;
}

/** The figures in PostgreSQL's tables; null while a table does not exist yet. */
export async function pipelineFigures(postgresUrl: string): Promise<Figures | null> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const inventory = await client.query<{ product_id: string; u: string; o: string; r: string }>(
      'SELECT product_id, units_sold AS u, order_count AS o, remaining AS r FROM inventory',
    );
    const revenue = await client.query<{ seller_id: string; o: string; r: string }>(
      'SELECT seller_id, SUM(order_count) AS o, SUM(revenue_in_cents) AS r FROM seller_revenue_per_minute GROUP BY seller_id',
    );
    const deals = await client.query<{ product_id: string; p: string; o: string; u: string }>(
      'SELECT product_id, MIN(best_price_in_cents) AS p, SUM(order_count) AS o, SUM(units_sold) AS u FROM deals_of_the_day GROUP BY product_id',
    );
    return {
      inventory: Object.fromEntries(inventory.rows.map((row) => [row.product_id, [+row.u, +row.o, +row.r]])),
      sellerRevenue: Object.fromEntries(revenue.rows.map((row) => [row.seller_id, [+row.o, +row.r]])),
      deals: Object.fromEntries(deals.rows.map((row) => [row.product_id, [+row.p, +row.o, +row.u]])),
    };
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return null; // a table the sink has not created yet
    throw error;
  } finally {
    await client.end();
  }
}
