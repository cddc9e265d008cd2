import type {
  CatalogueAuditMessage,
  CatalogueHistory,
  CatalogueVersion,
  CatalogueVersionMessage,
} from '@sozialmonitor/indicators';

/**
 * The catalogue topic: every catalogue version and audit entry, read from its beginning and followed
 * by every instance; written by the administration use cases.
 */
export abstract class CatalogueLog {
  /** Reads the topic to its end (then follows it); `onVersion` hears every version not seen before. */
  abstract start(onVersion: (version: CatalogueVersion) => void): Promise<void>;
  abstract stop(): Promise<void>;
  abstract history(): CatalogueHistory;
  /** The audit entries seen, oldest first. */
  abstract audit(): CatalogueAuditMessage[];
  abstract appendVersion(message: CatalogueVersionMessage): Promise<void>;
  abstract appendAudit(message: CatalogueAuditMessage): Promise<void>;
  /** Resolves true once `version` has been read back from the topic (false after `timeoutMs`). */
  abstract waitForVersion(version: number, timeoutMs: number): Promise<boolean>;
}

/**
 * Who makes catalogue version n: one writer per number across every instance (a claim that is not
 * followed by the version within a minute may be taken over).
 */
export abstract class VersionClaims {
  abstract claim(version: number, by: string, isMade: () => boolean): Promise<boolean>;
}
