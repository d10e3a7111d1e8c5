import { describe, expect, it } from 'vitest';
import { inputFields, inputProblem, inputSource, readInputSource } from './task-inputs';

const schema = {
  type: 'object',
  required: ['url'],
  properties: {
    url: { type: 'string', title: 'URL' },
    method: { type: 'string', enum: ['GET', 'POST'] },
    timeoutMs: { type: 'integer' },
    follow: { type: 'boolean' },
    body: {},
  },
};

describe('service-task inputs', () => {
  it('come from the task type input schema', () => {
    const fields = inputFields(schema);
    expect(fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['url', 'string', true], ['method', 'string', false], ['timeoutMs', 'integer', false], ['follow', 'boolean', false], ['body', 'object', false],
    ]);
    expect(fields[1].options).toEqual(['GET', 'POST']);
    expect(inputFields('nope')).toEqual([]);
  });

  it('write literal values typed and FEEL as FEEL, and read them back', () => {
    const [url, , timeout, follow, body] = inputFields(schema);
    expect(inputSource(url, { mode: 'literal', text: 'https://x.test' })).toBe('https://x.test');
    expect(inputSource(url, { mode: 'literal', text: '=not feel' })).toBe('="=not feel"');
    expect(inputSource(timeout, { mode: 'literal', text: '500' })).toBe('=500');
    expect(inputSource(follow, { mode: 'literal', text: 'true' })).toBe('=true');
    expect(inputSource(body, { mode: 'feel', text: '{a: budget}' })).toBe('={a: budget}');
    expect(inputSource(url, { mode: 'literal', text: ' ' })).toBeUndefined();
    for (const [field, value] of [[url, 'https://x.test'], [url, '=not feel'], [timeout, '500'], [follow, 'true']] as const) {
      expect(readInputSource(field, inputSource(field, { mode: 'literal', text: value }))).toEqual({ mode: 'literal', text: value });
    }
    expect(readInputSource(url, '=baseUrl + "/x"')).toEqual({ mode: 'feel', text: '=baseUrl + "/x"' });
  });

  it('say what is missing', () => {
    const [url, , timeout] = inputFields(schema);
    expect(inputProblem(url, { mode: 'literal', text: '' })).toBe('required');
    expect(inputProblem(timeout, { mode: 'literal', text: 'soon' })).toBe('number');
  });
});
