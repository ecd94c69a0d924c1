import { UnsupportedMediaTypeError } from '@crucible/contracts';
import { describe, expect, it } from 'vitest';
import { documentTypeOf, parseContentType, resolveFileMediaType } from './media-type';

describe('parseContentType', () => {
  it('lower-cases the essence and reads quoted parameters', () => {
    expect(parseContentType('Text/HTML; Charset="windows-1252"; q=1')).toEqual({
      essence: 'text/html',
      params: { charset: 'windows-1252', q: '1' },
    });
    expect(parseContentType(undefined)).toBeUndefined();
  });
});

describe('document media types', () => {
  it('maps aliases to the contract types', () => {
    expect(documentTypeOf('text/x-markdown')).toBe('text/markdown');
    expect(documentTypeOf('application/xhtml+xml')).toBe('text/html');
    expect(documentTypeOf('image/png')).toBeUndefined();
  });

  it('takes a declared document type, else the extension, else refuses', () => {
    expect(resolveFileMediaType('text/html; charset=utf-8', 'a.txt')).toBe('text/html');
    expect(resolveFileMediaType('application/octet-stream', 'notes.MD')).toBe('text/markdown');
    expect(resolveFileMediaType(undefined, 'page.htm')).toBe('text/html');
    expect(resolveFileMediaType('', 'data.json')).toBe('application/json');
    expect(() => resolveFileMediaType('image/png', 'cat.png')).toThrow(UnsupportedMediaTypeError);
    expect(() => resolveFileMediaType('application/octet-stream', 'archive.zip')).toThrow(/archive\.zip/);
  });
});
