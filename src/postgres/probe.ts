// The readiness and liveness probe of the postgres component: a real `SELECT 1` over the wire, as any
// client would run it, so "ready" means PGlite answers queries, not only that the port is open.

/** The probe's answer (the supervisor's ProbeOutcome): `detail` says why it failed. */
export interface PostgresProbeOutcome {
  ok: boolean;
  detail?: string;
}

export async function probePostgres(url: string, timeoutMs: number): Promise<PostgresProbeOutcome> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'venice-health',
  });
  // A connection that fails after connecting must not become an uncaught error in the supervisor.
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    const one = result.rows[0]?.one;
    return one === 1 ? { ok: true } : { ok: false, detail: `SELECT 1 answered ${JSON.stringify(one)}` };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}
