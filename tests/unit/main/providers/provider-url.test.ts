import { describe, expect, it } from 'vitest';
import { hostOf, normalizeBaseUrl } from '../../../../src/main/services/providers/provider-url';

describe('provider base URLs', () => {
  it.each([
    ['http://gpu-box.local:7860', 'http://gpu-box.local:7860'],
    ['  http://gpu-box.local:7860/  ', 'http://gpu-box.local:7860'],
    ['http://10.0.0.5:8000/v1', 'http://10.0.0.5:8000'],
    ['http://10.0.0.5:8000/v1/', 'http://10.0.0.5:8000'],
    ['http://127.0.0.1:11434/api', 'http://127.0.0.1:11434'],
    ['https://llm.example.com/proxy/v1', 'https://llm.example.com/proxy'],
    ['HTTP://Example.COM', 'http://example.com'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeBaseUrl(input)).toBe(expected);
  });

  it.each([
    ['file:///etc/passwd', /Only http:\/\/ and https:\/\//],
    ['ftp://host/', /Only http/],
    ['javascript:alert(1)', /Only http/],
    ['data:text/plain,hi', /Only http/],
    ['http://user:pass@host:8000', /key field/],
    ['http://token@host:8000', /key field/],
    ['http://host:8000/?x=1', /query/],
    ['http://host:8000/#frag', /fragment/],
    ['gpu-box:7860', /Only http|not a URL/],
    ['not a url', /not a URL/],
    ['', /not a URL/],
  ])('refuses %s with a clear reason', (input, reason) => {
    expect(() => normalizeBaseUrl(input)).toThrow(reason);
  });

  it('names the machine by host and port', () => {
    expect(hostOf('http://gpu-box.local:7860')).toBe('gpu-box.local:7860');
  });
});
