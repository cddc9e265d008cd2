export const ADMIN_OPTIONS = Symbol('ADMIN_OPTIONS');

export interface AdminModuleOptions {
  service: string;
  /** The consumer group of the service's main consumer (the one replays reset). */
  groupId: string;
  /** Topics the group consumes: for the lag report and replays while this instance's consumer is not running. */
  topics?: string[];
}
