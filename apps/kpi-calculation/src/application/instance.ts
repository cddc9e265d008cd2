import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This instance among the service's instances: holder of the publisher lease, writer of lake chunks,
 * owner of its follower and control consumer groups. One per application (not per process), so that
 * tests can run several instances in one process.
 */
@Injectable()
export class Instance {
  readonly id = `${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`;
}
