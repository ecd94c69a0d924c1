import { describe, expect, it } from 'vitest';
import { luhnValid, PII_DEFAULTS, redactPii, shannonEntropy } from './pii-redact';

describe('redactPii', () => {
  it('redacts e-mail addresses', () => {
    const r = redactPii('Write to jane.doe+news@example.co.uk or ops@mail.example.org for help.');
    expect(r.text).toBe('Write to <EMAIL> or <EMAIL> for help.');
    expect(r.counts.email).toBe(2);
  });

  it('redacts international and US phone numbers but not dates, years or ranges', () => {
    const r = redactPii('Call +44 20 7946 0958, (555) 123-4567 or 555-867-5309. Founded 1990-2000, on 2021-05-12, ref 12345678.');
    expect(r.text).toBe('Call <PHONE>, <PHONE> or <PHONE>. Founded 1990-2000, on 2021-05-12, ref 12345678.');
    expect(r.counts.phone).toBe(3);
  });

  it('redacts IPv4 and IPv6 addresses but not versions, times or C++ scopes', () => {
    const r = redactPii('Hosts 192.168.1.20 and 2001:db8::8a2e:370:7334 and ::ffff:10.0.0.1; v1.2.3 at 12:30:45, std::vector, 999.1.1.1.');
    expect(r.text).toBe('Hosts <IP_ADDRESS> and <IP_ADDRESS> and <IP_ADDRESS>; v1.2.3 at 12:30:45, std::vector, 999.1.1.1.');
    expect(r.counts.ip).toBe(3);
  });

  it('redacts Luhn-valid card numbers only', () => {
    const r = redactPii('Visa 4111 1111 1111 1111, Amex 3782-822463-10005, bad 4111 1111 1111 1112.');
    expect(r.text).toBe('Visa <CARD>, Amex <CARD>, bad 4111 1111 1111 1112.');
    expect(r.counts.card).toBe(2);
    // Found by the property test: a card next to other numbers or an IPv6 address.
    expect(redactPii('4111 1111 1111 1111 10.1.2.3').text).toBe('<CARD> <IP_ADDRESS>');
    expect(redactPii('2001:db8::1 4111 1111 1111 1111').text).toBe('<IP_ADDRESS> <CARD>');
  });

  it('redacts API keys, tokens and private key blocks', () => {
    const text = [
      'aws AKIAIOSFODNN7EXAMPLE',
      'gh ghp_0123456789abcdefghijABCDEFGHIJ012345',
      'slack xoxb-123456789012-abcdefABCDEF',
      'openai sk-proj-Abc123Def456Ghi789Jkl012',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----',
      'api_key = "q8Zr3Xv9Lm2Pw7Ks4Tn6"',
      'password: correcthorsebattery',
    ].join('\n');
    const r = redactPii(text);
    expect(r.text).toBe(
      [
        'aws <SECRET>',
        'gh <SECRET>',
        'slack <SECRET>',
        'openai <SECRET>',
        '<SECRET>',
        'api_key = "<SECRET>"',
        // Low-entropy value: a word-like password is left alone by the generic rule.
        'password: correcthorsebattery',
      ].join('\n'),
    );
    expect(r.counts.secret).toBe(6);
  });

  it('leaves clean prose untouched and honours the enabled kinds', () => {
    const prose = 'In 1861 the war began; by 1865 some 620,000 soldiers had died.';
    expect(redactPii(prose)).toEqual({ text: prose, counts: { secret: 0, email: 0, card: 0, ip: 0, phone: 0 } });
    const only = redactPii('mail a@b.io from 10.0.0.1', { ...PII_DEFAULTS, kinds: ['ip'] });
    expect(only.text).toBe('mail a@b.io from <IP_ADDRESS>');
  });

  it('has correct helpers', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});

describe('redactPii properties', () => {
  it('is idempotent: redacted text has nothing left to redact', async () => {
    const fc = await import('fast-check');
    const piece = fc.constantFrom(
      'jane@example.com', '+1 (555) 123-4567', '10.1.2.3', '4111 1111 1111 1111', 'AKIAIOSFODNN7EXAMPLE',
      'token=Zx8Qw3Er5Ty7Ui9Op1As', 'the', 'report', '1861', '2021-05-12', ',', '.', '\n', '2001:db8::1',
      '555-867-5309', '-', ':',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.constantFrom(' ', '\n', ' , '), (parts, sep) => {
        const once = redactPii(parts.join(sep));
        const twice = redactPii(once.text);
        expect(twice.text).toBe(once.text);
        expect(Object.values(twice.counts).every((n) => n === 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
