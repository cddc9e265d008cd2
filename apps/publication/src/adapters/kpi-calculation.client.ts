import { Injectable } from '@nestjs/common';
import { ConfigurationError } from '@sozialmonitor/config';
import { weakTokenReason } from '@sozialmonitor/privacy';
import { PublicationEnvironment } from '../publication.environment';
import {
  type StichtagValuesSource,
  StichtagIndicatorUnknownError,
  StichtagSourceUnavailableError,
} from '../application/ports/stichtag-values.source';

/**
 * HTTP adapter of the StichtagValuesSource port: `GET {KPI_CALCULATION_URL}/internal/v1/indicators/{id}/values?date=YYYY-MM-DD`
 * answering a JSON array of KpiValuePayload (or `{ "values": [...] }`).
 */
@Injectable()
export class KpiCalculationHttpSource implements StichtagValuesSource {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(env: PublicationEnvironment) {
    this.base = env.KPI_CALCULATION_URL.replace(/\/+$/, '');
    this.timeoutMs = env.KPI_CALCULATION_TIMEOUT_MS;
    // the internal endpoint needs the role `internal` (api.md): the token comes from configuration;
    // production refuses to run without one or with one that does not look random (docs/security.md)
    if (env.NODE_ENV === 'production') {
      const token = env.KPI_CALCULATION_TOKEN;
      const weak = token ? weakTokenReason(token) : undefined;
      if (!token || weak)
        throw new ConfigurationError([
          { variable: 'KPI_CALCULATION_TOKEN', rule: token ? `${weak}; production needs a random token` : 'is required in production' },
        ]);
    }
    this.headers = {
      accept: 'application/json',
      ...(env.KPI_CALCULATION_TOKEN ? { authorization: `Bearer ${env.KPI_CALCULATION_TOKEN}` } : {}),
    };
  }

  async valuesAt(indicatorId: string, date: string): Promise<unknown[]> {
    const url = `${this.base}/internal/v1/indicators/${encodeURIComponent(indicatorId)}/values?date=${encodeURIComponent(date)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: this.headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new StichtagSourceUnavailableError(`kpi-calculation did not answer (${(e as Error).name})`);
    }
    if (response.status === 404)
      throw new StichtagIndicatorUnknownError(`kpi-calculation does not know indicator ${indicatorId}`);
    if (response.status === 401 || response.status === 403)
      throw new StichtagSourceUnavailableError(
        `kpi-calculation refused the request (${response.status}): KPI_CALCULATION_TOKEN must be a token with the role internal`,
      );
    if (!response.ok) throw new StichtagSourceUnavailableError(`kpi-calculation answered ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new StichtagSourceUnavailableError('kpi-calculation answered no JSON');
    }
    const list = Array.isArray(body) ? body : (body as { values?: unknown })?.values;
    if (!Array.isArray(list)) throw new StichtagSourceUnavailableError('kpi-calculation answered no list of values');
    return list;
  }
}
