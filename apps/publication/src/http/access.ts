import { type ApiTokenRegistry, authorize } from '@sozialmonitor/platform/auth';
import { needsAnalystRole, type PeriodSelection } from '../domain/period-selection';

/**
 * Differencing protection at the door (privacy.md §3): Stichtage other than year ends, month ends and
 * today need a token with the `analyst` role (401 without a valid token, 403 without the role).
 * Returns whether the answer is restricted (then no shared cache may keep it).
 */
export function checkStichtagAccess(
  registry: ApiTokenRegistry,
  authorization: string | string[] | undefined,
  selection: PeriodSelection,
  firstYear: number,
): boolean {
  if (!needsAnalystRole(selection, firstYear)) return false;
  authorize(registry, authorization, {
    role: 'analyst',
    purpose: `Stichtage other than year ends, month ends from ${firstYear} and today`,
  });
  return true;
}
