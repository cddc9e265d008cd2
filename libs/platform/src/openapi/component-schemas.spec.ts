import type { OpenAPIObject } from '@nestjs/swagger';
import { addComponentSchemas, componentSchema } from './component-schemas';

const documentOf = (paths: object): OpenAPIObject =>
  ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths,
    components: { schemas: { Problem: {} } },
  }) as OpenAPIObject;

describe('componentSchema', () => {
  const POSITION = componentSchema('SpecPosition', { type: 'object', properties: { partition: { type: 'integer' } } });
  const STATUS = componentSchema('SpecStatus', {
    type: 'object',
    properties: { positions: { type: 'array', items: POSITION } },
  });
  componentSchema('SpecUnused', { type: 'string' });

  it('is a $ref; the document lists the schemas it refers to, also from within them, sorted, and no others', () => {
    expect(STATUS).toEqual({ $ref: '#/components/schemas/SpecStatus' });
    const document = documentOf({
      '/a': { get: { responses: { 200: { content: { 'application/json': { schema: STATUS } } } } } },
      '/b': { get: { responses: { 200: { content: { 'application/json': { schema: STATUS } } } } } },
    });
    addComponentSchemas(document);
    expect(document.components!.schemas).toEqual({
      Problem: {},
      SpecPosition: { type: 'object', properties: { partition: { type: 'integer' } } },
      SpecStatus: { type: 'object', properties: { positions: { type: 'array', items: POSITION } } },
    });
    expect(Object.keys(document.components!.schemas!)).toEqual(['Problem', 'SpecPosition', 'SpecStatus']);
  });

  it('refuses a second, different schema under a name (the same one again is fine)', () => {
    expect(componentSchema('SpecUnused', { type: 'string' })).toEqual({ $ref: '#/components/schemas/SpecUnused' });
    expect(() => componentSchema('SpecUnused', { type: 'integer' })).toThrow(/SpecUnused/);
  });

  it('refuses a reference to a schema no one named (it would dangle)', () => {
    const document = documentOf({
      '/a': {
        get: {
          responses: {
            200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/SpecLost' } } } },
          },
        },
      },
    });
    expect(() => addComponentSchemas(document)).toThrow(/SpecLost/);
  });
});
