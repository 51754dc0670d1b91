// Realistic values chosen by a field's name when the schema says no more than its type: an `email`
// string looks like an address, a `price` a price, a `customer_id` one of a few hundred customers.
import type { Random } from './random.js';

/** What a generated value may depend on besides randomness: the clock (fixed in tests) and the record number. */
export interface GenerateContext {
  random: Random;
  /** Milliseconds since the epoch for this record. */
  now: number;
  /** 0 for the first record of the run. */
  index: number;
}

export type ValueGenerator<T> = (context: GenerateContext) => T;
export type NumberKind = 'int' | 'long' | 'float' | 'double';

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Margherita',
  'Linus',
  'Barbara',
  'Edsger',
  'Katherine',
  'Dennis',
  'Hedy',
  'Tim',
  'Radia',
  'Ken',
  'Frances',
  'Guido',
  'Anita',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Hack',
  'Torvalds',
  'Liskov',
  'Dijkstra',
  'Johnson',
  'Ritchie',
  'Lamarr',
  'Berners-Lee',
  'Perlman',
  'Thompson',
  'Allen',
  'van Rossum',
  'Borg',
];
const CITIES = [
  'Venice',
  'Lisbon',
  'Berlin',
  'Austin',
  'Osaka',
  'Nairobi',
  'Toronto',
  'Melbourne',
  'Lyon',
  'Bogotá',
  'Pune',
  'Oslo',
];
const COUNTRIES = ['IT', 'PT', 'DE', 'US', 'JP', 'KE', 'CA', 'AU', 'FR', 'CO', 'IN', 'NO'];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const STATUSES = ['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY'];
const CATEGORIES = ['kitchen', 'groceries', 'outdoor', 'books', 'toys', 'garden'];
const STREETS = ['Main St', 'High St', 'Calle Larga', 'Rua Augusta', 'Elm Ave', 'Harbour Rd'];
/** Ids that name the event itself (unique per record) rather than something it refers to. */
const OWN_ID_ENTITIES = new Set(['order', 'event', 'transaction', 'message', 'record', 'request']);
/** `*_id` values come from this many distinct entities, so ids repeat as they would in real traffic. */
const ENTITY_COUNT = 500;

/** The field's name split into lower-case words: `customerId` and `customer_id` both give [customer, id]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function uuid(random: Random): string {
  const hex = (count: number) => {
    let text = '';
    for (let index = 0; index < count; index++) text += Math.floor(random.next() * 16).toString(16);
    return text;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[random.int(0, 3)]}${hex(3)}-${hex(12)}`;
}

function fullName(random: Random): string {
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

function email(random: Random): string {
  const name = `${random.pick(FIRST_NAMES)}.${random.pick(LAST_NAMES)}`.toLowerCase().replace(/[^a-z.]/g, '');
  return `${name}${random.int(1, 99)}@${random.pick(DOMAINS)}`;
}

/** A string generator for a field called `name`, or undefined when the name suggests nothing. */
export function stringHint(name: string): ValueGenerator<string> | undefined {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (words.length === 0) return undefined;
  if (last === 'uuid' || (words.length === 1 && last === 'id')) return ({ random }) => uuid(random);
  if (last === 'id' && words.length > 1) {
    // customer_id -> "customer-42"; order_id is an event's own id, unique per record.
    const entity = words[words.length - 2];
    if (OWN_ID_ENTITIES.has(entity)) return ({ random }) => uuid(random);
    return ({ random }) => `${entity}-${random.int(1, ENTITY_COUNT)}`;
  }
  if (words.includes('email')) return ({ random }) => email(random);
  if (last === 'name' && (words.includes('first') || words.includes('given')))
    return ({ random }) => random.pick(FIRST_NAMES);
  if (last === 'name' && (words.includes('last') || words.includes('family') || words.includes('sur')))
    return ({ random }) => random.pick(LAST_NAMES);
  if (last === 'name' || last === 'customer' || last === 'user') return ({ random }) => fullName(random);
  if (last === 'city') return ({ random }) => random.pick(CITIES);
  if (last === 'country') return ({ random }) => random.pick(COUNTRIES);
  if (last === 'street' || last === 'address')
    return ({ random }) => `${random.int(1, 250)} ${random.pick(STREETS)}`;
  if (last === 'status' || last === 'state') return ({ random }) => random.pick(STATUSES);
  if (last === 'currency') return ({ random }) => random.pick(CURRENCIES);
  if (last === 'category') return ({ random }) => random.pick(CATEGORIES);
  if (last === 'phone') return ({ random }) => `+1-555-${String(random.int(0, 9999)).padStart(4, '0')}`;
  if (last === 'url' || last === 'website')
    return ({ random }) => `https://${random.pick(DOMAINS)}/${random.int(1, 9999)}`;
  if (isTimeName(words)) return ({ now }) => new Date(now).toISOString();
  return undefined;
}

export function isTimeName(words: readonly string[]): boolean {
  const last = words[words.length - 1];
  return (
    last === 'timestamp' ||
    last === 'ts' ||
    last === 'time' ||
    last === 'at' ||
    words.join('_') === 'created' ||
    last === 'datetime'
  );
}

/** A number generator for a field called `name`, or undefined. Integers for int and long. */
export function numberHint(name: string, kind: NumberKind): ValueGenerator<number> | undefined {
  const words = nameWords(name);
  const last = words[words.length - 1];
  const integral = kind === 'int' || kind === 'long';
  if (words.length === 0) return undefined;
  if (kind === 'long' && isTimeName(words)) return ({ now }) => now;
  if (last === 'cents' || words.includes('cents')) return ({ random }) => random.int(99, 50_000);
  if (last === 'price' || last === 'amount' || last === 'total' || last === 'cost' || last === 'revenue')
    return integral
      ? ({ random }) => random.int(1, 500)
      : ({ random }) => Math.round(random.float(0.5, 500) * 100) / 100;
  if (last === 'quantity' || last === 'qty' || last === 'count' || last === 'units')
    return ({ random }) => random.int(1, 5);
  if (last === 'age') return ({ random }) => random.int(18, 90);
  if (last === 'rating' || last === 'stars') return ({ random }) => random.int(1, 5);
  if (last === 'latitude' || last === 'lat')
    return ({ random }) => Math.round(random.float(-90, 90) * 1e5) / 1e5;
  if (last === 'longitude' || last === 'lon' || last === 'lng')
    return ({ random }) => Math.round(random.float(-180, 180) * 1e5) / 1e5;
  if (last === 'id' && integral) {
    // A record's own id counts up; an id of something else (customer_id) repeats among a few hundred.
    const own = words.length === 1 || OWN_ID_ENTITIES.has(words[words.length - 2]);
    return own ? ({ index }) => index + 1 : ({ random }) => random.int(1, ENTITY_COUNT);
  }
  return undefined;
}
