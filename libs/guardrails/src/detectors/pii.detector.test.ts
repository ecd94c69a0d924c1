import { describe, expect, it } from 'vitest';
import { detect } from './detect.test-helper';
import { findSensitive, ibanValid, locateReplacements, piiDetector, secretsDetector, ssnValid } from './pii.detector';

describe('pii (LLM02)', () => {
  it('finds e-mail, phone, card, IP, IBAN and SSN with exact spans', () => {
    const text = 'Mail jane.doe@example.com or call (555) 123-4567; card 4111 1111 1111 1111; host 192.168.1.20; IBAN DE89 3704 0044 0532 0130 00; SSN 123-45-6789.';
    const found = detect(piiDetector, text).map((f) => [f.reason, text.slice(f.span!.start, f.span!.end)]);
    expect(found).toEqual([
      ['e-mail address', 'jane.doe@example.com'],
      ['phone number', '(555) 123-4567'],
      ['payment card number (Luhn-valid)', '4111 1111 1111 1111'],
      ['IP address', '192.168.1.20'],
      ['IBAN (checksum-valid)', 'DE89 3704 0044 0532 0130 00'],
      ['US social security number', '123-45-6789'],
    ]);
  });

  it('rejects checksum-invalid cards and IBANs and never-issued SSNs', () => {
    expect(detect(piiDetector, 'card 4111 1111 1111 1112, IBAN DE89 3704 0044 0532 0130 01, SSN 666-12-3456, 000-12-3456')).toEqual([]);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(ssnValid('123', '45', '6789')).toBe(true);
    expect(ssnValid('912', '45', '6789')).toBe(false);
  });

  it.each(['my email is in the footer', 'Founded 1990-2000, on 2021-05-12, version 1.2.3', 'Call me maybe at noon.'])('allows benign %j', (text) => {
    expect(detect(piiDetector, text)).toEqual([]);
  });

  it('keeps the more specific kind on overlaps and scales to thousands of hits', () => {
    const block = '-----BEGIN PRIVATE KEY-----\nowner a@b.io\n-----END PRIVATE KEY-----';
    expect(findSensitive(`x ${block} y c@d.io`, 3.5).map((h) => h.type)).toEqual(['secret', 'email']);
    // Overlap removal was quadratic once: 80 k characters of addresses took minutes.
    const many = 'x@ex.com '.repeat(3000);
    expect(findSensitive(many, 3.5)).toHaveLength(3000);
  });

  it('locates replacements even when a short segment repeats inside a match', () => {
    const original = 'a@b.co, x, c@d.org';
    const spans = locateReplacements(original, '<E>, x, <E>', '<E>', (s, e) => /^\S+@\S+$/.test(original.slice(s, e)));
    expect(spans.map((s) => original.slice(s.start, s.end))).toEqual(['a@b.co', 'c@d.org']);
  });
});

describe('secrets (LLM02)', () => {
  it('finds API keys, tokens and private keys', () => {
    const text = 'aws AKIAIOSFODNN7EXAMPLE and -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- and api_key = "q8Zr3Xv9Lm2Pw7Ks4Tn6"';
    const found = detect(secretsDetector, text).map((f) => text.slice(f.span!.start, f.span!.end));
    expect(found).toEqual(['AKIAIOSFODNN7EXAMPLE', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', 'q8Zr3Xv9Lm2Pw7Ks4Tn6']);
  });

  it('allows word-like passwords in prose and ordinary assignments', () => {
    expect(detect(secretsDetector, 'password: correcthorsebattery, token = none, the key to success')).toEqual([]);
  });
});
