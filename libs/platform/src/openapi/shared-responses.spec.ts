import type { OpenAPIObject } from '@nestjs/swagger';
import { resolveResponse, shareRepeatedResponses, sharedResponseName } from './shared-responses';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const documentOf = (paths: Record<string, Record<string, object>>): OpenAPIObject =>
  ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths, components: {} }) as OpenAPIObject;

describe('shareRepeatedResponses', () => {
  it('declares a response several operations have once and refers to it; one used once stays inline', () => {
    const document = documentOf({
      '/a': { get: { responses: { 200: { description: 'a' }, 401: problem('Missing or unknown bearer token') } } },
      '/b': {
        get: { responses: { 401: problem('Missing or unknown bearer token'), 404: problem('Unknown b') } },
        post: { responses: { 401: problem('Missing or unknown bearer token') } },
      },
    });
    shareRepeatedResponses(document);
    const ref = { $ref: '#/components/responses/Unauthorized_MissingOrUnknownBearerToken' };
    expect(document.components!.responses).toEqual({
      Unauthorized_MissingOrUnknownBearerToken: problem('Missing or unknown bearer token'),
    });
    expect(document.paths['/a'].get!.responses).toEqual({ 200: { description: 'a' }, 401: ref });
    expect(document.paths['/b'].get!.responses).toEqual({ 401: ref, 404: problem('Unknown b') });
    expect(document.paths['/b'].post!.responses).toEqual({ 401: ref });
  });

  it('keeps responses that differ in description (or anything else) apart, under distinct names', () => {
    const etag = { ETag: { schema: { type: 'string' } } };
    const document = documentOf({
      '/a': {
        get: { responses: { 304: { description: 'Not modified', headers: etag }, 403: problem("lacks 'admin'") } },
      },
      '/b': {
        get: { responses: { 304: { description: 'Not modified', headers: etag }, 403: problem("lacks 'admin'") } },
      },
      '/c': { get: { responses: { 304: { description: 'Not modified' }, 403: problem("lacks 'internal'") } } },
      '/d': { get: { responses: { 304: { description: 'Not modified' }, 403: problem("lacks 'internal'") } } },
    });
    shareRepeatedResponses(document);
    expect(Object.keys(document.components!.responses!)).toEqual([
      'NotModified_NotModified',
      'Forbidden_LacksAdmin',
      'NotModified_NotModified_2',
      'Forbidden_LacksInternal',
    ]);
    const resolved = (path: string) =>
      Object.values(document.paths[path].get!.responses).map((r) => resolveResponse(document, r!));
    expect(resolved('/b')).toEqual([{ description: 'Not modified', headers: etag }, problem("lacks 'admin'")]);
    expect(resolved('/d')).toEqual([{ description: 'Not modified' }, problem("lacks 'internal'")]);
  });

  it('treats the same response with its keys in another order as the same; keeps names already taken', () => {
    const document = documentOf({
      '/a': { get: { responses: { 400: { description: 'bad', headers: { A: {} }, content: {} } } } },
      '/b': { get: { responses: { 400: { content: {}, headers: { A: {} }, description: 'bad' } } } },
    });
    document.components = { responses: { BadRequest_Bad: { description: 'something else' } } };
    shareRepeatedResponses(document);
    expect(document.paths['/a'].get!.responses[400]).toEqual({ $ref: '#/components/responses/BadRequest_Bad_2' });
    expect(document.paths['/b'].get!.responses[400]).toEqual({ $ref: '#/components/responses/BadRequest_Bad_2' });
    expect(document.components.responses!.BadRequest_Bad).toEqual({ description: 'something else' });
  });

  it('changes nothing where no response repeats', () => {
    const document = documentOf({ '/a': { get: { responses: { 200: { description: 'a' } } } } });
    const before = JSON.stringify(document);
    shareRepeatedResponses(document);
    expect(JSON.stringify(document)).toBe(before);
  });
});

describe('sharedResponseName', () => {
  it('is the reason phrase and the description in letters and digits', () => {
    expect(sharedResponseName('403', "The token lacks the role 'admin'")).toBe('Forbidden_TheTokenLacksTheRoleAdmin');
    expect(sharedResponseName('413', 'the body exceeds 1 MiB')).toBe('PayloadTooLarge_TheBodyExceeds1Mib');
    expect(sharedResponseName('200', '')).toBe('Ok');
    expect(sharedResponseName('299', 'odd')).toBe('Status299_Odd');
  });
});

describe('resolveResponse', () => {
  it('reads a reference from components/responses and refuses one that dangles', () => {
    const document = { components: { responses: { Gone: { description: 'gone' } } } };
    expect(resolveResponse(document, { $ref: '#/components/responses/Gone' })).toEqual({ description: 'gone' });
    expect(resolveResponse(document, { description: 'inline' })).toEqual({ description: 'inline' });
    expect(() => resolveResponse(document, { $ref: '#/components/responses/Lost' })).toThrow(/Lost/);
  });
});
