import { ValidationError } from '@weaver/errors';
import { allows, canonicalClassification, classificationViolations, joinWire, parseClassification } from './classification';

describe('classification', () => {
  it('canonicalises: level first, labels sorted, labels raise the level to their floor', () => {
    expect(canonicalClassification(['pii', 'confidential'])).toEqual(['confidential', 'pii']);
    expect(canonicalClassification(['pci', 'phi'])).toEqual(['confidential', 'pci', 'phi']);
    expect(canonicalClassification(['public', 'pii'])).toEqual(['confidential', 'pii']);
    expect(canonicalClassification([])).toEqual(['internal']);
    expect(canonicalClassification(undefined)).toEqual(['internal']);
  });

  it('refuses what is not in the closed set, naming the index and hinting at the lower-case form', () => {
    const err = (() => {
      try {
        parseClassification(['confidential', 'Restricted', 'secret'], 'classification', 'run request');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    const v = (err as ValidationError).violations;
    expect(v[0]).toEqual({ field: 'classification[1]', rule: expect.stringContaining('did you mean "restricted"') });
    expect(v[1]).toEqual({ field: 'classification[2]', rule: expect.stringContaining('"secret" is not a classification') });
    expect(classificationViolations('restricted')).toEqual([{ field: 'classification', rule: expect.stringContaining('array') }]);
    expect(classificationViolations(['public', 'restricted'])).toEqual([{ field: 'classification', rule: expect.stringContaining('at most one level') }]);
    expect(classificationViolations([3], 'x')).toEqual([{ field: 'x[0]', rule: 'must be a string' }]);
  });

  it('joins derived data at least as high as every input', () => {
    expect(joinWire(['public'], ['restricted'])).toEqual(['restricted']);
    expect(joinWire(['public'], ['internal', 'pii'])).toEqual(['confidential', 'pii']);
    expect(joinWire(['restricted', 'phi'], ['public', 'pci'])).toEqual(['restricted', 'pci', 'phi']);
    expect(joinWire(['public'])).toEqual(['public']);
  });

  it('checks a ceiling by level', () => {
    expect(allows('confidential', parseClassification(['pii']))).toBe(true);
    expect(allows('internal', parseClassification(['pii']))).toBe(false);
    expect(allows('internal', parseClassification([]))).toBe(true);
    expect(allows('confidential', parseClassification(['restricted']))).toBe(false);
  });
});
