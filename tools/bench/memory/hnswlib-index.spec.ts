import { HnswlibIndex } from './hnswlib-index';
import { behavesAsVectorIndex } from '../../../libs/vector-index/src/vector-index.behaviour';

describe('HnswlibIndex', () => {
  behavesAsVectorIndex((dimensions, expectedSize) => new HnswlibIndex(dimensions, { m: 16, efConstruction: 128, ef: 64 }, expectedSize), { maxKey: 2n ** 32n - 1n, scoreDigits: 4 });
});
