import '@testing-library/jest-dom';
import { format } from 'node:util';

/**
 * React reports list items without a key, or two with the same key, on
 * console.error and renders on: items may then be dropped or mixed up. Any
 * test that causes such a warning fails.
 */
const KEY_WARNING = /unique "key" prop|two children with the same key/;
let keyWarnings: string[] = [];
let consoleError: jest.SpyInstance;

beforeEach(() => {
  keyWarnings = [];
  // eslint-disable-next-line no-console
  const original = console.error;
  consoleError = jest
    .spyOn(console, 'error')
    .mockImplementation((...args: unknown[]) => {
      const message = format(...args);
      if (KEY_WARNING.test(message)) keyWarnings.push(message);
      original(...args);
    });
});

afterEach(() => {
  consoleError.mockRestore();
  if (keyWarnings.length > 0) {
    throw new Error(`React key warnings:\n${keyWarnings.join('\n')}`);
  }
});
