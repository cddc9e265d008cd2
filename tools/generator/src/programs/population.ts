import { formatDay } from '../dates';
import type { SimPerson } from '../model';
import type { ProgramContext } from './context';

/** The register's residence spells: one record per person and segment. */
export function derivePopulation(ctx: ProgramContext, p: SimPerson): void {
  for (const s of p.segments) {
    ctx.emit('population', {
      recordId: ctx.ids.recordId('pop'),
      personId: p.personId,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      sex: p.sex,
      nationality: p.nationality,
      street: s.stay.address.street,
      houseNumber: s.stay.address.houseNumber,
      postalCode: s.stay.address.postalCode,
      ags: s.stay.ags,
      validFrom: formatDay(s.from),
      validTo: s.to === null ? null : formatDay(s.to),
      startReason: s.startReason,
      endReason: s.endReason,
    });
  }
}
