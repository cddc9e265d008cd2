import Ajv2020 from 'ajv/dist/2020';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reinterpretationProblems } from './declaration-change';
import {
  declarationDocument,
  DeclarationError,
  declarationProblems,
  parseSourceDeclaration,
  SOURCE_DECLARATION_SCHEMA,
  type SourceDeclarationJson,
} from './declaration-format';
import { SOURCES } from './registry';

const DIR = join(__dirname, 'declarations');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as SourceDeclarationJson;
const careDependency = () => read(join(__dirname, '../../../../docs/sources/care-dependency.json'));
const messages = (doc: unknown) => declarationProblems(doc).map((p) => `${p.path}: ${p.message}`);

describe('the source declaration format', () => {
  it('has one committed declaration per shipped source, each valid against the format schema', () => {
    expect(files.map((f) => f.replace('.json', '').replace(/-/g, '_')).sort()).toEqual(SOURCES.map((s) => s.name).sort());
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(SOURCE_DECLARATION_SCHEMA);
    for (const f of files) {
      expect({ file: f, ok: validate(read(join(DIR, f))), errors: validate.errors ?? null }).toEqual({ file: f, ok: true, errors: null });
    }
  });

  it('reads back what it writes: parse and declarationDocument are inverse', () => {
    for (const f of files) {
      const { $schema: _s, ...doc } = read(join(DIR, f));
      expect(declarationDocument(parseSourceDeclaration(doc))).toEqual(doc);
    }
  });

  it('accepts the care_dependency example of docs/sources', () => {
    const d = parseSourceDeclaration(careDependency());
    expect(d.fields.map((f) => f.name)).toEqual(['recordId', 'personId', 'birthDate', 'sex', 'ags', 'validFrom', 'validTo', 'careLevel', 'setting']);
    expect(d.fields.find((f) => f.name === 'birthDate')!.privacy).toEqual({ kind: 'quasi', generalization: 'birthMonth' });
  });

  describe('refuses with the field and the reason', () => {
    it('a field without a role (undeclared personal data is denied)', () => {
      const doc = careDependency();
      doc.fields.push({ name: 'insuranceNumber', type: { kind: 'string', minLength: 1, maxLength: 20 }, required: false, description: 'x' } as never);
      expect(messages(doc)).toEqual([
        'fields[9] (insuranceNumber).role: has no role: every field must declare one (identifier, direct, quasi or attribute) — undeclared fields are denied',
      ]);
    });

    it('personal data declared as an attribute to be kept', () => {
      const doc = careDependency();
      doc.fields.push({ name: 'lastName', type: { kind: 'string', minLength: 1, maxLength: 100 }, required: false, role: { kind: 'attribute' }, description: 'x' });
      doc.fields.push({ name: 'zip', type: { kind: 'postalCode' }, required: false, role: { kind: 'attribute' }, description: 'x' });
      expect(messages(doc)).toEqual([
        'fields[9] (lastName).role: looks like personal data (lastName) but would be kept as it is: declare it identifier, direct or quasi',
        'fields[10] (zip).role: looks like personal data (zip) but would be kept as it is: declare it identifier, direct or quasi',
      ]);
    });

    it('an unknown generalization rule, or one for another type', () => {
      const doc = careDependency();
      doc.fields[2].role = { kind: 'quasi', rule: 'birthYear' };
      doc.fields[3].role = { kind: 'quasi', rule: 'nationalityGroup' };
      expect(messages(doc)).toEqual([
        "fields[2] (birthDate).role: names the unknown generalization rule 'birthYear' (known: birthMonth, nationalityGroup)",
        'fields[3] (sex).role: generalization rule \'nationalityGroup\' applies to fields of type nationality, not enum',
      ]);
    });

    it('an identifier without a domain, or with an unknown one', () => {
      const doc = careDependency();
      doc.fields[1].role = { kind: 'identifier' } as never;
      expect(messages(doc)).toEqual([
        'fields[1] (personId).role: is an identifier without a domain: name the pseudonym domain (person or household) so one subject links across sources',
      ]);
      doc.fields[1].role = { kind: 'identifier', domain: 'insured' };
      expect(messages(doc)).toEqual([
        "fields[1] (personId).role: has the unknown pseudonym domain 'insured' (known: person, household)",
      ]);
    });

    it('a measure over an undeclared field, a dropped field, or a missing family', () => {
      const doc = careDependency();
      doc.measures.families[0] = { ...doc.measures.families[0], filters: ['birthDate', 'careGrade'] };
      doc.measures.symbols.push({ symbol: 'PFS', family: 'care_dependency', aggregate: 'sum', field: 'hours', units: 'persons', description: 'x' });
      doc.measures.symbols.push({ symbol: 'PX', family: 'care_days', aggregate: 'count', description: 'x' });
      expect(messages(doc)).toEqual([
        "measures.families[0] (care_dependency).filters[1]: names 'careGrade', which is not a declared field of care_dependency",
        "measures.symbols[1] (PFS).field: names 'hours', which is not a declared field of care_dependency",
        "measures.symbols[2] (PX): family 'care_days' is not declared in measures.families",
      ]);
      const pii = careDependency();
      pii.measures.families[0] = { ...pii.measures.families[0], filters: ['personId'] };
      expect(messages(pii)).toEqual([
        "measures.families[0] (care_dependency).filters[0]: 'personId' is pseudonymized and cannot be filtered by",
      ]);
    });

    it('constraints of the format itself, with the path', () => {
      const doc = careDependency() as unknown as Record<string, unknown>;
      doc.colour = 'red';
      (doc.fields as FieldLike[])[7].type = { kind: 'integer', min: 1 } as never;
      expect(messages(doc)).toEqual([
        "(declaration): has no property 'colour' in the declaration format",
        "fields[7] (careLevel).type: must have required property 'max'",
      ]);
      expect(() => parseSourceDeclaration(doc)).toThrow(DeclarationError);
      expect(messages([])).toEqual(['(declaration): must be a JSON object (a source declaration)']);
    });

    it('a spell source without validTo after validFrom', () => {
      const doc = careDependency();
      doc.rules = doc.rules.filter((r) => r.rule !== 'date_order');
      expect(messages(doc)).toEqual([
        'rules: a spell source needs the rule { "rule": "date_order", "earlier": "validFrom", "later": "validTo" }',
      ]);
    });
  });

  describe('a new version of a declaration', () => {
    const v1 = () => parseSourceDeclaration(careDependency());
    const v2 = (change: (d: SourceDeclarationJson) => void) => {
      const d = careDependency();
      d.version = 2;
      change(d);
      return parseSourceDeclaration(d);
    };

    it('may widen validation, add optional fields and add symbols', () => {
      const next = v2((d) => {
        d.fields[7].type = { kind: 'integer', min: 0, max: 5 };
        d.fields.push({ name: 'provider', type: { kind: 'enum', values: ['a', 'b'] }, required: false, role: { kind: 'attribute' }, description: 'x' });
        d.measures.symbols.push({ symbol: 'PFH', family: 'care_dependency', aggregate: 'count', description: 'x' });
      });
      expect(reinterpretationProblems(v1(), next)).toEqual([]);
    });

    it('may not change a role or generalization in place: says it needs a replay (or a new source)', () => {
      const problems = reinterpretationProblems(
        v1(),
        v2((d) => {
          d.fields[3].role = { kind: 'direct' };
          d.measures.families[0] = { ...d.measures.families[0], filters: ['birthDate', 'careLevel', 'setting'] };
        }),
      );
      expect(problems.map((p) => [p.path, p.needs])).toEqual([
        ['fields (sex).role', 'anonymization replay'],
        ['measures.families (care_dependency)', 'kpi-calculation replay'],
      ]);
      expect(problems[0].message).toContain('changes from attribute to direct');
    });
  });
});

type FieldLike = { type: unknown };
