import type { SuppressionDecision, SuppressionReason } from './secondary-suppression';

/**
 * What may leave the service for one value: the rounded value, or null with the reason. A suppressed
 * value carries nothing it could be recomputed from (no numerator, denominator or counts).
 */
export interface PublishedForm {
  readonly regionCode: string;
  readonly value: number | null;
  readonly suppressed: boolean;
  readonly reason?: SuppressionReason | 'denominator_zero' | 'no_data';
}

export function publishedForm(
  computed: {
    readonly regionCode: string;
    readonly value: number | null;
    readonly reason?: 'denominator_zero' | 'no_data';
  },
  decision: SuppressionDecision,
): PublishedForm {
  if (decision.suppressed)
    return { regionCode: computed.regionCode, value: null, suppressed: true, reason: decision.reason };
  if (computed.value === null)
    return {
      regionCode: computed.regionCode,
      value: null,
      suppressed: false,
      reason: computed.reason ?? 'denominator_zero',
    };
  return { regionCode: computed.regionCode, value: computed.value, suppressed: false };
}
