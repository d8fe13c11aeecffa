import { describe, expect, it } from 'vitest';
import { growthFunction } from './MeasurementChart';

describe('growth functions of complexity classes', () => {
  it('knows the canonical classes and general polynomials', () => {
    expect(growthFunction('O(n^2)')?.(10)).toBe(100);
    expect(growthFunction('O(n log n)')?.(8)).toBe(24);
    expect(growthFunction('O(1)')?.(1000)).toBe(1);
    expect(growthFunction('O(n^4)')?.(2)).toBe(16);
    expect(growthFunction('O(sqrt n)')?.(16)).toBe(4);
  });

  it('draws a class over several sizes with every size grown together', () => {
    expect(growthFunction('O(n*m)')?.(10)).toBe(100);
    expect(growthFunction('O(V + E)')?.(7)).toBe(7);
  });

  it('has no curve for a class it cannot draw', () => {
    expect(growthFunction('O(banana)')).toBeNull();
    expect(growthFunction('unknown')).toBeNull();
  });
});
