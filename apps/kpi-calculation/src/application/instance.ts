import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** This process among the service's instances (lease holder, writer of lake chunks, broadcast groups). */
export const INSTANCE_ID = `${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`;
