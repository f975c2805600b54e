import pg from 'pg';
import { Pool as GenericPool } from 'generic-pool';

// ruleid: js-pg-pool-without-connection-timeout
export const pool = new pg.Pool({ connectionTimeoutMillis: 5000, host: 'db', max: 10 });

// ok: js-pg-pool-without-connection-timeout
export const other = new GenericPool({ max: 10 });

// ok: js-pg-pool-without-connection-timeout
export const tuned = new pg.Pool({ host: 'db', max: 10, connectionTimeoutMillis: 3000, idleTimeoutMillis: 10000 });
